/**
 * Uncertain shares as intervals, and the threshold tests that turn an interval into a verdict.
 * A lower bound may be strict ("more than 50%": BODS exclusiveMinimum) and an upper bound may be strict
 * ("less than 50%"); strictness decides the verdict only when a bound lands exactly on the threshold.
 */
import type { ReasoningError, Share } from './graph';

/**
 * Interval of a share or a sum of shares, as fractions. `lowerOpen` means the true value is surely above
 * `lower` ("more than 50%"), `upperOpen` surely below `upper`; absent means the end may be reached.
 * Strictness is carried through sums and products (see `openFlags` in linearFlow) so that
 * {exclusiveMinimum: 50} under a "> 50%" rule is covered whichever method decides.
 */
export interface Bounds {
  lower: number;
  upper: number;
  lowerOpen?: boolean;
  upperOpen?: boolean;
}

export type CoverageVerdict = 'COVERED' | 'POSSIBLY_COVERED' | 'NOT_COVERED';

/** How the unattributed part of an entity's ownership counts toward the upper bound of its covered share. */
export type UnknownAs = 'NOT_COVERED' | 'POSSIBLY_COVERED';

/** A share read as an interval: [lo, hi], with `loStrict` meaning "> lo" and `hiStrict` meaning "< hi". */
export interface ShareInterval {
  lo: number;
  hi: number;
  loStrict: boolean;
  hiStrict: boolean;
}

/**
 * Floating point tolerance for threshold tests: 0.6 ** 3 is 0.21599999999999997 and 45 / 0.9 may come out a
 * hair either side of 50%; a sum within 1e-9 of the threshold is treated as equal to it.
 */
export const EPSILON = 1e-9;

/** Reads a share as an interval; an unknown share is [0, 1] (the stake exists, its size does not matter). */
export function shareInterval(share: Share): ShareInterval {
  if (share.unknown) return { lo: 0, hi: 1, loStrict: false, hiStrict: false };
  return {
    lo: share.min,
    hi: share.max,
    loStrict: share.minExclusive === true,
    hiStrict: share.maxExclusive === true,
  };
}

/** Checks a share is a non-empty interval inside [0, 1]; `path` names it in the error. */
export function checkShare(share: Share, path: (string | number)[]): ReasoningError[] {
  if (share.unknown) return [];
  const { min, max } = share;
  const bad = (message: string): ReasoningError[] => [{ code: 'INVALID_SHARE', path, message }];
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max > 1) {
    return bad(`Share at "${path.join('.')}" must lie within [0, 1], got [${min}, ${max}].`);
  }
  if (min > max) return bad(`Share at "${path.join('.')}" has min ${min} above max ${max}.`);
  if (min === max && (share.minExclusive || share.maxExclusive)) {
    return bad(`Share at "${path.join('.')}" is empty: an exclusive end equals the other end (${min}).`);
  }
  return [];
}

/**
 * Whether a lower bound guarantees the threshold: `>= t` needs lower >= t; `> t` needs lower > t, or
 * lower === t when the lower bound is itself strict (case 21: {exclusiveMinimum 50} under "> 50%" is covered).
 */
export function lowerReaches(lower: number, strict: boolean, threshold: number, inclusive: boolean): boolean {
  const d = lower - threshold;
  if (d > EPSILON) return true;
  if (d < -EPSILON) return false;
  return inclusive || strict;
}

/**
 * Whether an upper bound leaves the threshold reachable: `>= t` needs upper >= t (and not "< t");
 * `> t` needs upper > t.
 */
export function upperMayReach(
  upper: number,
  strict: boolean,
  threshold: number,
  inclusive: boolean,
): boolean {
  const d = upper - threshold;
  if (d > EPSILON) return true;
  if (d < -EPSILON) return false;
  return inclusive && !strict;
}

/** The three-valued verdict from the two tests: sound because the true share lies within the bounds. */
export function classify(bounds: Bounds, threshold: number, inclusive: boolean): CoverageVerdict {
  if (lowerReaches(bounds.lower, bounds.lowerOpen === true, threshold, inclusive)) return 'COVERED';
  if (upperMayReach(bounds.upper, bounds.upperOpen === true, threshold, inclusive)) return 'POSSIBLY_COVERED';
  return 'NOT_COVERED';
}

/** The strictness flags of a bound, present only when set, so closed bounds read as before. */
export function openEnds(lowerOpen: boolean, upperOpen: boolean): { lowerOpen?: true; upperOpen?: true } {
  return { ...(lowerOpen ? { lowerOpen: true } : {}), ...(upperOpen ? { upperOpen: true } : {}) };
}

/** Clamps into [0, 1]: shares never sum past 100%. */
export function clampUnit(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** "50%", "21.6%", "86.54%": at most two decimals, for sentences. */
export function formatPercent(fraction: number): string {
  const rounded = Math.round(fraction * 10000) / 100;
  return `${rounded}%`;
}

/** A share in words: "50%", "25–50%", "more than 50%", "an undisclosed share". */
export function formatShare(share: Share): string {
  if (share.unknown) return 'an undisclosed share';
  if (share.min === share.max) return formatPercent(share.min);
  if (share.minExclusive && share.max === 1) return `more than ${formatPercent(share.min)}`;
  // "less than 50%", not "at least 0% and less than 50%": a lower end of 0% says nothing.
  if (share.min === 0 && share.maxExclusive) return `less than ${formatPercent(share.max)}`;
  // "more than 25% and at most 60%": each end says whether it is included, or the range reads as a list.
  const lo = share.minExclusive
    ? `more than ${formatPercent(share.min)}`
    : `at least ${formatPercent(share.min)}`;
  const hi = share.maxExclusive
    ? `less than ${formatPercent(share.max)}`
    : `at most ${formatPercent(share.max)}`;
  return share.minExclusive || share.maxExclusive
    ? `${lo} and ${hi}`
    : `${formatPercent(share.min).replace('%', '')}–${formatPercent(share.max)}`;
}

/** A lower bound in words: "50%" when exact, "more than 50%" when strict, else "at least 50%". */
export function formatLower(bounds: Bounds): string {
  if (bounds.lowerOpen) return `more than ${formatPercent(bounds.lower)}`;
  return bounds.lower === bounds.upper
    ? formatPercent(bounds.lower)
    : `at least ${formatPercent(bounds.lower)}`;
}

/** An upper bound in words: "less than 50%" when strict, else "at most 50%". */
export function formatUpper(bounds: Bounds): string {
  return `${bounds.upperOpen ? 'less than' : 'at most'} ${formatPercent(bounds.upper)}`;
}

/** "(>= 50%)" or "(> 50%)": the operator the rule uses. */
export function formatThreshold(threshold: number, inclusive: boolean): string {
  return `${inclusive ? '>=' : '>'} ${formatPercent(threshold)}`;
}
