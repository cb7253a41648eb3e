/**
 * Uncertain shares (BODS ranges, undisclosed owners): every verdict carries a lower and an upper bound of
 * the covered share and is COVERED, POSSIBLY_COVERED or NOT_COVERED accordingly (case 21).
 */
import type { Share } from '../graph';
import type { CoverageVerdict, UnknownAs } from '../bounds';
import { classify, formatShare, lowerReaches, upperMayReach } from '../bounds';
import { policyVerdict } from '../verdict';
import type { GraphSpec } from './fixtures';
import { graphOf, ofac, range, unknownShare, unwrap } from './fixtures';

interface Case {
  name: string;
  graph: GraphSpec;
  inclusive: boolean;
  unknownAs?: UnknownAs;
  verdict: CoverageVerdict;
  aggregate: [number, number];
  multVerdict: CoverageVerdict;
}

const above50: Share = { min: 0.5, max: 1, minExclusive: true };

const cases: Case[] = [
  {
    name: 'case 21: a {minimum 25, maximum 50} stake is POSSIBLY covered under >= 50% (BIS Red Flag 29 territory)',
    graph: { edges: [['X', 'T', range(25, 50)]] },
    inclusive: true,
    verdict: 'POSSIBLY_COVERED',
    aggregate: [0.25, 0.5],
    multVerdict: 'POSSIBLY_COVERED',
  },
  {
    name: 'case 21: a {minimum 25, maximum 50} stake is NOT covered under > 50%',
    graph: { edges: [['X', 'T', range(25, 50)]] },
    inclusive: false,
    verdict: 'NOT_COVERED',
    aggregate: [0.25, 0.5],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 21: an {exclusiveMinimum 50} stake is covered under >= 50%',
    graph: { edges: [['X', 'T', above50]] },
    inclusive: true,
    verdict: 'COVERED',
    aggregate: [0.5, 1],
    multVerdict: 'COVERED',
  },
  {
    name: 'case 21 / issue 9: an {exclusiveMinimum 50} stake is covered under > 50% by both methods',
    graph: { edges: [['X', 'T', above50]] },
    inclusive: false,
    verdict: 'COVERED',
    aggregate: [0.5, 1],
    multVerdict: 'COVERED',
  },
  {
    name: 'issue 9: a {maximum 50, exclusiveMaximum} stake can never reach >= 50%, by either method',
    graph: { edges: [['X', 'T', range(25, 50, { maxExclusive: true })]] },
    inclusive: true,
    verdict: 'NOT_COVERED',
    aggregate: [0.25, 0.5],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'issue 9: strictness survives a chain: 100% of A, which holds more than 50% of T, is covered under > 50%',
    graph: {
      edges: [
        ['X', 'A', 100],
        ['A', 'T', above50],
      ],
    },
    inclusive: false,
    verdict: 'COVERED',
    aggregate: [0.5, 1],
    multVerdict: 'COVERED',
  },
  {
    name: 'issue 9: an owner of more than 50% leaves less than 50% for an undisclosed stake (>= 50%)',
    graph: {
      edges: [
        ['X', 'T', unknownShare],
        ['O', 'T', above50],
      ],
    },
    inclusive: true,
    verdict: 'NOT_COVERED',
    aggregate: [0, 0.5],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'case 21: an owner with an undisclosed share makes the verdict POSSIBLY covered',
    graph: { edges: [['X', 'T', unknownShare]] },
    inclusive: true,
    verdict: 'POSSIBLY_COVERED',
    aggregate: [0, 1],
    multVerdict: 'POSSIBLY_COVERED',
  },
  {
    name: 'an undisclosed share is bounded by the known shares of other owners (1 - 60%)',
    graph: {
      edges: [
        ['X', 'T', unknownShare],
        ['O', 'T', 60],
      ],
    },
    inclusive: true,
    verdict: 'NOT_COVERED',
    aggregate: [0, 0.4],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'undisclosed owners count as not covered by default: 30% known is NOT covered',
    graph: { edges: [['X', 'T', 30]] },
    inclusive: true,
    verdict: 'NOT_COVERED',
    aggregate: [0.3, 0.3],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'with unknownAs POSSIBLY_COVERED the unattributed 70% may be held by a covered party',
    graph: { edges: [['X', 'T', 30]] },
    inclusive: true,
    unknownAs: 'POSSIBLY_COVERED',
    verdict: 'POSSIBLY_COVERED',
    aggregate: [0.3, 1],
    multVerdict: 'POSSIBLY_COVERED',
  },
  {
    name: 'with unknownAs POSSIBLY_COVERED an entity whose owners are all known (a person holds 70%) stays NOT covered',
    graph: {
      edges: [
        ['X', 'T', 30],
        ['O', 'T', 70],
      ],
      entities: { O: { kind: 'PERSON' } },
    },
    inclusive: true,
    unknownAs: 'POSSIBLY_COVERED',
    verdict: 'NOT_COVERED',
    aggregate: [0.3, 0.3],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'with unknownAs POSSIBLY_COVERED a 70% owner whose own owners are unknown may itself be covered',
    graph: {
      edges: [
        ['X', 'T', 30],
        ['O', 'T', 70],
      ],
    },
    inclusive: true,
    unknownAs: 'POSSIBLY_COVERED',
    verdict: 'POSSIBLY_COVERED',
    aggregate: [0.3, 1],
    multVerdict: 'POSSIBLY_COVERED',
  },
  {
    name: 'with unknownAs POSSIBLY_COVERED, ownershipComplete turns the remainder off',
    graph: { edges: [['X', 'T', 30]], entities: { T: { ownershipComplete: true } } },
    inclusive: true,
    unknownAs: 'POSSIBLY_COVERED',
    verdict: 'NOT_COVERED',
    aggregate: [0.3, 0.3],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'a possibly covered intermediate passes its maximum on: X→A [40,60], A→T 50',
    graph: {
      edges: [
        ['X', 'A', range(40, 60)],
        ['A', 'T', 50],
      ],
    },
    inclusive: true,
    verdict: 'POSSIBLY_COVERED',
    aggregate: [0, 0.5],
    multVerdict: 'NOT_COVERED',
  },
  {
    name: 'ranges that surely reach the threshold are COVERED: [30,40] + [25,35]',
    graph: {
      edges: [
        ['X', 'T', range(30, 40)],
        ['Y', 'T', range(25, 35)],
      ],
    },
    inclusive: true,
    verdict: 'COVERED',
    aggregate: [0.55, 0.75],
    multVerdict: 'COVERED',
  },
  {
    name: 'an upper bound is cut by the minimum shares of uncovered owners: [20,90] with O at 60',
    graph: {
      edges: [
        ['X', 'T', range(20, 90)],
        ['O', 'T', 60],
      ],
    },
    inclusive: true,
    verdict: 'NOT_COVERED',
    aggregate: [0.2, 0.4],
    multVerdict: 'NOT_COVERED',
  },
];

describe('Bounds: verdicts with uncertain shares', () => {
  it.each(cases)('$name', ({ graph, inclusive, unknownAs, verdict, aggregate, multVerdict }) => {
    const policy = ofac(['X', 'Y'], { thresholdInclusive: inclusive });
    const result = unwrap(
      policyVerdict(graphOf(graph), policy, 'T', { asOf: '2025-01-01', ...(unknownAs ? { unknownAs } : {}) }),
    );
    expect(result.verdict).toBe(verdict);
    expect(result.aggregate.lower).toBeCloseTo(aggregate[0], 9);
    expect(result.aggregate.upper).toBeCloseTo(aggregate[1], 9);
    expect(result.lookThrough.verdict).toBe(multVerdict);
    expect(result.lookThrough.lower).toBeLessThanOrEqual(result.lookThrough.upper);
  });
});

describe('Bounds: threshold tests', () => {
  const cases = [
    { name: 'a lower bound at the threshold satisfies ">="', args: [0.5, false, 0.5, true], lower: true },
    {
      name: 'a lower bound at the threshold does not satisfy ">"',
      args: [0.5, false, 0.5, false],
      lower: false,
    },
    {
      name: 'a strict lower bound at the threshold satisfies ">"',
      args: [0.5, true, 0.5, false],
      lower: true,
    },
    {
      name: 'floating point noise within 1e-9 counts as equal (0.6^3 vs 21.6%)',
      args: [0.6 ** 3, false, 0.216, true],
      lower: true,
    },
    {
      name: 'a lower bound just below the threshold does not satisfy ">="',
      args: [0.4999, false, 0.5, true],
      lower: false,
    },
  ] as const;
  it.each(cases)('$name', ({ args, lower }) => {
    const [value, strict, threshold, inclusive] = args;
    expect(lowerReaches(value, strict, threshold, inclusive)).toBe(lower);
  });

  it.each([
    {
      name: 'a strict upper bound at the threshold cannot reach ">="',
      args: [0.5, true, 0.5, true] as const,
      may: false,
    },
    {
      name: 'a closed upper bound at the threshold may reach ">="',
      args: [0.5, false, 0.5, true] as const,
      may: true,
    },
    {
      name: 'a closed upper bound at the threshold cannot reach ">"',
      args: [0.5, false, 0.5, false] as const,
      may: false,
    },
  ])('$name', ({ args, may }) => {
    const [value, strict, threshold, inclusive] = args;
    expect(upperMayReach(value, strict, threshold, inclusive)).toBe(may);
  });

  it('classifies bounds into the three verdicts', () => {
    expect(classify({ lower: 0.6, upper: 0.7 }, 0.5, true)).toBe('COVERED');
    expect(classify({ lower: 0.2, upper: 0.7 }, 0.5, true)).toBe('POSSIBLY_COVERED');
    expect(classify({ lower: 0.2, upper: 0.4 }, 0.5, true)).toBe('NOT_COVERED');
  });

  it.each([
    { name: 'writes an exact share as a percentage', share: { min: 0.5, max: 0.5 }, text: '50%' },
    { name: 'writes a range with an en dash', share: { min: 0.25, max: 0.5 }, text: '25–50%' },
    {
      name: 'writes exclusiveMinimum as "more than"',
      share: { min: 0.5, max: 1, minExclusive: true },
      text: 'more than 50%',
    },
    { name: 'writes an unknown share as undisclosed', share: unknownShare, text: 'an undisclosed share' },
    {
      name: 'issue 9: writes {exclusiveMaximum 50} from 0 as "less than 50%", not "at least 0% and less than 50%"',
      share: { min: 0, max: 0.5, maxExclusive: true },
      text: 'less than 50%',
    },
    {
      name: 'writes both exclusive ends',
      share: { min: 0.25, max: 0.5, minExclusive: true, maxExclusive: true },
      text: 'more than 25% and less than 50%',
    },
  ])('$name', ({ share, text }) => {
    expect(formatShare(share)).toBe(text);
  });
});
