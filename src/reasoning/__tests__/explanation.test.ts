/** Explanations: the paths that produce a verdict, with shares, dates and sources, and one sentence. */
import { describeDesignation, describeRoot } from '../explanation';
import { policyVerdict } from '../verdict';
import { anthropic, graphOf, ofac, policyOf, range, unwrap } from './fixtures';

const pathsOf = (r: { explanation: { paths: { steps: { fromId: string; toId: string }[] }[] } }) =>
  r.explanation.paths.map((p) => [p.steps[0]!.fromId, ...p.steps.map((s) => s.toId)].join('→'));

describe('Explanation: paths and sentence', () => {
  it('lists X→A→B (A covered, 40%) and X→B (10%) for FAQ 401 example 3', () => {
    const r = unwrap(
      policyVerdict(
        graphOf({
          edges: [
            ['X', 'A', 50],
            ['X', 'B', 10],
            ['A', 'B', 40],
          ],
        }),
        ofac(['X']),
        'B',
        { asOf: '2025-01-01' },
      ),
    );
    expect(pathsOf(r)).toEqual(['X→A→B', 'X→B']);
    const [viaA, direct] = r.explanation.paths;
    expect(viaA!.contribution.lower).toBeCloseTo(0.4, 9);
    expect(direct!.contribution.lower).toBeCloseTo(0.1, 9);
    expect(viaA!.rootReason).toEqual({
      kind: 'DESIGNATED',
      designations: [expect.objectContaining({ entityId: 'X', sourceIds: ['src:list-X'] })],
    });
    expect(viaA!.steps[0]).toMatchObject({
      edgeId: 'own:X-A-0',
      share: { min: 0.5, max: 0.5 },
      sourceIds: ['src:X-A'],
      toCoverage: { lower: 0.5, upper: 0.5 },
    });
    expect(viaA!.steps[1]!.toCoverage.lower).toBeCloseTo(0.5, 9);
    expect(r.explanation.sentence).toBe(
      'X, designated, owns 50% of A, which owns 40% of B; X, designated, owns 10% of B; covered because covered owners hold 50% (>= 50%).',
    );
  });

  it('writes the ByteDance sentence with names, country and start date', () => {
    const graph = graphOf({
      edges: [['bd', 'tt', 100, { start: '2019-01-01' }]],
      entities: {
        bd: { name: 'ByteDance Ltd.', headquartersCountry: 'CN', incorporationCountry: 'KY' },
        tt: { name: 'TikTok Pte. Ltd.', headquartersCountry: 'SG', incorporationCountry: 'SG' },
      },
    });
    const r = unwrap(policyVerdict(graph, anthropic(), 'tt', { asOf: '2025-10-01' }));
    expect(r.verdict).toBe('COVERED');
    expect(r.explanation.sentence).toBe(
      'ByteDance Ltd., headquartered in CN, owns 100% of TikTok Pte. Ltd. since 2019-01-01; covered because owners in targeted jurisdictions hold 100% (> 50%).',
    );
    expect(r.explanation.paths[0]!.rootReason).toEqual({ kind: 'HEADQUARTERS', country: 'CN' });
  });

  it('takes only the owners needed to reach the threshold, largest first', () => {
    const r = unwrap(
      policyVerdict(
        graphOf({
          edges: [
            ['X', 'T', 30],
            ['Y', 'T', 25],
            ['Z', 'T', 20],
          ],
        }),
        ofac(['X', 'Y', 'Z']),
        'T',
        { asOf: '2025-01-01' },
      ),
    );
    expect(pathsOf(r)).toEqual(['X→T', 'Y→T']);
    expect(r.aggregate.lower).toBeCloseTo(0.75, 9);
  });

  it('caps the number of paths and says so', () => {
    const edges: [string, string, number][] = [];
    for (let i = 0; i < 30; i++) edges.push([`X${i}`, 'T', 1]);
    const r = unwrap(
      policyVerdict(graphOf({ edges }), ofac(edges.map((e) => e[0])), 'T', {
        asOf: '2025-01-01',
        maxPaths: 5,
      }),
    );
    expect(r.verdict).toBe('NOT_COVERED');
    expect(r.explanation.paths).toHaveLength(5);
    expect(r.explanation.capped).toBe(true);
    expect(r.explanation.sentence).toContain('and 27 more');
  });

  it('explains a root by its own reason with the designation sources', () => {
    const r = unwrap(
      policyVerdict(graphOf({ edges: [['X', 'A', 10]] }), ofac(['X']), 'X', { asOf: '2025-01-01' }),
    );
    expect(r.verdict).toBe('COVERED');
    expect(r.explanation.rootReason?.kind).toBe('DESIGNATED');
    expect(r.explanation.sentence).toBe(
      'X, designated, is itself targeted by OFAC 50 Percent Rule (sources: src:list-X).',
    );
  });

  it('explains control without equity by the control edge (case 16, control counts)', () => {
    const r = unwrap(
      policyVerdict(
        graphOf({ edges: [], controls: [['X', 'A', 'VIE_CONTRACT']] }),
        ofac(['X'], { controlCounts: true }),
        'A',
        { asOf: '2025-01-01' },
      ),
    );
    expect(r.explanation.paths[0]!.steps[0]).toMatchObject({
      kind: 'CONTROL',
      basis: 'VIE_CONTRACT',
      sourceIds: ['src:ctrl-X-A'],
    });
    expect(r.explanation.sentence).toContain('X, designated, controls (vie contract) A');
  });

  it('explains a MULT verdict by the paths with the largest products (case 8)', () => {
    const policy = ofac(['X'], { aggregation: 'LOOK_THROUGH' });
    const r = unwrap(
      policyVerdict(
        graphOf({
          edges: [
            ['X', 'I', 40],
            ['I', 'T', 60],
            ['X', 'T', 30],
          ],
        }),
        policy,
        'T',
        { asOf: '2025-01-01' },
      ),
    );
    expect(r.verdict).toBe('COVERED');
    expect(r.method).toBe('LOOK_THROUGH');
    expect(pathsOf(r)).toEqual(['X→T', 'X→I→T']);
    expect(r.explanation.paths[1]!.contribution.lower).toBeCloseTo(0.24, 9);
    expect(r.explanation.sentence).toContain('look-through ownership by targeted parties is 54%');
  });

  it('says why a possibly covered entity is undecided', () => {
    const r = unwrap(
      policyVerdict(graphOf({ edges: [['X', 'T', { min: 0.25, max: 0.5 }]] }), ofac(['X']), 'T', {
        asOf: '2025-01-01',
      }),
    );
    expect(r.verdict).toBe('POSSIBLY_COVERED');
    expect(r.explanation.sentence).toBe(
      'X, designated, owns 25–50% of T; possibly covered: designated owners hold between 25% and 50% (>= 50%), so the known shares do not settle it.',
    );
  });

  it('issue 9: a list with no ownership rule says it does not reach owned entities, not "short of > 100%"', () => {
    const entityList = policyOf({
      name: 'BIS Entity List',
      threshold: 1,
      thresholdInclusive: false,
      designatedIds: ['X'],
    });
    const r = unwrap(
      policyVerdict(graphOf({ edges: [['X', 'T', 100]] }), entityList, 'T', { asOf: '2025-01-01' }),
    );
    expect(r.verdict).toBe('NOT_COVERED');
    expect(r.explanation.sentence).toBe(
      'T is not covered: BIS Entity List applies only to the parties it names or targets, not to entities they own, and T is not one of them on 2025-01-01.',
    );
    expect(r.explanation.sentence).not.toContain('100%');
  });

  it('issue 9: under unknownAs POSSIBLY_COVERED a path starting at an entity with undisclosed owners is not "designated"', () => {
    const r = unwrap(
      policyVerdict(graphOf({ edges: [['O', 'T', 70]] }), ofac(['X']), 'T', {
        asOf: '2025-01-01',
        unknownAs: 'POSSIBLY_COVERED',
      }),
    );
    expect(r.verdict).toBe('POSSIBLY_COVERED');
    expect(r.explanation.paths[0]!.rootReason).toEqual({ kind: 'UNDISCLOSED_OWNERS' });
    expect(r.explanation.sentence).not.toContain('designated');
    expect(r.explanation.sentence).toBe(
      'O, whose owners are not all on record (the rest may be held by a targeted party), owns 70% of T; possibly covered: covered owners hold between 0% and 100% (>= 50%), so the known shares do not settle it.',
    );
  });

  it('issue 9: a strict lower bound reads "more than" in a look-through verdict', () => {
    const policy = ofac(['X'], { aggregation: 'LOOK_THROUGH', thresholdInclusive: false });
    const r = unwrap(
      policyVerdict(
        graphOf({
          edges: [
            ['X', 'H', 100],
            ['H', 'T', range(50, 100, { minExclusive: true })],
          ],
        }),
        policy,
        'T',
        { asOf: '2025-01-01' },
      ),
    );
    expect(r.verdict).toBe('COVERED');
    expect(r.explanation.sentence).toBe(
      'X, designated, owns 100% of H, which owns more than 50% of T; covered because look-through ownership by targeted parties is more than 50% (> 50%).',
    );
  });

  it('issue 9: a strict upper bound reads "less than", and a share below 50% is not "at least 0%"', () => {
    const r = unwrap(
      policyVerdict(
        graphOf({ edges: [['X', 'T', range(0, 50, { maxExclusive: true })]] }),
        ofac(['X'], { aggregation: 'LOOK_THROUGH' }),
        'T',
        { asOf: '2025-01-01' },
      ),
    );
    expect(r.verdict).toBe('NOT_COVERED');
    expect(r.explanation.sentence).toBe(
      'X, designated, owns less than 50% of T; not covered because look-through ownership by targeted parties is less than 50%, short of >= 50%.',
    );
  });

  it('issue 9: names the list a designation is on, not the rule that reads the list', () => {
    const onList = [
      {
        id: 'd1',
        policyId: 'policy:bis-affiliates-rule',
        entityId: 'X',
        startDate: null,
        endDate: null,
        sourceIds: [],
        listName: 'Entity List (root of the Affiliates Rule)',
      },
    ];
    expect(describeDesignation(onList, 'BIS Affiliates Rule')).toBe('listed on the Entity List');
    expect(describeDesignation([{ ...onList[0]!, listName: null }], 'OFAC 50 Percent Rule')).toBe(
      'named by OFAC 50 Percent Rule',
    );
    expect(describeRoot({ kind: 'DESIGNATED', designations: onList })).toBe('designated (Entity List)');
  });
});
