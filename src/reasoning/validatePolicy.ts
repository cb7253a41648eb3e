/** Checks a policy before any reasoning, so a bad rule is reported as errors rather than as wrong verdicts. */
import type { PolicyRule, ReasoningError } from './graph';
import { checkDate } from './graph';

/** Every problem at once, each with its path: threshold in (0, 1], dates YYYY-MM-DD, windows in order. */
export function validatePolicy(policy: PolicyRule): ReasoningError[] {
  const errors: ReasoningError[] = [];
  const t = policy.threshold;
  if (!Number.isFinite(t) || t <= 0 || t > 1) {
    errors.push({
      code: 'INVALID_THRESHOLD',
      path: ['policy', 'threshold'],
      message: `Argument "threshold" must be above 0 and at most 1, got ${t}.`,
    });
  }
  const dates: [string | null | undefined, (string | number)[]][] = [
    [policy.effectiveFrom, ['policy', 'effectiveFrom']],
    [policy.effectiveUntil, ['policy', 'effectiveUntil']],
    [policy.rescindedOn, ['policy', 'rescindedOn']],
    [policy.statusUncertainFrom, ['policy', 'statusUncertainFrom']],
  ];
  policy.suspensions.forEach((s, i) => {
    dates.push(
      [s.from, ['policy', 'suspensions', i, 'from']],
      [s.until, ['policy', 'suspensions', i, 'until']],
    );
    if (s.until != null && s.until < s.from) {
      errors.push({
        code: 'INVALID_DATE',
        path: ['policy', 'suspensions', i, 'until'],
        message: `Suspension ${i} ends (${s.until}) before it starts (${s.from}).`,
      });
    }
  });
  for (const [value, path] of dates) if (value != null) errors.push(...checkDate(value, path));
  return errors;
}
