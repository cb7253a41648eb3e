import { csvRows, textLines, type Row } from './rowStream';
import type { FormatReader } from './incoming';
import { JsonArrayError } from './jsonArrayRows';

/**
 * The read-through before the first write (issue 13, "loads are checked whole before they write"). A file
 * whose rows can stop before its end (a CSV row of the wrong length or a quote never closed; a JSON array
 * with a syntax error, or cut short by an interrupted download) is read once to its end, streaming and
 * keeping no row, before anything is written: a file that cannot be read whole writes nothing, rather than
 * the batches before the break. JSON lines cannot stop (a bad line is one rejected line, the rest imports),
 * so they are not read twice.
 */

/** The rows of a file as its format reads them: its own reader's (BODS arrays), CSV records, or text lines. */
export function rowsOfFile(reader: FormatReader, file: string): AsyncIterable<Row & { index?: number }> {
  return reader.rowsOf?.(file) ?? (reader.rows === 'csv' ? csvRows(file) : textLines(file));
}

/**
 * Whether this file's rows can stop before its end: CSV always (csv-parse refuses the file at a broken
 * row), a format's own rows when it says so (BODS: when the file is one JSON array, not JSON lines), and
 * by default when it does not; plain text lines never.
 */
export async function mayStopEarly(reader: FormatReader, file: string): Promise<boolean> {
  if (reader.rows === 'csv' && !reader.rowsOf) return true;
  if (!reader.rowsOf) return false;
  return reader.rowsMayStop ? reader.rowsMayStop(file) : true;
}

/** Where and why a file cannot be read to its end. */
export interface Unreadable {
  /** The line the reader names: where the broken row or statement starts. */
  line: number;
  /** The index of the broken item of a JSON array (BODS statement), when there is one. */
  index?: number;
  message: string;
}

/** Reads every row of the file and drops it; null when the file reads to its end. */
export async function readToEnd(reader: FormatReader, file: string): Promise<Unreadable | null> {
  let lastLine = 0;
  try {
    for await (const row of rowsOfFile(reader, file)) {
      lastLine = row.line;
    }
    return null;
  } catch (error) {
    // csv-parse names the line in `lines`; the JSON array reader in `lines`, with the statement's `index`.
    const { lines } = error as { lines?: number };
    const index = error instanceof JsonArrayError ? error.index : undefined;
    return {
      line: lines ?? lastLine + 1,
      ...(index !== undefined ? { index } : {}),
      message: (error as Error).message,
    };
  }
}

/** What of runImport's ImportReport a refusal sets (named here, not imported: runImport imports this module). */
interface RefusableReport {
  rejected: number;
  problems: Array<{ file: string; line: number; field?: string; message: string }>;
  refused?: string;
}

/**
 * The report of an import refused before its first write because its file cannot be read to its end: the
 * break as its one problem, with file, line (and statement index), and "nothing was written".
 */
export function refusedUnreadable<R extends RefusableReport>(report: R, name: string, broken: Unreadable): R {
  const where = `line ${broken.line}${broken.index !== undefined ? `, statement [${broken.index}]` : ''}`;
  return {
    ...report,
    rejected: 1,
    problems: [
      {
        file: name,
        line: broken.line,
        ...(broken.index !== undefined ? { field: `[${broken.index}]` } : {}),
        message: `cannot be read to its end, so nothing of the file was written: ${broken.message}`,
      },
    ],
    refused: `nothing was written: ${name} cannot be read to its end (${where}), found before the first write`,
  };
}
