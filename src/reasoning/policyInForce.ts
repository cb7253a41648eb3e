/**
 * The one rule for "is a policy in force on a day", which policyStatus explains and the `policies(filter:
 * {inForceOn})` list filters by (queries/policyFilters.ts builds its Cypher from POLICY_FORCE_BOUNDS, and a
 * test checks that Cypher against `inForceBounds` on a table of policies). Dates are ISO text and compare
 * as text. `effectiveFrom` is the first day in force, `effectiveUntil` the last, `rescindedOn` the first day
 * without force (a rescission takes effect on the day it is made); suspension windows include both ends.
 */

export interface PolicyDates {
  effectiveFrom?: string | null;
  effectiveUntil?: string | null;
  rescindedOn?: string | null;
}

export interface SuspensionWindow {
  from: string;
  until?: string | null;
}

/** How `day` must compare with each date of the policy (when the date is set) for the policy to be in force. */
export const POLICY_FORCE_BOUNDS = [
  { property: 'effectiveFrom', dayMustBe: '>=' },
  { property: 'effectiveUntil', dayMustBe: '<=' },
  { property: 'rescindedOn', dayMustBe: '<' },
] as const satisfies ReadonlyArray<{ property: keyof PolicyDates; dayMustBe: '>=' | '<=' | '<' }>;

export type ForceBound = (typeof POLICY_FORCE_BOUNDS)[number];

/** Whether `day` meets one bound (an unset date does not bound the policy). */
export function meetsBound(policy: PolicyDates, bound: ForceBound, day: string): boolean {
  const date = policy[bound.property];
  if (date == null) return true;
  switch (bound.dayMustBe) {
    case '>=':
      return day >= date;
    case '<=':
      return day <= date;
    case '<':
      return day < date;
  }
}

/** Within its dates on `day`: taken effect, not expired, not rescinded (suspensions aside). */
export function inForceBounds(policy: PolicyDates, day: string): boolean {
  return POLICY_FORCE_BOUNDS.every((bound) => meetsBound(policy, bound, day));
}

/** The suspension window `day` falls in, if any. */
export function suspensionOn<S extends SuspensionWindow>(
  suspensions: readonly S[],
  day: string,
): S | undefined {
  return suspensions.find((s) => day >= s.from && (s.until == null || day <= s.until));
}

/** In force on `day`: within its dates and not suspended. */
export function policyInForce(
  policy: PolicyDates & { suspensions: readonly SuspensionWindow[] },
  day: string,
): boolean {
  return inForceBounds(policy, day) && suspensionOn(policy.suspensions, day) === undefined;
}
