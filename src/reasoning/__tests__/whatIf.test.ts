import { policyVerdict } from '../verdict';
import { whatIfRule, withWhatIf, type WhatIf } from '../whatIf';
import { anthropic, graphOf, unwrap } from './fixtures';

/**
 * What-if questions on a policy's rule: another threshold, another country basis, other target countries,
 * each answered on the same data in one call, and reported as the rule used.
 */

const DAY = '2026-03-01';
const KNOWN = new Set(['CN', 'HK', 'MO', 'RU', 'IR', 'KP', 'US', 'KY']);
// hk-parent: headquartered in HK, incorporated in KY; cn-shell: incorporated in CN, headquartered in the US.
const graph = graphOf({
  entities: {
    'org:hk-parent': { headquartersCountry: 'HK', incorporationCountry: 'KY' },
    'org:cn-shell': { headquartersCountry: 'US', incorporationCountry: 'CN' },
  },
  edges: [
    ['org:hk-parent', 'org:hk-sub', 60],
    ['org:cn-shell', 'org:cn-sub', 60],
    ['org:hk-parent', 'org:thirty', 30],
  ],
});

const verdictOf = (entity: string, whatIf: WhatIf) =>
  unwrap(policyVerdict(graph, unwrap(withWhatIf(anthropic(), whatIf, KNOWN)), entity, { asOf: DAY })).verdict;

describe('withWhatIf: the policy asked about with other values', () => {
  it.each<[string, string, WhatIf, string]>([
    ['the policy’s own targets leave out HK', 'org:hk-sub', {}, 'NOT_COVERED'],
    [
      'CN and HK as targets cover the HK-held subsidiary',
      'org:hk-sub',
      { targetCountries: ['CN', 'HK'] },
      'COVERED',
    ],
    ['CN only does not', 'org:hk-sub', { targetCountries: ['CN'] }, 'NOT_COVERED'],
    [
      'by headquarters, a CN-incorporated, US-headquartered parent does not count',
      'org:cn-sub',
      {},
      'NOT_COVERED',
    ],
    ['by incorporation it does', 'org:cn-sub', { countryBasis: 'INCORPORATION' }, 'COVERED'],
    ['by either country it does', 'org:cn-sub', { countryBasis: 'EITHER' }, 'COVERED'],
    [
      'by incorporation, the HK parent (KY-incorporated) does not',
      'org:hk-sub',
      { countryBasis: 'INCORPORATION', targetCountries: ['CN', 'HK'] },
      'NOT_COVERED',
    ],
    [
      'threshold and targets together: 25% with HK',
      'org:thirty',
      { threshold: 25, targetCountries: ['HK'] },
      'COVERED',
    ],
    [
      '30% exactly under a strict 30% threshold',
      'org:thirty',
      { threshold: 30, targetCountries: ['HK'] },
      'NOT_COVERED',
    ],
    [
      '30% exactly under an inclusive 30% threshold',
      'org:thirty',
      { threshold: 30, thresholdInclusive: true, targetCountries: ['HK'] },
      'COVERED',
    ],
  ])('%s', (_, entity, whatIf, expected) => {
    expect(verdictOf(entity, whatIf)).toBe(expected);
  });

  it.each<[string, WhatIf, RegExp]>([
    ['an unknown country code', { targetCountries: ['CN', 'XX'] }, /"targetCountries".*unknown: "XX"/],
    ['a lower-case code', { targetCountries: ['cn'] }, /"targetCountries".*unknown: "cn"/],
    ['a name instead of a code', { targetCountries: ['China'] }, /unknown: "China"/],
    ['an empty list', { targetCountries: [] }, /"targetCountries" must name at least one country/],
    ['a threshold out of range', { threshold: 0 }, /"threshold" must be above 0/],
  ])('rejects %s, naming the argument', (_, whatIf, message) => {
    const result = withWhatIf(anthropic(), whatIf, KNOWN);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toMatch(message);
    expect(result.errors[0]?.path).toEqual([whatIf.targetCountries ? 'targetCountries' : 'threshold']);
  });

  it('leaves the rule unchanged without a what-if, and reports no what-if rule', () => {
    const rule = anthropic();
    expect(unwrap(withWhatIf(rule, {}, KNOWN))).toBe(rule);
    expect(whatIfRule(rule, { threshold: null, targetCountries: null })).toBeNull();
  });

  it('reports the rule used: the values asked for, the policy’s own elsewhere, and what was changed', () => {
    const whatIf: WhatIf = { targetCountries: ['HK', 'CN', 'HK'], countryBasis: 'EITHER' };
    const rule = unwrap(withWhatIf(anthropic(), whatIf, KNOWN));
    expect(whatIfRule(rule, whatIf)).toEqual({
      threshold: 50,
      thresholdInclusive: false,
      countryBasis: 'EITHER',
      targetCountries: ['CN', 'HK'],
      changed: ['countryBasis', 'targetCountries'],
    });
  });
});
