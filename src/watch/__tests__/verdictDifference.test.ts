import type { PolicyVerdict } from '../../reasoning';
import { instantBefore, verdictDifference } from '../verdictChanges';

function verdict(change: {
  verdict?: PolicyVerdict['verdict'];
  status?: string;
  uncertain?: boolean;
  share?: [number, number];
  method?: PolicyVerdict['method'];
}): PolicyVerdict {
  const [lower, upper] = change.share ?? [0.6, 0.6];
  const v = change.verdict ?? 'COVERED';
  return {
    entityId: 'org:x',
    policyId: 'policy:p',
    asOf: '2026-01-01',
    verdict: v,
    policyStatus: {
      status: (change.status ?? 'IN_FORCE') as never,
      asOf: '2026-01-01',
      inForce: true,
      uncertain: change.uncertain ?? false,
      note: '',
    },
    aggregate: { lower, upper, verdict: v },
    lookThrough: { lower: 0.1, upper: 0.1, verdict: 'NOT_COVERED' },
    method: change.method ?? 'AGGREGATE',
    threshold: { value: 0.5, inclusive: true },
    explanation: { sentence: '', paths: [], capped: false } as never,
    approximate: false,
    overallocated: [],
  };
}

describe('What counts as a changed verdict', () => {
  it.each([
    { name: 'the same answer', before: verdict({}), after: verdict({}), aspects: [] },
    {
      name: 'another verdict and share',
      before: verdict({}),
      after: verdict({ verdict: 'NOT_COVERED', share: [0.4, 0.4] }),
      aspects: ['VERDICT', 'SHARE'],
    },
    {
      name: 'a share within the same verdict',
      before: verdict({}),
      after: verdict({ share: [0.55, 0.7] }),
      aspects: ['SHARE'],
    },
    {
      name: 'a suspended policy',
      before: verdict({}),
      after: verdict({ status: 'SUSPENDED' }),
      aspects: ['POLICY_STATUS'],
    },
    {
      name: 'a status that became uncertain',
      before: verdict({}),
      after: verdict({ uncertain: true }),
      aspects: ['POLICY_STATUS'],
    },
    { name: 'an entity that became known', before: null, after: verdict({}), aspects: ['KNOWN'] },
    { name: 'an entity retracted', before: verdict({}), after: null, aspects: ['KNOWN'] },
    { name: 'unknown before and after', before: null, after: null, aspects: [] },
  ])('$name: $aspects', ({ before, after, aspects }) => {
    expect(verdictDifference(before, after)).toEqual(aspects);
  });

  it('compares the deciding method only: a look-through share moving under an AGGREGATE policy is no change', () => {
    const after = verdict({});
    after.lookThrough = { lower: 0.2, upper: 0.2, verdict: 'NOT_COVERED' };
    expect(verdictDifference(verdict({}), after)).toEqual([]);
    expect(
      verdictDifference(verdict({ method: 'LOOK_THROUGH' }), { ...after, method: 'LOOK_THROUGH' }),
    ).toEqual(['SHARE']);
  });

  it('asks "just before" one millisecond before the change set, written as record times are', () => {
    expect(instantBefore('2026-03-01T00:00:00.000Z')).toBe('2026-02-28T23:59:59.999Z');
  });
});
