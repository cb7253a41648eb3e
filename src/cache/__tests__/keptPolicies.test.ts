import { createSweepCache, MAX_HELD_POLICIES } from '../sweepCache';
import type { CoveringPolicy } from '../../queries/modelAccess';
import type { PolicyRule } from '../../reasoning';

/**
 * Policies kept per graph stamp (issue 15 item 3): a verdict or an access check that saw the stamp a policy was
 * kept at uses it without a read. What is held must never outlive its stamp.
 */
const rule = (id: string, threshold = 0.5) => ({ id, threshold }) as unknown as PolicyRule;
const covering = (id: string) => ({ rule: rule(id), reach: { policyId: id } }) as unknown as CoveringPolicy;

describe('Sweep cache: policies kept per graph stamp', () => {
  it('holds a policy with the stamp it was kept at', () => {
    const cache = createSweepCache(1000)!;
    expect(cache.heldPolicy('policy:a')).toBeUndefined();
    cache.keepPolicy('3@t3', 'policy:a', rule('policy:a'));
    expect(cache.heldPolicy('policy:a')).toEqual({ stamp: '3@t3', rule: rule('policy:a') });
  });

  it('drops every policy of an older stamp when one is kept at another stamp', () => {
    const cache = createSweepCache(1000)!;
    cache.keepPolicy('3@t3', 'policy:a', rule('policy:a'));
    cache.keepPolicy('3@t3', 'policy:b', rule('policy:b'));
    cache.keepPolicy('4@t4', 'policy:b', rule('policy:b', 0.25));
    expect(cache.heldPolicy('policy:a')).toBeUndefined();
    expect(cache.heldPolicy('policy:b')).toEqual({ stamp: '4@t4', rule: rule('policy:b', 0.25) });
  });

  it('keeps covering policies apart from verdict rules, with the same rule about stamps', () => {
    const cache = createSweepCache(1000)!;
    cache.keepCovering('3@t3', 'policy:a', covering('policy:a'));
    expect(cache.heldPolicy('policy:a')).toBeUndefined();
    expect(cache.heldCovering('policy:a')).toEqual({ stamp: '3@t3', policy: covering('policy:a') });
    cache.keepCovering('4@t4', 'policy:b', covering('policy:b'));
    expect(cache.heldCovering('policy:a')).toBeUndefined();
  });

  it(`holds at most ${MAX_HELD_POLICIES} policies, starting over past that`, () => {
    const cache = createSweepCache(1000)!;
    for (let i = 0; i <= MAX_HELD_POLICIES; i++) cache.keepPolicy('1@t1', `policy:${i}`, rule(`policy:${i}`));
    expect(cache.heldPolicy('policy:0')).toBeUndefined();
    expect(cache.heldPolicy(`policy:${MAX_HELD_POLICIES}`)?.stamp).toBe('1@t1');
  });

  it('forgets every kept policy on clear', () => {
    const cache = createSweepCache(1000)!;
    cache.keepPolicy('1@t1', 'policy:a', rule('policy:a'));
    cache.keepCovering('1@t1', 'policy:a', covering('policy:a'));
    cache.clear();
    expect([cache.heldPolicy('policy:a'), cache.heldCovering('policy:a')]).toEqual([undefined, undefined]);
  });
});
