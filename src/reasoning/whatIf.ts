import { fail, ok, type PolicyRule, type Result } from './graph';

/** A what-if question's changes to a policy's rule ("would they be covered at 25%, or more?"). */
export interface WhatIf {
  /** Percent, above 0 and at most 100. */
  threshold?: number | null;
  thresholdInclusive?: boolean | null;
}

/**
 * The policy with a what-if threshold applied. A threshold asked for is a question about ownership through
 * any chain, so it also counts indirect ownership (`includesIndirect`): a direct-only rule would answer a
 * different question than the one asked. Without a what-if the rule is returned unchanged.
 */
export function withWhatIf(rule: PolicyRule, whatIf: WhatIf): Result<PolicyRule> {
  const { threshold, thresholdInclusive } = whatIf;
  if (threshold == null && thresholdInclusive == null) return ok(rule);
  if (threshold != null && !(threshold > 0 && threshold <= 100)) {
    return fail([
      {
        code: 'INVALID_THRESHOLD',
        path: ['threshold'],
        message: `Argument "threshold" must be above 0 and at most 100 (percent), got ${JSON.stringify(threshold)}.`,
      },
    ]);
  }
  return ok({
    ...rule,
    threshold: threshold != null ? threshold / 100 : rule.threshold,
    thresholdInclusive: thresholdInclusive ?? rule.thresholdInclusive,
    includesIndirect: threshold != null ? true : rule.includesIndirect,
  });
}
