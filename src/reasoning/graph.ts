/**
 * The input of the reasoning engine: plain entities, dated ownership and control edges, policies and
 * designations. Shares are fractions in [0, 1] (the data set stores percent; the caller divides by 100).
 */
import { partialDate, type DatePrecision } from '../model/common';
import { echo } from './echo';

export type EntityKind = 'ORGANIZATION' | 'PERSON';

export interface Entity {
  id: string;
  name: string;
  kind: EntityKind;
  headquartersCountry: string | null;
  incorporationCountry: string | null;
  /**
   * True when the owners on record account for all of the entity's equity (any remainder is, say, a
   * dispersed public float). Then the unattributed remainder never counts toward an upper bound, even
   * with `unknownAs: 'POSSIBLY_COVERED'`.
   */
  ownershipComplete?: boolean;
}

/**
 * A share as a range, after BODS: exact when min === max; `minExclusive` is BODS `exclusiveMinimum`
 * ("more than 25%"), `maxExclusive` is `exclusiveMaximum`; `unknown: true` means the stake exists but its
 * size is not known, and is read as [0, 1] whatever min and max say.
 */
export interface Share {
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  unknown?: boolean;
}

export interface OwnershipEdge extends DatedPrecisely {
  id: string;
  ownerId: string;
  ownedId: string;
  share: Share;
  startDate: string | null;
  endDate: string | null;
  sourceIds: string[];
}

/**
 * A dated record whose ends may be known only to the month or year. The stored start is the first day it
 * allows and the stored end the last (so `inForce` answers "possibly in force"); the precision says how
 * wide each end is.
 */
export interface DatedPrecisely {
  startDate?: string | null;
  endDate?: string | null;
  startDatePrecision?: DatePrecision | null;
  endDatePrecision?: DatePrecision | null;
}

export type ControlBasis = 'VIE_CONTRACT' | 'GOLDEN_SHARE' | 'BOARD_CONTROL' | 'VOTING_AGREEMENT' | 'OTHER';

export interface ControlEdge {
  id: string;
  controllerId: string;
  controlledId: string;
  basis: ControlBasis;
  startDate: string | null;
  endDate: string | null;
  sourceIds: string[];
}

export interface OwnershipGraph {
  entities: Map<string, Entity>;
  ownerships: OwnershipEdge[];
  controls: ControlEdge[];
}

export interface Designation {
  id: string;
  policyId: string;
  entityId: string;
  startDate: string | null;
  endDate: string | null;
  sourceIds: string[];
  /** The list the entry is on (Entity List, MEU List, SDN): BIS applies the most restrictive owner's list. */
  listName?: string | null;
}

export interface Suspension {
  from: string;
  /** Last day of the suspension (inclusive); null: suspended until further notice. */
  until: string | null;
  note?: string;
}

export interface PolicyRule {
  id: string;
  name: string;
  /** Fraction in (0, 1], e.g. 0.5. */
  threshold: number;
  /** true: ">= 50%" (OFAC, BIS, EU since Jul 2024); false: "> 50%" (Anthropic, UK). */
  thresholdInclusive: boolean;
  countryBasis: 'HEADQUARTERS' | 'INCORPORATION' | 'EITHER';
  /** ISO alpha-2 codes (or region codes, compared as strings). */
  targetCountries: string[];
  /** false: only the direct holdings of roots count. */
  includesIndirect: boolean;
  controlCounts: boolean;
  /** Control bases that count when `controlCounts`; absent: every basis. */
  controlBases?: ControlBasis[];
  /** Which method decides the verdict; both are always reported. */
  aggregation: 'AGGREGATE' | 'LOOK_THROUGH';
  effectiveFrom: string | null;
  /** Last day in force (inclusive). */
  effectiveUntil: string | null;
  /** First day no longer in force. */
  rescindedOn: string | null;
  suspensions: Suspension[];
  statusNote?: string | null;
  /**
   * From this date on, the status we compute is not confirmed by our sources (BIS affiliates rule: the
   * reimposition on 2026-11-10 is scheduled, not confirmed); the status carries `uncertain: true`.
   */
  statusUncertainFrom?: string | null;
  designations: Designation[];
}

/** An error as a value, as zod reports issues: what went wrong, where, in one sentence. */
export interface ReasoningError {
  code: 'INVALID_ARGUMENT' | 'INVALID_SHARE' | 'INVALID_DATE' | 'INVALID_THRESHOLD';
  path: (string | number)[];
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: ReasoningError[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(errors: ReasoningError[]): Result<T> {
  return { ok: false, errors };
}

/** For states that cannot happen if the code is right; never for bad input (that is a returned error). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violation: ${message}`);
}

/** Exhaustiveness guard for switches over unions: a new member fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}

/**
 * YYYY-MM-DD that is a real calendar day (2025-02-31 is refused). ISO dates compare correctly as text, so they
 * stay strings throughout. The one date check: the GraphQL Date scalar and the reasoning both use it.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function checkDate(value: string, path: (string | number)[]): ReasoningError[] {
  return isIsoDate(value)
    ? []
    : [
        {
          code: 'INVALID_DATE',
          path,
          message: `Argument "${path.join('.')}" must be a date YYYY-MM-DD, got ${echo(value)}.`,
        },
      ];
}

/**
 * Whether a dated record is surely in force on `asOf`, given the precision of its ends. A start known only
 * to the month ("since 2024-03") may be any day of March: the record is possibly in force from 2024-03-01
 * (what `inForce` answers) and surely from 2024-03-31. An end known to the month ("until 2025-09") may be
 * any day of September: surely in force through 2025-09-01, possibly through 2025-09-30. On the days in
 * between, an answer that depends on the record is uncertain, never firm.
 */
export function certainlyInForce(dated: DatedPrecisely, asOf: string): boolean {
  if (!inForce(dated, asOf)) return false;
  const start = widen(dated.startDate, dated.startDatePrecision);
  if (start && asOf < start.last) return false;
  const end = widen(dated.endDate, dated.endDatePrecision);
  return !(end && asOf > end.first);
}

/** The days of the month or year a stored day stands for; null for a day-precise (or missing) date. */
function widen(day: string | null | undefined, precision: DatePrecision | null | undefined) {
  if (!day || !precision || precision === 'DAY') return null;
  return partialDate(precision === 'MONTH' ? day.slice(0, 7) : day.slice(0, 4));
}

/**
 * Whether a dated record is in force on `asOf`. Both ends are inclusive: `endDate` is the last day the
 * record holds (a stake "ending 2024-06-30" still counts on that day, not the day after), matching
 * BODS `endDate` and suspensions written "through 9 Nov 2026". Null ends are open.
 */
export function inForce(
  dated: { startDate?: string | null; endDate?: string | null },
  asOf: string,
): boolean {
  if (dated.startDate != null && dated.startDate > asOf) return false;
  if (dated.endDate != null && asOf > dated.endDate) return false;
  return true;
}
