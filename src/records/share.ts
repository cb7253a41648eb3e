import type { Share } from '../reasoning/graph';
import type { ShareRow } from './rows';

/**
 * Shares in their four forms, converted in one place:
 * - data-set format and GraphQL `Share` (`ShareRow`): percent, BODS style (`exact`, or `minimum`/`maximum`
 *   and their exclusive forms); an ownership's `share: null` is a known stake of unknown size;
 * - stored on a relationship: the same fields flattened under a prefix (`shareExact`, `votingShareMinimum`,
 *   …), and `shareUnknown: true` for a stake of unknown size;
 * - reasoning (`Share`): fractions 0..1 with open or closed ends, `unknown` for a stake of unknown size;
 * - display text: `100%`, `20–25%`, `>25–50%`, `unknown`.
 */

/** The share fields and the suffix each is stored under (`share` + `Exact` = `shareExact`). */
export const SHARE_FIELDS = {
  exact: 'Exact',
  minimum: 'Minimum',
  maximum: 'Maximum',
  exclusiveMinimum: 'ExclusiveMinimum',
  exclusiveMaximum: 'ExclusiveMaximum',
} as const satisfies Record<keyof ShareRow, string>;

/** The three shares an ownership may state; each is stored under its own prefix. */
export type SharePrefix = 'share' | 'votingShare' | 'economicShare';

/** The stored property of an ownership known to exist but of unknown size. */
export const SHARE_UNKNOWN_PROPERTY = 'shareUnknown';

const FIELDS = Object.entries(SHARE_FIELDS) as Array<[keyof ShareRow, string]>;

/** A share (percent) as the properties stored on a relationship. */
export function storedShareProperties(prefix: SharePrefix, share: ShareRow): Record<string, number> {
  const props: Record<string, number> = {};
  for (const [field, suffix] of FIELDS) {
    const value = share[field];
    if (value !== undefined) props[`${prefix}${suffix}`] = value;
  }
  return props;
}

/** The share stored under `prefix` on a relationship, in percent; null when none of its fields is stored. */
export function readStoredShare(edge: Record<string, unknown>, prefix: SharePrefix): ShareRow | null {
  const share: ShareRow = {};
  for (const [field, suffix] of FIELDS) {
    const value = edge[`${prefix}${suffix}`];
    if (typeof value === 'number') share[field] = value;
  }
  return Object.keys(share).length > 0 ? share : null;
}

/**
 * A stored ownership share as the fractions the reasoning uses. A missing end is open at 0 or 1, so a
 * stake stated only as "more than 25%" reaches up to 100%.
 */
export function storedShareToFraction(edge: Record<string, unknown>): Share {
  if (edge[SHARE_UNKNOWN_PROPERTY]) return { min: 0, max: 1, unknown: true };
  const share = readStoredShare(edge, 'share') ?? {};
  const pct = (value: number | undefined) => (value === undefined ? undefined : value / 100);
  const exact = pct(share.exact);
  if (exact !== undefined) return { min: exact, max: exact };
  const exclusiveMin = pct(share.exclusiveMinimum);
  const exclusiveMax = pct(share.exclusiveMaximum);
  return {
    min: pct(share.minimum) ?? exclusiveMin ?? 0,
    max: pct(share.maximum) ?? exclusiveMax ?? 1,
    ...(exclusiveMin !== undefined ? { minExclusive: true } : {}),
    ...(exclusiveMax !== undefined ? { maxExclusive: true } : {}),
  };
}

/** A reasoning share as GraphQL's Share (percent); `{}` (shown "unknown") for a stake of unknown size. */
export function fractionToShareRow(share: Share): ShareRow {
  if (share.unknown) return {};
  if (share.min === share.max) return { exact: share.min * 100 };
  return {
    [share.minExclusive ? 'exclusiveMinimum' : 'minimum']: share.min * 100,
    [share.maxExclusive ? 'exclusiveMaximum' : 'maximum']: share.max * 100,
  };
}

/** A reasoning share as the properties stored on an OWNS relationship (the inverse of storedShareToFraction). */
export function fractionToStoredProperties(share: Share): Record<string, number | boolean> {
  return share.unknown
    ? { [SHARE_UNKNOWN_PROPERTY]: true }
    : storedShareProperties('share', fractionToShareRow(share));
}

/** Fractions to percent, rounded to remove floating-point noise (0.6³ is 0.21599999999999997). */
export function percent(bounds: { lower: number; upper: number }): { lower: number; upper: number } {
  const round = (x: number) => Math.round(x * 100 * 1e9) / 1e9;
  return { lower: round(bounds.lower), upper: round(bounds.upper) };
}

/**
 * The share as the SDL documents it: `100%`, `20–25%`, `>25–50%`, `<0.5%`, `≤24.99%`, `unknown`. A range
 * writes the percent sign once, after its upper end, as people write ranges.
 */
export function displayShare(share: ShareRow): string {
  const num = (n: number) => `${Number(n.toFixed(4))}`;
  const low =
    share.exclusiveMinimum !== undefined
      ? `>${num(share.exclusiveMinimum)}`
      : share.minimum !== undefined
        ? num(share.minimum)
        : null;
  const high =
    share.exclusiveMaximum !== undefined
      ? `<${num(share.exclusiveMaximum)}`
      : share.maximum !== undefined
        ? num(share.maximum)
        : null;
  if (share.exact !== undefined) return `${num(share.exact)}%`;
  if (low && high) return `${low}–${high}%`;
  if (low) return share.exclusiveMinimum !== undefined ? `${low}%` : `≥${low}%`;
  if (high) return share.exclusiveMaximum !== undefined ? `${high}%` : `≤${high}%`;
  return 'unknown';
}
