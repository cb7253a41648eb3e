import { z } from 'zod';

/**
 * Building blocks shared by every record of the data set. A record's id is stable and says what it is:
 * a kind prefix, a colon and a slug (`org:bytedance`, `own:bytedance-tiktok-pte-2019`); MERGE keys on it.
 */
export function idOf(prefix: string) {
  return z
    .string()
    .regex(
      new RegExp(`^${prefix}:[A-Za-z0-9][A-Za-z0-9._-]*$`),
      `must be an id of the form "${prefix}:slug" (letters, digits, ".", "_", "-")`,
    );
}

/** A calendar date, YYYY-MM-DD. Stored as that string: ISO dates compare correctly as text. */
export const IsoDate = z.iso.date({ message: 'must be a date in the form YYYY-MM-DD' });

/** ISO 3166-1 alpha-2, upper case (CN, KY, US). */
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as "CN"');

export const SourceId = idOf('src');

/** Every fact cites at least one source. */
export const SourceRefs = z.array(SourceId).min(1, 'must cite at least one source');

export const Percentage = z
  .number()
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');

/**
 * A share in percent, as Open Ownership's BODS writes it: exact, or a range whose ends may be exclusive
 * (a UK PSC band "more than 25% but not more than 50%" is { exclusiveMinimum: 25, maximum: 50 }).
 * An unknown share is written as null where the share is required.
 */
export const Share = z
  .strictObject({
    exact: Percentage.optional(),
    minimum: Percentage.optional(),
    maximum: Percentage.optional(),
    exclusiveMinimum: Percentage.optional(),
    exclusiveMaximum: Percentage.optional(),
  })
  .superRefine((share, ctx) => {
    const hasRange =
      share.minimum !== undefined ||
      share.maximum !== undefined ||
      share.exclusiveMinimum !== undefined ||
      share.exclusiveMaximum !== undefined;
    if (share.exact !== undefined && hasRange) {
      ctx.addIssue({ code: 'custom', message: 'gives either "exact" or a range, not both' });
    }
    if (share.exact === undefined && !hasRange) {
      ctx.addIssue({
        code: 'custom',
        message: 'gives "exact" or at least one end of a range (use null for unknown)',
      });
    }
    if (share.minimum !== undefined && share.exclusiveMinimum !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'gives "minimum" or "exclusiveMinimum", not both' });
    }
    if (share.maximum !== undefined && share.exclusiveMaximum !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'gives "maximum" or "exclusiveMaximum", not both' });
    }
    const low = share.minimum ?? share.exclusiveMinimum ?? 0;
    const high = share.maximum ?? share.exclusiveMaximum ?? 100;
    if (low > high) {
      ctx.addIssue({ code: 'custom', message: `has a lower end (${low}) above its upper end (${high})` });
    } else if (
      low === high &&
      (share.exclusiveMinimum !== undefined || share.exclusiveMaximum !== undefined)
    ) {
      // "more than 50 and less than 50", "less than 0", "more than 100": no share lies in such a range.
      ctx.addIssue({ code: 'custom', message: `is an empty range: no share lies ${rangeText(share)}` });
    }
  });
export type Share = z.infer<typeof Share>;

/** A range's ends in words, as a message names them: "above 50 and below 50", "below 0". */
function rangeText(share: {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}): string {
  const ends = [
    share.minimum !== undefined ? `at or above ${share.minimum}` : undefined,
    share.exclusiveMinimum !== undefined ? `above ${share.exclusiveMinimum}` : undefined,
    share.maximum !== undefined ? `at or below ${share.maximum}` : undefined,
    share.exclusiveMaximum !== undefined ? `below ${share.exclusiveMaximum}` : undefined,
  ];
  const given = ends.filter((end) => end !== undefined);
  if (share.minimum === undefined && share.exclusiveMinimum === undefined) given.unshift('at or above 0');
  if (share.maximum === undefined && share.exclusiveMaximum === undefined) given.push('at or below 100');
  return given.join(' and ');
}

/** How firmly a fact is established; the reasoning uses the numbers, users weigh the confidence. */
export const Confidence = z.enum(['CONFIRMED', 'REPORTED', 'ESTIMATED', 'DISPUTED']);

/** How much of a date the sources give: the day, only the month, or only the year. */
export const DatePrecision = z.enum(['DAY', 'MONTH', 'YEAR']);
export type DatePrecision = z.infer<typeof DatePrecision>;

/**
 * A date as precise as its sources: "2024-03-15", "2024-03" (month only) or "2024" (year only), so a month
 * does not read as its first day. Wikidata does the same (a time value with a precision).
 */
export const PartialDate = z.string().refine((text) => partialDate(text) !== null, {
  message: 'must be a date in the form YYYY-MM-DD, YYYY-MM (month only) or YYYY (year only)',
});

/** The days a partial date may stand for: its first and last day, and its precision; null if malformed. */
export function partialDate(text: string): { first: string; last: string; precision: DatePrecision } | null {
  if (/^\d{4}$/.test(text)) return { first: `${text}-01-01`, last: `${text}-12-31`, precision: 'YEAR' };
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (month) {
    const days = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate();
    return { first: `${text}-01`, last: `${text}-${String(days).padStart(2, '0')}`, precision: 'MONTH' };
  }
  return IsoDate.safeParse(text).success ? { first: text, last: text, precision: 'DAY' } : null;
}

/**
 * A stored day as its sources give it, for sentences: "2024-03 (month only)", "2019 (year only)", or the day.
 * The stored day of a partial date is the first (start) or last (end) day of its month or year.
 */
export function dateInWords(day: string, precision?: DatePrecision | null): string {
  if (precision === 'MONTH') return `${day.slice(0, 7)} (month only)`;
  if (precision === 'YEAR') return `${day.slice(0, 4)} (year only)`;
  return day;
}

/**
 * Fields every dated relationship carries. Either end may be partial; it is stored as the widest day it
 * allows (a start as its first day, an end as its last) with its precision beside it, and the reasoning
 * treats the days it leaves open as uncertain (src/reasoning/graph.ts, `certainlyInForce`).
 */
export const Period = {
  startDate: PartialDate.nullable().optional(),
  endDate: PartialDate.nullable().optional(),
};

export function checkPeriod(
  record: { startDate?: string | null; endDate?: string | null },
  ctx: z.RefinementCtx,
): void {
  const start = record.startDate ? partialDate(record.startDate) : null;
  const end = record.endDate ? partialDate(record.endDate) : null;
  // A period may start and end within the same month ("2024-03" to "2024-03-20"); only an end whose last
  // possible day is before the start's first possible day is impossible.
  if (start && end && end.last < start.first) {
    ctx.addIssue({
      code: 'custom',
      path: ['endDate'],
      message: `must not be before startDate (${record.startDate}), got ${record.endDate}`,
    });
  }
}

export const Note = z.string().max(4000).optional();
