import { partialDate } from '../model/common';

/**
 * Dates between our records and BODS 0.4, both ways. Our dates may be partial ("2021-06", "2019"); BODS 0.4
 * takes a full date (JSON Schema `format: date`, RFC 3339 full-date) for `foundingDate`, `dissolutionDate`
 * (schema/entity-record.json) and an interest's `startDate` and `endDate` (schema/relationship-record.json
 * `$defs/Interest`), and says of each: "Where a precise month or date are unknown, the value may be rounded
 * to the first day of the (first) month. This rounding SHOULD be noted". The exporter rounds so, and notes it
 * in an annotation of the statement (schema/statement.json `$defs/Annotation`, motivation `transformation`,
 * whose target is the date's JSON Pointer), with the partial date in a property of its own (the Annotation
 * allows custom properties "to provide structured data"). The importer reads that note back, so a month
 * stays a month through a round trip, and a date no annotation explains is the day it says.
 */

export interface Annotation {
  statementPointerTarget: string;
  motivation: 'transformation';
  description: string;
  transformedContent: string;
  /** Ours: the date as precise as the source gave it, which `transformedContent` rounds. */
  partialDate: string;
}

/** A date of ours as BODS 0.4 takes it where a full date is required: rounded when ours is partial. */
export function bodsDate(value: string): { date: string; rounded: boolean } {
  if (/^\d{4}-\d{2}$/.test(value)) return { date: `${value}-01`, rounded: true };
  if (/^\d{4}$/.test(value)) return { date: `${value}-01-01`, rounded: true };
  return { date: value, rounded: false };
}

export function partialDateAnnotation(pointer: string, partial: string, rounded: string): Annotation {
  const known = partial.length === 4 ? 'year' : 'month';
  return {
    statementPointerTarget: pointer,
    motivation: 'transformation',
    description:
      `Rounded to the first day of the (first) month, as BODS 0.4 asks of a date known only to the ${known}: ` +
      `the source gives ${partial}.`,
    transformedContent: rounded,
    partialDate: partial,
  };
}

/**
 * The partial dates a statement's annotations restore, by JSON Pointer: only a `transformation` whose
 * partial date rounds to the value it annotates (a statement edited since keeps its new day).
 */
export function partialDatesOf(annotations: unknown): Map<string, { partial: string; rounded: string }> {
  const out = new Map<string, { partial: string; rounded: string }>();
  if (!Array.isArray(annotations)) return out;
  for (const a of annotations as Array<Record<string, unknown>>) {
    if (a === null || typeof a !== 'object' || a.motivation !== 'transformation') continue;
    const { statementPointerTarget: pointer, partialDate: partial } = a;
    if (typeof pointer !== 'string' || typeof partial !== 'string' || !partialDate(partial)) continue;
    const { date, rounded } = bodsDate(partial);
    if (rounded) out.set(pointer, { partial, rounded: date });
  }
  return out;
}

/** A BODS date at `pointer`, given back as the partial date an annotation says it was rounded from. */
export function restoredDate(
  value: unknown,
  pointer: string,
  partials: ReadonlyMap<string, { partial: string; rounded: string }>,
): unknown {
  const note = partials.get(pointer);
  return note && note.rounded === value ? note.partial : value;
}
