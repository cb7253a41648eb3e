import { OwnershipRule } from '../../model/policy';
import { toProps } from '../../seed/storage';
import { readOwnershipRule, RULE_PROPERTIES, StoredRecordError } from '../ownershipRule';

const rule: OwnershipRule = {
  threshold: 50,
  thresholdInclusive: true,
  countryBasis: 'HEADQUARTERS',
  includesIndirect: true,
  aggregation: 'AGGREGATE',
  controlCounts: false,
};

describe('records: the stored ownership rule', () => {
  it('reads back exactly the rule the seed writer stored', () => {
    const stored = { id: 'policy:p', ...toProps({ id: 'policy:p', ownershipRule: rule }) };
    expect(readOwnershipRule(stored)).toEqual(rule);
  });

  it('stores every field of the format under the name RULE_PROPERTIES gives it', () => {
    const full = { ...rule, controlCounts: true, controlBases: ['VIE_CONTRACT' as const] };
    expect(Object.keys(toProps({ ownershipRule: full })).sort()).toEqual(
      Object.values(RULE_PROPERTIES).sort(),
    );
  });

  it('reads a policy without a stored threshold as a policy without a rule', () => {
    expect(readOwnershipRule({ id: 'policy:list', name: 'An entity list' })).toBeNull();
  });

  it('applies the format’s own defaults for aggregation and control', () => {
    expect(
      readOwnershipRule({
        id: 'policy:p',
        ruleThreshold: 25,
        ruleThresholdInclusive: false,
        ruleCountryBasis: 'EITHER',
        ruleIncludesIndirect: false,
      }),
    ).toEqual({
      threshold: 25,
      thresholdInclusive: false,
      countryBasis: 'EITHER',
      includesIndirect: false,
      aggregation: 'AGGREGATE',
      controlCounts: false,
    });
  });

  // Issue 8: queries/policyRules.ts read a missing flag as false, resolvers/policies.ts as true. The data-set
  // format requires both flags (model/policy.ts), so neither default is right: a stored rule without them was
  // not written by the seed writer and is reported, naming the record and the field.
  it.each(['thresholdInclusive', 'includesIndirect'] as const)(
    'refuses a stored rule without the required %s instead of guessing a default',
    (field) => {
      const stored: Record<string, unknown> = {
        id: 'policy:broken',
        ...toProps({ ownershipRule: rule }),
      };
      delete stored[RULE_PROPERTIES[field]];
      expect(() => readOwnershipRule({ id: 'policy:broken', ...stored })).toThrow(StoredRecordError);
      expect(() => readOwnershipRule({ id: 'policy:broken', ...stored })).toThrow(
        new RegExp(`policy:broken .*ownershipRule\\.${field}`),
      );
    },
  );
});
