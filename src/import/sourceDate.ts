import { partialDate } from '../model/common';
import type { Rejection } from './incoming';

/**
 * A date as a source writes it, in our terms. Our dates may be partial (model/common.ts `PartialDate`:
 * "2019", "2019-05" or a day), and the write layer stores a partial one as the widest day it allows with its
 * precision beside it, which the reasoning reads as uncertain days (reasoning/graph.ts `certainlyInForce`): a
 * year or a month is kept as given, never narrowed to a day and never dropped. A date-time keeps its day
 * (FtM and BODS date-times are UTC; the time of day is finer than any period we hold).
 *
 * What is not a date at all ("circa 2019", "2019-13-01") cannot be kept as one: it is left out, and said so
 * twice, as a compliance user defending a verdict needs it. The report lists it as a problem of the line
 * with its field and value (it is counted among `rejected`, and the rest of the line is imported), and the
 * record's note keeps the original text, so the API shows what the source said.
 */
export type SourceDate =
  | { date: string | null; problem?: undefined; noteText?: undefined }
  | { date: null; problem: Rejection; noteText: string };

export function sourceDate(value: unknown, line: number, field: string): SourceDate {
  if (value === undefined || value === null || value === '') return { date: null };
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  const dateTime = /^(\d{4}-\d{2}-\d{2})T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  const candidate = dateTime ? dateTime[1]! : text;
  if (partialDate(candidate)) return { date: candidate };
  return {
    date: null,
    problem: {
      kind: 'rejected',
      line,
      field,
      message: `${JSON.stringify(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): left out, its text kept in the note`,
    },
    noteText: `${field} given as ${JSON.stringify(value)}`,
  };
}

/**
 * Reads several dates of one record: `take(value, field)` gives the date (or null) and collects the
 * problems and note texts of those left out, for the record's note and the report.
 */
export function dateReader(line: number) {
  const problems: Rejection[] = [];
  const notes: string[] = [];
  const take = (value: unknown, field: string): string | null => {
    const read = sourceDate(value, line, field);
    if (read.problem) {
      problems.push(read.problem);
      notes.push(read.noteText);
    }
    return read.date;
  };
  /** A note with the left-out dates' text appended (a note is at most 4,000 characters). */
  const note = (base: string | undefined): string | undefined => {
    const all = [base, notes.length > 0 ? `Dates left out: ${notes.join('; ')}.` : undefined].filter(
      (n): n is string => !!n,
    );
    return all.length > 0 ? all.join(' ').slice(0, 4000) : undefined;
  };
  return { take, note, problems };
}
