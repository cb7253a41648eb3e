import { OwnershipRule } from '../model/policy';

/**
 * A policy's ownership rule as Neo4j stores it: one `rule…` property per field of the data-set format's
 * `ownershipRule` (seed/storage.ts writes these names, every reader reads them through `readOwnershipRule`).
 */
export const RULE_PROPERTIES = {
  threshold: 'ruleThreshold',
  thresholdInclusive: 'ruleThresholdInclusive',
  countryBasis: 'ruleCountryBasis',
  includesIndirect: 'ruleIncludesIndirect',
  aggregation: 'ruleAggregation',
  controlCounts: 'ruleControlCounts',
  controlBases: 'ruleControlBases',
} as const satisfies Record<keyof OwnershipRule, string>;

/** What GraphQL's OwnershipRule resolves from: the rule, and the policy's targets its description names. */
export interface OwnershipRuleRow extends OwnershipRule {
  targets: readonly string[];
}

/** A stored record that does not match the data-set format it was written from. */
export class StoredRecordError extends Error {
  constructor(
    readonly recordId: string,
    readonly issues: readonly string[],
  ) {
    super(`Stored record ${recordId} does not match the data-set format: ${issues.join('; ')}`);
    this.name = 'StoredRecordError';
  }
}

/**
 * The rule stored on a policy node, or null when the policy has none (no `ruleThreshold`). It is parsed with
 * the data-set format's own schema, so its defaults (aggregation AGGREGATE, controlCounts false) apply and
 * a required field that is missing (`thresholdInclusive`, `includesIndirect`) is an error, never a guess:
 * the format requires both, so a stored rule without them was not written by the seed writer.
 */
export function readOwnershipRule(policy: { id: string; [property: string]: unknown }): OwnershipRule | null {
  if (policy[RULE_PROPERTIES.threshold] === undefined || policy[RULE_PROPERTIES.threshold] === null)
    return null;
  const stored = Object.fromEntries(
    Object.entries(RULE_PROPERTIES)
      .map(([field, property]) => [field, policy[property]] as const)
      .filter(([, value]) => value !== undefined && value !== null),
  );
  const parsed = OwnershipRule.safeParse(stored);
  if (!parsed.success) {
    throw new StoredRecordError(
      policy.id,
      parsed.error.issues.map((i) => `ownershipRule.${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** The ownership rule written as stored properties (the inverse of `readOwnershipRule`). */
export function ownershipRuleProperties(
  rule: Partial<OwnershipRule>,
): Record<string, string | number | boolean | string[]> {
  const props: Record<string, string | number | boolean | string[]> = {};
  for (const [field, property] of Object.entries(RULE_PROPERTIES) as Array<[keyof OwnershipRule, string]>) {
    const value = rule[field];
    if (value !== undefined && value !== null) props[property] = value;
  }
  return props;
}
