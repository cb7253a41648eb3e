/**
 * A policy's legal status on a date. Rules come and go: the BIS affiliates rule took effect on 2025-09-29,
 * was suspended from 2025-11-10 through 2026-11-09, and its reimposition on 2026-11-10 is scheduled but not
 * confirmed by our sources; a verdict must say which of these applied.
 */
import type { PolicyRule } from './graph';
import { POLICY_FORCE_BOUNDS, meetsBound, suspensionOn } from './policyInForce';

export type PolicyStatus = 'NOT_YET_IN_FORCE' | 'IN_FORCE' | 'SUSPENDED' | 'RESCINDED' | 'EXPIRED';

export interface PolicyStatusResult {
  status: PolicyStatus;
  asOf: string;
  /** True when the policy can reach entities on that date. */
  inForce: boolean;
  /** True on or after `statusUncertainFrom`: our sources do not confirm the status computed. */
  uncertain: boolean;
  /** Plain-language reason, e.g. "Suspended from 2025-11-10 through 2026-11-09: …". */
  note: string;
}

/**
 * The status on `asOf` (in force exactly when policyInForce.ts's rule says so), checked in this order: rescinded (from `rescindedOn`, the first day without force),
 * not yet in force (before `effectiveFrom`), expired (after `effectiveUntil`, the last day in force),
 * suspended (within a suspension window, both ends inclusive), otherwise in force.
 */
export function policyStatus(policy: PolicyRule, asOf: string): PolicyStatusResult {
  const uncertain = policy.statusUncertainFrom != null && asOf >= policy.statusUncertainFrom;
  const extra =
    uncertain && policy.statusNote
      ? ` Uncertain: ${policy.statusNote}`
      : policy.statusNote
        ? ` ${policy.statusNote}`
        : '';
  const result = (status: PolicyStatus, note: string): PolicyStatusResult => ({
    status,
    asOf,
    inForce: status === 'IN_FORCE',
    uncertain,
    note: `${note}${extra}`,
  });
  const [from, until, rescinded] = POLICY_FORCE_BOUNDS;
  if (!meetsBound(policy, rescinded, asOf)) {
    return result('RESCINDED', `${policy.name} was rescinded on ${policy.rescindedOn}.`);
  }
  if (!meetsBound(policy, from, asOf)) {
    return result('NOT_YET_IN_FORCE', `${policy.name} takes effect on ${policy.effectiveFrom}.`);
  }
  if (!meetsBound(policy, until, asOf)) {
    return result('EXPIRED', `${policy.name} was in force until ${policy.effectiveUntil}.`);
  }
  const s = suspensionOn(policy.suspensions, asOf);
  if (s) {
    const window =
      s.until == null ? `from ${s.from} until further notice` : `from ${s.from} through ${s.until}`;
    return result('SUSPENDED', `${policy.name} is suspended ${window}${s.note ? ` (${s.note})` : ''}.`);
  }
  const since = policy.effectiveFrom == null ? '' : ` since ${policy.effectiveFrom}`;
  const lastSuspension = policy.suspensions
    .filter((s) => s.until != null && s.until < asOf)
    .sort((a, b) => (a.until! < b.until! ? 1 : -1))[0];
  const resumed = lastSuspension
    ? `, reimposed after a suspension that ended on ${lastSuspension.until}`
    : '';
  return result('IN_FORCE', `${policy.name} is in force${since}${resumed}.`);
}
