/**
 * The acceptance table of research/ownership.md (cases 1–20 and 22; case 21 is in bounds.test.ts): each
 * case answered by both methods, AGG (OFAC-style aggregation) and MULT (look-through), at the threshold
 * the row names.
 */
import type { PolicyRule } from '../graph';
import type { CoverageVerdict } from '../bounds';
import { coveredEntities } from '../coverage';
import { policyVerdict } from '../verdict';
import type { GraphSpec } from './fixtures';
import { anthropic, graphOf, ofac, policyOf, unwrap } from './fixtures';

interface Case {
  name: string;
  graph: GraphSpec;
  policy: PolicyRule;
  target: string;
  asOf?: string;
  agg: CoverageVerdict;
  /** MULT share held by roots, in percent. */
  mult: number;
  multVerdict: CoverageVerdict;
}

const cn = { headquartersCountry: 'CN' };
const gte = (ids: string[], over: Partial<PolicyRule> = {}) => ofac(ids, over);
const gt = (ids: string[], over: Partial<PolicyRule> = {}) =>
  ofac(ids, { thresholdInclusive: false, ...over });

const cases: Case[] = [
  {
    name: 'case 1 (FAQ 401 ex. 1): B is covered at >= 50% because A passes its whole 50% on; MULT gives 25%',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['A', 'B', 50],
      ],
    },
    policy: gte(['X']),
    target: 'B',
    agg: 'COVERED',
    mult: 25,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 1 at > 50%: B is not covered because A itself is only 50% owned',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['A', 'B', 50],
      ],
    },
    policy: gt(['X']),
    target: 'B',
    agg: 'NOT_COVERED',
    mult: 25,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 2 (FAQ 401 ex. 2): C is covered by 25% + 25% from two covered owners; MULT 25%',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['X', 'B', 50],
        ['A', 'C', 25],
        ['B', 'C', 25],
      ],
    },
    policy: gte(['X']),
    target: 'C',
    agg: 'COVERED',
    mult: 25,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 3 (FAQ 401 ex. 3): B is covered by 10% direct + 40% via covered A; MULT 30%',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['X', 'B', 10],
        ['A', 'B', 40],
      ],
    },
    policy: gte(['X']),
    target: 'B',
    agg: 'COVERED',
    mult: 30,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 4 (FAQ 399): holdings of two blocked persons add up to 50% at >= 50%',
    graph: {
      edges: [
        ['X', 'A', 25],
        ['Y', 'A', 25],
      ],
    },
    policy: gte(['X', 'Y']),
    target: 'A',
    agg: 'COVERED',
    mult: 50,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 4 at > 50%: 50% in the aggregate is not more than 50%',
    graph: {
      edges: [
        ['X', 'A', 25],
        ['Y', 'A', 25],
      ],
    },
    policy: gt(['X', 'Y']),
    target: 'A',
    agg: 'NOT_COVERED',
    mult: 50,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 5 (EU FAQ): two listed persons with 30% and 25% own 55%',
    graph: {
      edges: [
        ['L1', 'E', 30],
        ['L2', 'E', 25],
      ],
    },
    policy: gte(['L1', 'L2']),
    target: 'E',
    agg: 'COVERED',
    mult: 55,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 6: B covered in the aggregate passes its 50% on to C; MULT 25%',
    graph: {
      edges: [
        ['X', 'B', 25],
        ['Y', 'B', 25],
        ['B', 'C', 50],
      ],
    },
    policy: gte(['X', 'Y']),
    target: 'C',
    agg: 'COVERED',
    mult: 25,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 7 (FAQ 398 caution): a 40% minority chain does not flow through I',
    graph: {
      edges: [
        ['X', 'I', 40],
        ['I', 'T', 100],
      ],
    },
    policy: gte(['X']),
    target: 'T',
    agg: 'NOT_COVERED',
    mult: 40,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 8: MULT catches 54% where AGG sees only the direct 30%',
    graph: {
      edges: [
        ['X', 'I', 40],
        ['I', 'T', 60],
        ['X', 'T', 30],
      ],
    },
    policy: gte(['X']),
    target: 'T',
    agg: 'NOT_COVERED',
    mult: 54,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 9: a 60% cascade covers C under AGG while MULT gives 21.6%',
    graph: {
      edges: [
        ['X', 'A', 60],
        ['A', 'B', 60],
        ['B', 'C', 60],
      ],
    },
    policy: gte(['X']),
    target: 'C',
    agg: 'COVERED',
    mult: 21.6,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 10 at >= 50%: A and B in a cycle do not justify each other; MULT is exactly 45/0.9 = 50%',
    graph: {
      edges: [
        ['P', 'A', 45],
        ['P', 'B', 45],
        ['A', 'B', 10],
        ['B', 'A', 10],
      ],
    },
    policy: gte(['P']),
    target: 'A',
    agg: 'NOT_COVERED',
    mult: 50,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 10 at > 50%: the exact 50% of the cycle is not more than 50%',
    graph: {
      edges: [
        ['P', 'A', 45],
        ['P', 'B', 45],
        ['A', 'B', 10],
        ['B', 'A', 10],
      ],
    },
    policy: gt(['P']),
    target: 'A',
    agg: 'NOT_COVERED',
    mult: 50,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 11: a root owned by a root is not counted twice (60%, not 120%)',
    graph: {
      edges: [
        ['CN1', 'CN2', 100],
        ['CN2', 'T', 60],
      ],
      entities: { CN1: cn, CN2: cn },
    },
    policy: anthropic(),
    target: 'T',
    asOf: '2025-10-01',
    agg: 'COVERED',
    mult: 60,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 12 under Anthropic (> 50%): U, 50% owned by a covered SG subsidiary, is not covered',
    graph: {
      edges: [
        ['P', 'S', 100],
        ['S', 'U', 50],
      ],
      entities: { P: cn, S: { headquartersCountry: 'SG' }, U: { headquartersCountry: 'US' } },
    },
    policy: anthropic(),
    target: 'U',
    asOf: '2025-10-01',
    agg: 'NOT_COVERED',
    mult: 50,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 12 under a >= 50% rule: U is covered',
    graph: {
      edges: [
        ['P', 'S', 100],
        ['S', 'U', 50],
      ],
      entities: { P: cn, S: { headquartersCountry: 'SG' }, U: { headquartersCountry: 'US' } },
    },
    policy: anthropic({ thresholdInclusive: true }),
    target: 'U',
    asOf: '2025-10-01',
    agg: 'COVERED',
    mult: 50,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 13: two CN-headquartered companies with 30% and 25% aggregate to 55% under Anthropic',
    graph: {
      edges: [
        ['CN1', 'T', 30],
        ['CN2', 'T', 25],
      ],
      entities: { CN1: cn, CN2: cn },
    },
    policy: anthropic(),
    target: 'T',
    asOf: '2025-10-01',
    agg: 'COVERED',
    mult: 55,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 15: a 60% stake that ended on 2024-06-30 no longer counts in 2025',
    graph: { edges: [['X', 'A', 60, { end: '2024-06-30' }]] },
    policy: gte(['X']),
    target: 'A',
    asOf: '2025-01-01',
    agg: 'NOT_COVERED',
    mult: 0,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 15 on its last day: the stake still counts on its end date (inclusive end)',
    graph: { edges: [['X', 'A', 60, { end: '2024-06-30' }]] },
    policy: gte(['X']),
    target: 'A',
    asOf: '2024-06-30',
    agg: 'COVERED',
    mult: 60,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 16 under OFAC (FAQ 398): control without equity does not cover',
    graph: { edges: [], controls: [['X', 'A', 'VIE_CONTRACT']] },
    policy: gte(['X']),
    target: 'A',
    agg: 'NOT_COVERED',
    mult: 0,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 16 under an EU-style rule where control counts: A is covered',
    graph: { edges: [], controls: [['X', 'A', 'VIE_CONTRACT']] },
    policy: gte(['X'], { controlCounts: true }),
    target: 'A',
    agg: 'COVERED',
    mult: 0,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 16 when the control basis is not on the policy list: A is not covered',
    graph: { edges: [], controls: [['X', 'A', 'VIE_CONTRACT']] },
    policy: gte(['X'], { controlCounts: true, controlBases: ['GOLDEN_SHARE'] }),
    target: 'A',
    agg: 'NOT_COVERED',
    mult: 0,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 17: A is not covered by AGG (Y is owned by A, not covered); MULT gives X 45/52 of A (treasury effect)',
    graph: {
      edges: [
        ['X', 'A', 45],
        ['Y', 'A', 48],
        ['A', 'Y', 100],
      ],
    },
    policy: gte(['X']),
    target: 'A',
    agg: 'NOT_COVERED',
    mult: (45 / 52) * 100,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 18: A in a cycle with B is not covered and the evaluator terminates; MULT 0.4/0.88',
    graph: {
      edges: [
        ['CN', 'A', 40],
        ['A', 'B', 60],
        ['B', 'A', 20],
      ],
      entities: { CN: cn },
    },
    policy: anthropic({ thresholdInclusive: true }),
    target: 'A',
    asOf: '2025-10-01',
    agg: 'NOT_COVERED',
    mult: (0.4 / 0.88) * 100,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 18: B is not covered either; MULT 0.6 x 0.4/0.88',
    graph: {
      edges: [
        ['CN', 'A', 40],
        ['A', 'B', 60],
        ['B', 'A', 20],
      ],
      entities: { CN: cn },
    },
    policy: anthropic({ thresholdInclusive: true }),
    target: 'B',
    asOf: '2025-10-01',
    agg: 'NOT_COVERED',
    mult: ((0.6 * 0.4) / 0.88) * 100,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 19: holdings add across targeted jurisdictions (CN 30% + RU 25%)',
    graph: {
      edges: [
        ['CNH', 'D', 30],
        ['RUH', 'D', 25],
      ],
      entities: { CNH: cn, RUH: { headquartersCountry: 'RU' } },
    },
    policy: anthropic(),
    target: 'D',
    asOf: '2025-10-01',
    agg: 'COVERED',
    mult: 55,
    multVerdict: 'COVERED',
  },
  {
    name: 'case 20: Entity List 30% + Military End-User List 20% restrict T under the BIS rule',
    graph: {
      edges: [
        ['EL', 'T', 30],
        ['MEU', 'T', 20],
      ],
    },
    policy: gte(['EL', 'MEU'], { id: 'policy:bis', effectiveFrom: '2025-09-29' }),
    target: 'T',
    asOf: '2025-10-15',
    agg: 'COVERED',
    mult: 50,
    multVerdict: 'COVERED',
  },
  {
    name: 'incorporation basis: a Cayman-incorporated, Beijing-headquartered owner is not a root by incorporation',
    graph: {
      edges: [['BD', 'T', 100]],
      entities: { BD: { headquartersCountry: 'CN', incorporationCountry: 'KY' } },
    },
    policy: anthropic({ countryBasis: 'INCORPORATION' }),
    target: 'T',
    asOf: '2025-10-01',
    agg: 'NOT_COVERED',
    mult: 0,
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'EITHER basis: headquarters in CN is enough',
    graph: {
      edges: [['BD', 'T', 100]],
      entities: { BD: { headquartersCountry: 'CN', incorporationCountry: 'KY' } },
    },
    policy: anthropic({ countryBasis: 'EITHER' }),
    target: 'T',
    asOf: '2025-10-01',
    agg: 'COVERED',
    mult: 100,
    multVerdict: 'COVERED',
  },
  {
    name: 'direct holdings only: a covered intermediate does not pass its stake on when includesIndirect is false',
    graph: {
      edges: [
        ['X', 'A', 60],
        ['A', 'B', 60],
      ],
    },
    policy: gte(['X'], { includesIndirect: false }),
    target: 'B',
    agg: 'NOT_COVERED',
    mult: 0,
    multVerdict: 'NOT_COVERED',
  },
];

describe('Acceptance: both methods on the table of ownership.md', () => {
  it.each(cases)('$name', ({ graph, policy, target, asOf = '2025-01-01', agg, mult, multVerdict }) => {
    const g = graphOf(graph);
    const result = unwrap(policyVerdict(g, policy, target, { asOf }));
    expect(result.aggregate.verdict).toBe(agg);
    expect(result.lookThrough.lower * 100).toBeCloseTo(mult, 6);
    expect(result.lookThrough.upper * 100).toBeCloseTo(mult, 6);
    expect(result.lookThrough.verdict).toBe(multVerdict);
    expect(result.verdict).toBe(policy.aggregation === 'AGGREGATE' ? agg : multVerdict);

    // The whole-graph sweep agrees with the single-entity verdict.
    const sweep = unwrap(coveredEntities(g, policy, { asOf, lookThrough: true }));
    const row = sweep.entities.find((e) => e.entityId === target);
    expect(row?.aggregate.verdict ?? 'NOT_COVERED').toBe(agg);
    expect(row?.lookThrough?.verdict ?? 'NOT_COVERED').toBe(multVerdict);
  });
});

describe('Acceptance: policies in time (cases 14 and 22)', () => {
  const bis = policyOf({
    id: 'policy:bis-affiliates',
    name: 'BIS Affiliates Rule',
    designatedIds: ['E'],
    effectiveFrom: '2025-09-29',
    suspensions: [{ from: '2025-11-10', until: '2026-11-09', note: 'US-China trade deal of 1 Nov 2025' }],
    statusUncertainFrom: '2026-11-10',
    statusNote: 'reimposition on 2026-11-10 is scheduled but not confirmed',
  });
  const euBefore = ofac(['D1', 'D2'], {
    id: 'policy:eu-2023',
    name: 'EU (before Jul 2024)',
    thresholdInclusive: false,
    effectiveUntil: '2024-07-02',
  });
  const euAfter = ofac(['D1', 'D2'], {
    id: 'policy:eu-2024',
    name: 'EU (since Jul 2024)',
    effectiveFrom: '2024-07-03',
  });
  const uk = ofac(['D1', 'D2'], { id: 'policy:uk', name: 'UK', thresholdInclusive: false });
  const cases = [
    {
      name: 'case 14: F is covered while the BIS rule is in force (2025-10-15)',
      policy: bis,
      graph: { edges: [['E', 'F', 50]] } as GraphSpec,
      asOf: '2025-10-15',
      verdict: 'COVERED',
      status: 'IN_FORCE',
      uncertain: false,
    },
    {
      name: 'case 14: F is not covered while the rule is suspended (2025-12-01)',
      policy: bis,
      graph: { edges: [['E', 'F', 50]] } as GraphSpec,
      asOf: '2025-12-01',
      verdict: 'NOT_COVERED',
      status: 'SUSPENDED',
      uncertain: false,
    },
    {
      name: 'case 14: F is covered again on 2026-11-10, flagged uncertain',
      policy: bis,
      graph: { edges: [['E', 'F', 50]] } as GraphSpec,
      asOf: '2026-11-10',
      verdict: 'COVERED',
      status: 'IN_FORCE',
      uncertain: true,
    },
    {
      name: 'case 14: F is not covered before the rule took effect (2025-09-28)',
      policy: bis,
      graph: { edges: [['E', 'F', 50]] } as GraphSpec,
      asOf: '2025-09-28',
      verdict: 'NOT_COVERED',
      status: 'NOT_YET_IN_FORCE',
      uncertain: false,
    },
    {
      name: 'case 22: T (30% + 20%) is not owned under the EU > 50% practice on 2024-06-01',
      policy: euBefore,
      graph: {
        edges: [
          ['D1', 'T', 30],
          ['D2', 'T', 20],
        ],
      } as GraphSpec,
      asOf: '2024-06-01',
      verdict: 'NOT_COVERED',
      status: 'IN_FORCE',
      uncertain: false,
    },
    {
      name: 'case 22: the >= 50% EU practice was not yet in force on 2024-06-01',
      policy: euAfter,
      graph: {
        edges: [
          ['D1', 'T', 30],
          ['D2', 'T', 20],
        ],
      } as GraphSpec,
      asOf: '2024-06-01',
      verdict: 'NOT_COVERED',
      status: 'NOT_YET_IN_FORCE',
      uncertain: false,
    },
    {
      name: 'case 22: T is owned under the EU >= 50% practice on 2024-08-01',
      policy: euAfter,
      graph: {
        edges: [
          ['D1', 'T', 30],
          ['D2', 'T', 20],
        ],
      } as GraphSpec,
      asOf: '2024-08-01',
      verdict: 'COVERED',
      status: 'IN_FORCE',
      uncertain: false,
    },
    {
      name: 'case 22: the old EU practice has expired by 2024-08-01',
      policy: euBefore,
      graph: {
        edges: [
          ['D1', 'T', 30],
          ['D2', 'T', 20],
        ],
      } as GraphSpec,
      asOf: '2024-08-01',
      verdict: 'NOT_COVERED',
      status: 'EXPIRED',
      uncertain: false,
    },
    {
      name: 'case 22: the UK still uses > 50%, so T is not owned on 2024-08-01',
      policy: uk,
      graph: {
        edges: [
          ['D1', 'T', 30],
          ['D2', 'T', 20],
        ],
      } as GraphSpec,
      asOf: '2024-08-01',
      verdict: 'NOT_COVERED',
      status: 'IN_FORCE',
      uncertain: false,
    },
  ];
  it.each(cases)('$name', ({ policy, graph, asOf, verdict, status, uncertain }) => {
    const target = graph.edges[0]![1];
    const result = unwrap(policyVerdict(graphOf(graph), policy, target, { asOf }));
    expect(result.verdict).toBe(verdict);
    expect(result.policyStatus.status).toBe(status);
    expect(result.policyStatus.uncertain).toBe(uncertain);
    if (status !== 'IN_FORCE') expect(result.explanation.sentence).toContain(result.policyStatus.note);
  });
});
