import { inForceBounds, policyInForce, suspensionOn, type PolicyDates } from '../policyInForce';
import { POLICY_DATE_CASES } from './policyDateCases';
import { policyStatus } from '../policyStatus';
import type { PolicyRule } from '../graph';

const rule = (dates: PolicyDates, suspensions: PolicyRule['suspensions'] = []): PolicyRule => ({
  id: 'policy:p',
  name: 'P',
  threshold: 0.5,
  thresholdInclusive: true,
  countryBasis: 'HEADQUARTERS',
  targetCountries: [],
  includesIndirect: true,
  controlCounts: false,
  aggregation: 'AGGREGATE',
  effectiveFrom: dates.effectiveFrom ?? null,
  effectiveUntil: dates.effectiveUntil ?? null,
  rescindedOn: dates.rescindedOn ?? null,
  suspensions,
  statusNote: null,
  statusUncertainFrom: null,
  designations: [],
});

describe('reasoning: when a policy is in force', () => {
  it.each(POLICY_DATE_CASES)('$name: in force $inForce', ({ policy, day, inForce }) => {
    expect(inForceBounds(policy, day)).toBe(inForce);
    expect(policyInForce({ ...policy, suspensions: [] }, day)).toBe(inForce);
    expect(policyStatus(rule(policy), day).inForce).toBe(inForce);
  });

  it.each([
    { name: 'on the first day of a suspension', day: '2025-11-10', suspended: true },
    { name: 'on the last day of a suspension', day: '2026-11-09', suspended: true },
    { name: 'the day after a suspension ends', day: '2026-11-10', suspended: false },
    { name: 'the day before a suspension starts', day: '2025-11-09', suspended: false },
  ])('is suspended $name: $suspended', ({ day, suspended }) => {
    const suspensions = [{ from: '2025-11-10', until: '2026-11-09' }];
    expect(suspensionOn(suspensions, day) !== undefined).toBe(suspended);
    expect(policyInForce({ suspensions }, day)).toBe(!suspended);
    expect(policyStatus(rule({}, suspensions), day).inForce).toBe(!suspended);
  });

  it('treats a suspension without an end as lasting until further notice', () => {
    expect(policyInForce({ suspensions: [{ from: '2025-11-10', until: null }] }, '2099-01-01')).toBe(false);
  });
});
