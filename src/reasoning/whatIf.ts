import { echo } from './echo';
import { fail, ok, type PolicyRule, type Result } from './graph';

/** A what-if question's changes to a policy's rule ("would they be covered at 25%, or by CN and HK?"). */
export interface WhatIf {
  /** Percent, above 0 and at most 100. */
  threshold?: number | null;
  thresholdInclusive?: boolean | null;
  /** Which country of a party makes it a starting point: headquarters, incorporation, or either. */
  countryBasis?: PolicyRule['countryBasis'] | null;
  /** ISO 3166-1 alpha-2 codes, instead of the policy's target countries. */
  targetCountries?: readonly string[] | null;
}

/** The rule a what-if answer used, so an analyst can tell it from the policy's own (percent for threshold). */
export interface WhatIfRule {
  threshold: number;
  thresholdInclusive: boolean;
  countryBasis: PolicyRule['countryBasis'];
  targetCountries: string[];
  /** The arguments the question changed, by name. */
  changed: Array<keyof WhatIf>;
}

const ALPHA_2 = /^[A-Z]{2}$/;

function asked(whatIf: WhatIf): Array<keyof WhatIf> {
  return (['threshold', 'thresholdInclusive', 'countryBasis', 'targetCountries'] as const).filter(
    (k) => whatIf[k] != null,
  );
}

/**
 * The policy with a what-if applied. A threshold asked for is a question about ownership through any chain,
 * so it also counts indirect ownership (`includesIndirect`): a direct-only rule would answer a different
 * question than the one asked. Target countries must be ISO alpha-2 codes of countries in the data set
 * (`knownCountries`, upper case); they are de-duplicated and sorted. Without a what-if the rule is returned
 * unchanged.
 */
export function withWhatIf(
  rule: PolicyRule,
  whatIf: WhatIf,
  knownCountries?: ReadonlySet<string>,
): Result<PolicyRule> {
  const { threshold, thresholdInclusive, countryBasis, targetCountries } = whatIf;
  if (asked(whatIf).length === 0) return ok(rule);
  if (threshold != null && !(threshold > 0 && threshold <= 100)) {
    return fail([
      {
        code: 'INVALID_THRESHOLD',
        path: ['threshold'],
        message: `Argument "threshold" must be above 0 and at most 100 (percent), got ${echo(threshold)}.`,
      },
    ]);
  }
  if (targetCountries != null) {
    if (targetCountries.length === 0) {
      return fail([
        {
          code: 'INVALID_ARGUMENT',
          path: ['targetCountries'],
          message:
            'Argument "targetCountries" must name at least one country (or be left out for the policy\'s own).',
        },
      ]);
    }
    const unknown = targetCountries.filter(
      (c) => !ALPHA_2.test(c) || (knownCountries && !knownCountries.has(c)),
    );
    if (unknown.length > 0) {
      return fail([
        {
          code: 'INVALID_ARGUMENT',
          path: ['targetCountries'],
          message: `Argument "targetCountries" must hold ISO 3166-1 alpha-2 codes of countries in the data set; unknown: ${unknown
            .slice(0, 10)
            .map((c) => echo(c))
            .join(', ')}${unknown.length > 10 ? `, … (${unknown.length} in all)` : ''}.`,
        },
      ]);
    }
  }
  return ok({
    ...rule,
    threshold: threshold != null ? threshold / 100 : rule.threshold,
    thresholdInclusive: thresholdInclusive ?? rule.thresholdInclusive,
    includesIndirect: threshold != null ? true : rule.includesIndirect,
    countryBasis: countryBasis ?? rule.countryBasis,
    targetCountries: targetCountries != null ? [...new Set(targetCountries)].sort() : rule.targetCountries,
  });
}

/** The rule a what-if answer used (the policy's values where the question left them), or null without a what-if. */
export function whatIfRule(rule: PolicyRule, whatIf: WhatIf): WhatIfRule | null {
  const changed = asked(whatIf);
  if (changed.length === 0) return null;
  return {
    threshold: Math.round(rule.threshold * 100 * 1e9) / 1e9,
    thresholdInclusive: rule.thresholdInclusive,
    countryBasis: rule.countryBasis,
    targetCountries: [...rule.targetCountries],
    changed,
  };
}
