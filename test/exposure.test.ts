import { answer, execute, firstError, ids, useHarness } from './exposure.harness';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * Issue #4, end to end: exposure, policyVerdict, screen, coveredEntities and connections answered through
 * GraphQL against the real embedded Neo4j, over the curated seed plus the small graphs in
 * test/fixtures/exposure-cases (the OFAC worked examples, a cross-holding, a range, an ended stake, control
 * without equity, overseas subsidiaries, two companies with one name).
 */

const ANTHROPIC = 'policy:anthropic-unsupported-regions-2025';
const BIS_AFFILIATES = 'policy:bis-affiliates-rule';
const INCLUSIVE = 'policy:exposure-ofac-inclusive';
const EXCLUSIVE = 'policy:exposure-ofac-exclusive';
const CONTROL_COUNTS = 'policy:exposure-control-counts';
const DAY = '2026-03-01';

const VERDICT = `query Verdict($entity: ID!, $policy: ID!, $asOf: Date, $unknownAs: UnknownAs, $threshold: Float, $thresholdInclusive: Boolean) {
  policyVerdict(entity: $entity, policy: $policy, asOf: $asOf, unknownAs: $unknownAs, threshold: $threshold, thresholdInclusive: $thresholdInclusive) {
    entity { id } policy { id } asOf verdict unknownAs method threshold thresholdInclusive
    policyStatus { status inForce uncertain note }
    aggregate { lower upper verdict } lookThrough { lower upper verdict }
    explanation {
      sentence capped
      rootReason { kind country { code } designations { id } }
      paths {
        root { id } rootReason { kind country { code } designations { id listName } } truncated contribution { lower upper }
        steps { kind from { id } to { id } share { exact minimum maximum exclusiveMinimum known display } basis startDate endDate sources { id url } coverageAfter { lower upper } }
      }
    }
  }
}`;

const EXPOSURE = `query Exposure($entity: ID!, $asOf: Date, $basis: ExposureBasis, $maxDepth: Int) {
  exposure(entity: $entity, asOf: $asOf, basis: $basis) {
    entity { id } asOf basis approximate
    ultimateOwners { party { id } share { lower upper } headquarters { code } incorporation { code } }
    countries { country { code } share { lower upper } }
    byIncorporation { country { code } share { lower upper } }
    unknown { lower upper } selfHeld { lower upper }
    owners(maxDepth: $maxDepth) { party { id } depth stakes { id owned { id } share { display } sources { id } } }
    controllers { id controller { id } controlled { id } basis }
  }
}`;

const harness = useHarness();

async function verdict(variables: Record<string, unknown>) {
  const { data, queries } = await answer(harness.current, VERDICT, { asOf: DAY, ...variables });
  return { v: data.policyVerdict, queries };
}

const pathsOf = (v: any): string[] =>
  v.explanation.paths.map((p: any) => [p.root.id, ...p.steps.map((s: any) => s.to.id)].join('→'));

describe('policyVerdict: the seed questions under Anthropic’s policy', () => {
  it('finds ByteDance covered as a company headquartered in CN, in one sentence', async () => {
    const { v } = await verdict({ entity: 'org:bytedance', policy: ANTHROPIC });
    expect(v).toMatchObject({
      verdict: 'COVERED',
      threshold: 50,
      thresholdInclusive: false,
      method: 'AGGREGATE',
      policyStatus: { status: 'IN_FORCE', inForce: true },
    });
    expect(v.explanation.rootReason).toEqual({
      kind: 'HEADQUARTERS',
      country: { code: 'CN' },
      designations: [],
    });
    expect(v.explanation.sentence).toBe(
      'ByteDance Ltd., headquartered in CN, is itself targeted by Anthropic: restriction of sales to entities controlled from unsupported regions.',
    );
  });

  it('finds TikTok Pte. Ltd. only possibly covered, because ByteDance’s stake in it is of unknown size', async () => {
    const { v } = await verdict({ entity: 'org:tiktok-pte-ltd', policy: ANTHROPIC });
    expect(v).toMatchObject({
      verdict: 'POSSIBLY_COVERED',
      unknownAs: 'NOT_COVERED',
      aggregate: { lower: 0, upper: 100, verdict: 'POSSIBLY_COVERED' },
    });
    expect(pathsOf(v)).toEqual(['org:bytedance→org:tiktok-pte-ltd']);
    const [path] = v.explanation.paths;
    expect(path.rootReason).toMatchObject({ kind: 'HEADQUARTERS', country: { code: 'CN' } });
    expect(path.steps[0]).toMatchObject({
      kind: 'OWNERSHIP',
      share: { known: false, display: 'unknown' },
      coverageAfter: { lower: 0, upper: 100 },
    });
    expect(ids(path.steps[0].sources)).toContain('src:scmp-bytedance-singapore-2020');
    expect(v.explanation.sentence).toContain(
      'owns an undisclosed share of TikTok Pte. Ltd.; possibly covered',
    );
  });

  it('keeps TikTok Pte. Ltd. possibly covered when the unattributed part may belong to a covered party', async () => {
    const { v } = await verdict({
      entity: 'org:tiktok-pte-ltd',
      policy: ANTHROPIC,
      unknownAs: 'POSSIBLY_COVERED',
    });
    expect(v).toMatchObject({
      verdict: 'POSSIBLY_COVERED',
      unknownAs: 'POSSIBLY_COVERED',
      aggregate: { lower: 0, upper: 100 },
    });
  });

  it.each([
    ['org:tencent', 'Tencent Holdings Limited'],
    ['org:alibaba', 'Alibaba Group Holding Limited'],
    ['org:alibaba-cloud', 'Alibaba Cloud'],
    ['org:deepseek', 'DeepSeek'],
  ])('finds %s covered for its headquarters in CN', async (entity, name) => {
    const { v } = await verdict({ entity, policy: ANTHROPIC });
    expect(v.verdict).toBe('COVERED');
    expect(v.explanation.rootReason).toMatchObject({ kind: 'HEADQUARTERS', country: { code: 'CN' } });
    expect(v.explanation.sentence).toBe(
      `${name}, headquartered in CN, is itself targeted by Anthropic: restriction of sales to entities controlled from unsupported regions.`,
    );
  });

  it.each([
    ['org:exposure-alibaba-sg', 'org:alibaba', 100],
    ['org:exposure-tencent-nl', 'org:tencent', 60],
  ])(
    'carries coverage to the overseas subsidiary %s through its CN parent',
    async (entity, parent, share) => {
      const { v } = await verdict({ entity, policy: ANTHROPIC });
      expect(v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: share, upper: share } });
      expect(v.explanation.rootReason).toBeNull();
      expect(pathsOf(v)).toEqual([`${parent}→${entity}`]);
      expect(v.explanation.paths[0].steps[0]).toMatchObject({
        share: { exact: share },
        startDate: '2018-01-01',
        sources: [{ id: 'src:exposure-registry' }],
      });
      expect(v.explanation.sentence).toContain(
        `covered because owners in targeted jurisdictions hold ${share}% (> 50%)`,
      );
    },
  );

  it('leaves TikTok USDS JV uncovered: ByteDance’s 19.9% falls short of more than 50%', async () => {
    const { v } = await verdict({ entity: 'org:tiktok-usds-jv', policy: ANTHROPIC });
    expect(v).toMatchObject({ verdict: 'NOT_COVERED', aggregate: { lower: 19.9, upper: 19.9 } });
    expect(v.explanation.sentence).toContain(
      'not covered because owners in targeted jurisdictions hold at most 19.9%, short of > 50%',
    );
  });

  it('answers in at most four Cypher queries', async () => {
    const { queries } = await verdict({ entity: 'org:tiktok-pte-ltd', policy: ANTHROPIC });
    expect(queries.length).toBeLessThanOrEqual(4);
  });
});

describe('exposure: who stands behind an entity', () => {
  it('lists TikTok USDS JV’s ultimate owners, looking through ByteDance to its own holders', async () => {
    const { data } = await answer(harness.current, EXPOSURE, {
      entity: 'org:tiktok-usds-jv',
      asOf: DAY,
      maxDepth: 2,
    });
    const e = data.exposure;
    const shares = Object.fromEntries(e.ultimateOwners.map((o: any) => [o.party.id, o.share.lower]));
    // 19.9% through ByteDance splits 60/20/20 among its holders; Zhang Yiming's 20–25% is capped at 20% because the rest is exact.
    expect(shares).toEqual({
      'org:tiktok-usds-bytedance-investor-affiliates': 30.1,
      'org:oracle': 15,
      'org:silver-lake': 15,
      'org:mgx': 15,
      'org:bytedance-global-investors': 11.94,
      'org:tiktok-usds-other-new-investors': 5,
      'org:bytedance-employees': 3.98,
      'person:zhang-yiming': 3.98,
    });
    // Zhang Yiming, a CN national of unknown residence, counts as CN by default (issue 9: persons' countries).
    expect(e.countries).toEqual([
      { country: null, share: { lower: 51.02, upper: 51.02 } },
      { country: { code: 'US' }, share: { lower: 30, upper: 30 } },
      { country: { code: 'AE' }, share: { lower: 15, upper: 15 } },
      { country: { code: 'CN' }, share: { lower: 3.98, upper: 3.98 } },
    ]);
    expect(e.unknown).toEqual({ lower: 0, upper: 0 });
    expect(e.approximate).toBe(false);
  });

  it('groups TikTok USDS JV’s owners by depth with their stakes and sources', async () => {
    const { data } = await answer(harness.current, EXPOSURE, {
      entity: 'org:tiktok-usds-jv',
      asOf: DAY,
      maxDepth: 2,
    });
    const owners = data.exposure.owners;
    const bytedance = owners.find((o: any) => o.party.id === 'org:bytedance');
    expect(bytedance).toMatchObject({
      depth: 1,
      stakes: [
        {
          id: 'own:bytedance-tiktok-usds-2026',
          owned: { id: 'org:tiktok-usds-jv' },
          share: { display: '19.9%' },
        },
      ],
    });
    expect(bytedance.stakes[0].sources.length).toBeGreaterThan(0);
    expect(owners.find((o: any) => o.party.id === 'person:zhang-yiming')).toMatchObject({
      depth: 2,
      stakes: [{ owned: { id: 'org:bytedance' }, share: { display: '20–25%' } }],
    });
    expect(Math.max(...owners.map((o: any) => o.depth))).toBe(2);
  });

  it('reports control over the owners too: Zhang Yiming’s voting control of ByteDance', async () => {
    const { data } = await answer(harness.current, EXPOSURE, { entity: 'org:tiktok-usds-jv', asOf: DAY });
    expect(data.exposure.controllers).toContainEqual({
      id: 'ctrl:zhang-yiming-bytedance-voting',
      controller: { id: 'person:zhang-yiming' },
      controlled: { id: 'org:bytedance' },
      basis: 'OTHER',
    });
  });

  it('has no owners on record for TikTok USDS JV before the deal closed on 2026-01-22', async () => {
    const { data } = await answer(harness.current, EXPOSURE, {
      entity: 'org:tiktok-usds-jv',
      asOf: '2025-12-31',
    });
    expect(data.exposure.ultimateOwners).toEqual([]);
    expect(data.exposure.unknown).toEqual({ lower: 100, upper: 100 });
  });

  it('groups by incorporation when asked', async () => {
    const { data } = await answer(harness.current, EXPOSURE, {
      entity: 'org:tiktok-usds-jv',
      asOf: DAY,
      basis: 'INCORPORATION',
    });
    expect(data.exposure.basis).toBe('INCORPORATION');
    expect(data.exposure.countries).toEqual(data.exposure.byIncorporation);
    expect(data.exposure.countries).toContainEqual({
      country: { code: 'CN' },
      share: { lower: 3.98, upper: 3.98 },
    });
  });

  it('solves a cross-holding exactly: P holds 12% of itself through Q, owners share the rest', async () => {
    // X 50% and Q 20% of P; P 60% and a founder 40% of Q. P holds 20% × 60% = 12% of itself; as with treasury
    // shares the owners split the other 88%: X 50/88, the founder 20% × 40% / 88%, the rest unknown.
    const { data } = await answer(harness.current, EXPOSURE, { entity: 'org:exposure-cycle-p', asOf: DAY });
    const e = data.exposure;
    expect(e.selfHeld).toEqual({ lower: 12, upper: 12 });
    const shares = Object.fromEntries(e.ultimateOwners.map((o: any) => [o.party.id, o.share.lower]));
    expect(shares['org:exposure-x']).toBeCloseTo((50 / 88) * 100, 6);
    expect(shares['person:exposure-q-founder']).toBeCloseTo((8 / 88) * 100, 6);
    expect(e.unknown.lower).toBeCloseTo((30 / 88) * 100, 6);
    expect(e.approximate).toBe(false);
  });

  it('drops a stake after its end date', async () => {
    const before = await answer(harness.current, EXPOSURE, {
      entity: 'org:exposure-dated',
      asOf: '2024-01-01',
    });
    const after = await answer(harness.current, EXPOSURE, {
      entity: 'org:exposure-dated',
      asOf: '2025-01-01',
    });
    expect(before.data.exposure.ultimateOwners).toMatchObject([
      { party: { id: 'org:exposure-x' }, share: { lower: 70, upper: 70 } },
    ]);
    expect(after.data.exposure.ultimateOwners).toEqual([]);
  });

  it('shows control without equity as a controller, not as an owner', async () => {
    const { data } = await answer(harness.current, EXPOSURE, { entity: 'org:exposure-vie', asOf: DAY });
    expect(data.exposure.ultimateOwners).toEqual([]);
    expect(data.exposure.controllers).toEqual([
      {
        id: 'ctrl:exposure-x-vie',
        controller: { id: 'org:exposure-x' },
        controlled: { id: 'org:exposure-vie' },
        basis: 'VIE_CONTRACT',
      },
    ]);
  });

  it('answers in at most four Cypher queries', async () => {
    const { queries } = await answer(harness.current, EXPOSURE, { entity: 'org:tiktok-usds-jv', asOf: DAY });
    expect(queries.length).toBeLessThanOrEqual(4);
  });
});

describe('policyVerdict: OFAC worked examples on fixture graphs', () => {
  it('covers B when designated X owns 50% of A and A owns 50% of B under an inclusive 50% rule', async () => {
    const { v } = await verdict({ entity: 'org:exposure-b', policy: INCLUSIVE });
    expect(v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 50, upper: 50, verdict: 'COVERED' } });
    // Look-through multiplies 50% × 50%; only the aggregate method passes A's whole stake on (OFAC FAQ 401).
    expect(v.lookThrough).toEqual({ lower: 25, upper: 25, verdict: 'NOT_COVERED' });
    expect(pathsOf(v)).toEqual(['org:exposure-x→org:exposure-a→org:exposure-b']);
    expect(v.explanation.paths[0].rootReason).toMatchObject({
      kind: 'DESIGNATED',
      designations: [{ id: 'desig:exposure-inclusive-x', listName: 'Test SDN List' }],
    });
    expect(v.explanation.paths[0].steps.map((s: any) => s.sources[0].id)).toEqual([
      'src:exposure-registry',
      'src:exposure-registry',
    ]);
  });

  it('does not cover B under an exclusive “more than 50%” rule, since A itself is not covered', async () => {
    const { v } = await verdict({ entity: 'org:exposure-b', policy: EXCLUSIVE });
    expect(v).toMatchObject({
      verdict: 'NOT_COVERED',
      thresholdInclusive: false,
      aggregate: { lower: 0, upper: 0 },
    });
  });

  it('answers the what-if “exactly 50% no longer counts” with NOT_COVERED', async () => {
    const { v } = await verdict({ entity: 'org:exposure-b', policy: INCLUSIVE, thresholdInclusive: false });
    expect(v).toMatchObject({ verdict: 'NOT_COVERED', threshold: 50, thresholdInclusive: false });
  });

  it('adds up stakes of two designated owners (25% + 25%) to reach the threshold', async () => {
    const inclusive = await verdict({ entity: 'org:exposure-c', policy: INCLUSIVE });
    expect(inclusive.v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 50, upper: 50 } });
    expect(pathsOf(inclusive.v).sort()).toEqual([
      'org:exposure-x→org:exposure-c',
      'org:exposure-y→org:exposure-c',
    ]);
    const exclusive = await verdict({ entity: 'org:exposure-c', policy: EXCLUSIVE });
    expect(exclusive.v.verdict).toBe('NOT_COVERED');
  });

  it('covers Q through a cross-holding without P and Q justifying each other', async () => {
    const q = await verdict({ entity: 'org:exposure-cycle-q', policy: INCLUSIVE });
    expect(q.v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 60, upper: 60 } });
    expect(pathsOf(q.v)).toEqual(['org:exposure-x→org:exposure-cycle-p→org:exposure-cycle-q']);
    // Under "more than 50%" X's 50% does not cover P, so Q's 20% back into P must not count either.
    const p = await verdict({ entity: 'org:exposure-cycle-p', policy: EXCLUSIVE });
    expect(p.v).toMatchObject({ verdict: 'NOT_COVERED', aggregate: { lower: 50, upper: 50 } });
  });

  it('finds a range share possibly covered, with both bounds and the band as written', async () => {
    const { v } = await verdict({ entity: 'org:exposure-range', policy: INCLUSIVE });
    expect(v).toMatchObject({ verdict: 'POSSIBLY_COVERED', aggregate: { lower: 25, upper: 60 } });
    expect(v.explanation.paths[0].steps[0].share).toMatchObject({
      exclusiveMinimum: 25,
      maximum: 60,
      known: true,
      display: '>25–60%',
    });
    expect(v.explanation.sentence).toContain('owns more than 25% and at most 60% of Exposure Range Holder');
  });

  it('covers a subsidiary while the stake lasts and not after it ended', async () => {
    const before = await verdict({ entity: 'org:exposure-dated', policy: INCLUSIVE, asOf: '2024-01-01' });
    expect(before.v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 70 } });
    expect(before.v.explanation.paths[0].steps[0]).toMatchObject({
      startDate: '2020-01-01',
      endDate: '2024-06-30',
    });
    const after = await verdict({ entity: 'org:exposure-dated', policy: INCLUSIVE, asOf: '2025-01-01' });
    expect(after.v).toMatchObject({ verdict: 'NOT_COVERED', aggregate: { lower: 0, upper: 0 } });
  });

  it('covers a company controlled through a VIE contract only under a rule that counts control', async () => {
    const counts = await verdict({ entity: 'org:exposure-vie', policy: CONTROL_COUNTS });
    expect(counts.v.verdict).toBe('COVERED');
    expect(counts.v.explanation.paths[0].steps).toMatchObject([
      {
        kind: 'CONTROL',
        basis: 'VIE_CONTRACT',
        from: { id: 'org:exposure-x' },
        share: null,
        startDate: '2016-01-01',
      },
    ]);
    expect(counts.v.explanation.sentence).toContain('controls (vie contract) Exposure VIE Operating Company');
    expect(counts.v.explanation.sentence).toContain(
      'covered because a covered party controls it without equity',
    );
    expect(counts.v.explanation.sentence).not.toContain('hold 0%');
    const equityOnly = await verdict({ entity: 'org:exposure-vie', policy: INCLUSIVE });
    expect(equityOnly.v.verdict).toBe('NOT_COVERED');
  });
});

describe('policyVerdict: a suspended policy (BIS Affiliates Rule, Huawei’s 60% subsidiary)', () => {
  it('covers the subsidiary on 2025-10-15, while the rule is in force', async () => {
    const { v } = await verdict({
      entity: 'org:exposure-huawei-sg',
      policy: BIS_AFFILIATES,
      asOf: '2025-10-15',
    });
    expect(v).toMatchObject({
      verdict: 'COVERED',
      policyStatus: { status: 'IN_FORCE', inForce: true, uncertain: false },
    });
    expect(pathsOf(v)).toEqual(['org:huawei→org:exposure-huawei-sg']);
    expect(v.explanation.paths[0].rootReason.kind).toBe('DESIGNATED');
  });

  it('does not cover it on 2026-01-01, while the rule is suspended, and says so', async () => {
    const { v } = await verdict({
      entity: 'org:exposure-huawei-sg',
      policy: BIS_AFFILIATES,
      asOf: '2026-01-01',
    });
    expect(v).toMatchObject({
      verdict: 'NOT_COVERED',
      policyStatus: { status: 'SUSPENDED', inForce: false, uncertain: false },
    });
    expect(v.policyStatus.note).toContain('suspended from 2025-11-10 through 2026-11-09');
    expect(v.explanation.sentence).toContain('It would be covered if it were in force');
  });

  it('covers it again on 2026-11-24 but flags the status as unconfirmed', async () => {
    const { v } = await verdict({
      entity: 'org:exposure-huawei-sg',
      policy: BIS_AFFILIATES,
      asOf: '2026-11-24',
    });
    expect(v).toMatchObject({
      verdict: 'COVERED',
      policyStatus: { status: 'IN_FORCE', inForce: true, uncertain: true },
    });
    expect(v.policyStatus.note).toContain('NOT confirmed');
  });
});

describe('screen: a customer list resolved by name and id, then checked against policies', () => {
  const SCREEN = `query Screen($names: [String!], $ids: [ID!], $policies: [ID!]!) {
    screen(customers: { names: $names, ids: $ids }, policies: $policies, asOf: "${DAY}") {
      asOf
      results { input status match { id } score matchedName candidates { node { id } score matched } verdicts { policy { id } verdict policyStatus { status } share { lower upper } reason } }
      summary { total matched ambiguous notFound covered possiblyCovered }
    }
  }`;
  const NAMES = [
    'ByteDance',
    'Tencent Holdings',
    'Zephyrine Twin Holdings',
    'Qwxzzyq Nonexistent',
    'TikTok Pte. Ltd.',
  ];
  const IDS = ['org:alibaba', 'org:nope'];
  let report: any;

  beforeAll(async () => {
    report = (
      await answer(harness.current, SCREEN, { names: NAMES, ids: IDS, policies: [ANTHROPIC, BIS_AFFILIATES] })
    ).data.screen;
  });

  const result = (input: string) => report.results.find((r: any) => r.input === input);

  it('resolves a name through the full-text index with its score and the name that matched', () => {
    expect(result('ByteDance')).toMatchObject({
      status: 'MATCHED',
      match: { id: 'org:bytedance' },
      matchedName: 'ByteDance',
    });
    expect(result('ByteDance').score).toBeGreaterThan(0);
    expect(result('Tencent Holdings')).toMatchObject({
      status: 'MATCHED',
      match: { id: 'org:tencent' },
      matchedName: 'Tencent Holdings Limited',
    });
  });

  it('flags two companies with the same name as ambiguous instead of guessing', () => {
    const r = result('Zephyrine Twin Holdings');
    expect(r).toMatchObject({ status: 'AMBIGUOUS', match: null, verdicts: [] });
    expect(ids(r.candidates.map((c: any) => c.node)).sort()).toEqual([
      'org:exposure-twin-1',
      'org:exposure-twin-2',
    ]);
  });

  it('says NOT_FOUND for a name and an id that match nothing', () => {
    expect(result('Qwxzzyq Nonexistent')).toMatchObject({ status: 'NOT_FOUND', match: null, verdicts: [] });
    expect(result('org:nope')).toMatchObject({ status: 'NOT_FOUND', match: null });
  });

  it('takes ids as they are, without a score', () => {
    expect(result('org:alibaba')).toMatchObject({
      status: 'MATCHED',
      match: { id: 'org:alibaba' },
      score: null,
      matchedName: 'Alibaba Group Holding Limited',
    });
  });

  it('gives one verdict per policy with a short reason and the policy’s status', () => {
    expect(result('ByteDance').verdicts).toEqual([
      {
        policy: { id: ANTHROPIC },
        verdict: 'COVERED',
        policyStatus: { status: 'IN_FORCE' },
        share: { lower: 100, upper: 100 },
        reason: 'headquartered in CN',
      },
      {
        policy: { id: BIS_AFFILIATES },
        verdict: 'NOT_COVERED',
        policyStatus: { status: 'SUSPENDED' },
        share: { lower: 0, upper: 0 },
        reason: `policy suspended on ${DAY}`,
      },
    ]);
    expect(result('TikTok Pte. Ltd.').verdicts[0]).toMatchObject({
      verdict: 'POSSIBLY_COVERED',
      share: { lower: 0, upper: 100 },
    });
  });

  it('counts the results in a summary', () => {
    expect(report.summary).toEqual({
      total: 7,
      matched: 4,
      ambiguous: 1,
      notFound: 2,
      covered: 3,
      possiblyCovered: 1,
    });
  });

  it('screens 1,000 names in as many Cypher queries as 3 names', async () => {
    const QUERY = `query($names: [String!]) { screen(customers: { names: $names }, policies: ["${ANTHROPIC}"], asOf: "${DAY}") { summary { total matched ambiguous notFound covered possiblyCovered } } }`;
    const small = await answer(harness.current, QUERY, {
      names: ['ByteDance', 'Unknown Customer 1', 'Tencent Holdings'],
    });
    const names = Array.from({ length: 1000 }, (_, i) =>
      i % 3 === 0 ? 'ByteDance' : i % 3 === 1 ? `Unknown Customer ${i}` : 'Tencent Holdings',
    );
    const large = await answer(harness.current, QUERY, { names });
    // "Unknown Customer 4" shares one word with "Exposure Clean Customer Inc.": not a match.
    expect(large.data.screen.summary).toEqual({
      total: 1000,
      matched: 667,
      ambiguous: 0,
      notFound: 333,
      covered: 667,
      possiblyCovered: 0,
    });
    expect(large.queries.length).toBe(small.queries.length);
    expect(large.queries.length).toBeLessThanOrEqual(4);
  });
});

describe('coveredEntities: a sweep of everything a policy covers', () => {
  const SWEEP = `query Sweep($policy: ID!, $asOf: Date, $first: Int, $after: String) {
    coveredEntities(policy: $policy, asOf: $asOf, first: $first, after: $after) {
      policy { id } asOf policyStatus { status inForce uncertain } totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { party { id } verdict share { lower upper } reason } }
      nodes { party { id } }
    }
  }`;

  it('pages through the fixture rule’s sweep with cursors and a total count', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const pages: boolean[] = [];
    do {
      const { data }: any = await answer(harness.current, SWEEP, {
        policy: INCLUSIVE,
        asOf: DAY,
        first: 3,
        after,
      });
      const c = data.coveredEntities;
      expect(c.totalCount).toBe(8);
      expect(c.nodes.map((n: any) => n.party.id)).toEqual(c.edges.map((e: any) => e.node.party.id));
      seen.push(...c.edges.map((e: any) => e.node.party.id));
      pages.push(c.pageInfo.hasNextPage);
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual([true, true, false]);
    expect(seen).toEqual([
      'org:exposure-a',
      'org:exposure-b',
      'org:exposure-c',
      'org:exposure-cycle-p',
      'org:exposure-cycle-q',
      'org:exposure-range',
      'org:exposure-x',
      'org:exposure-y',
    ]);
  });

  it('gives each covered entity a verdict, its share and a reason', async () => {
    const { data } = await answer(harness.current, SWEEP, { policy: INCLUSIVE, asOf: DAY, first: 100 });
    const byId = Object.fromEntries(data.coveredEntities.edges.map((e: any) => [e.node.party.id, e.node]));
    expect(byId['org:exposure-x']).toMatchObject({
      verdict: 'COVERED',
      reason: 'listed on the Test SDN List',
    });
    expect(byId['org:exposure-b']).toMatchObject({
      verdict: 'COVERED',
      share: { lower: 50, upper: 50 },
      reason: 'owned 50% by covered owners',
    });
    expect(byId['org:exposure-range']).toMatchObject({
      verdict: 'POSSIBLY_COVERED',
      share: { lower: 25, upper: 60 },
      reason: 'owned 25%–60% by covered owners',
    });
    expect(byId['org:exposure-vie']).toBeUndefined();
  });

  it('sweeps Anthropic’s policy: CN companies, their subsidiaries, and TikTok’s entities as possibly covered', async () => {
    const { data } = await answer(harness.current, SWEEP, { policy: ANTHROPIC, asOf: DAY, first: 100 });
    const byId = Object.fromEntries(data.coveredEntities.edges.map((e: any) => [e.node.party.id, e.node]));
    expect(byId['org:bytedance']).toMatchObject({ verdict: 'COVERED', reason: 'headquartered in CN' });
    expect(byId['org:exposure-alibaba-sg']).toMatchObject({
      verdict: 'COVERED',
      reason: 'owned 100% by covered owners',
    });
    expect(byId['org:tiktok-pte-ltd']).toMatchObject({ verdict: 'POSSIBLY_COVERED' });
    expect(byId['org:tiktok-ltd']).toMatchObject({ verdict: 'POSSIBLY_COVERED' });
    expect(byId['org:tiktok-usds-jv']).toBeUndefined();
    expect(data.coveredEntities.totalCount).toBe(data.coveredEntities.edges.length);
  });

  it('covers nothing while a policy is suspended and reports its status', async () => {
    const suspended = (await answer(harness.current, SWEEP, { policy: BIS_AFFILIATES, asOf: '2026-01-01' }))
      .data.coveredEntities;
    expect(suspended).toMatchObject({
      policyStatus: { status: 'SUSPENDED', inForce: false },
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    const inForce = (
      await answer(harness.current, SWEEP, { policy: BIS_AFFILIATES, asOf: '2025-10-15', first: 100 })
    ).data.coveredEntities;
    expect(inForce.policyStatus).toEqual({ status: 'IN_FORCE', inForce: true, uncertain: false });
    expect(inForce.edges.map((e: any) => e.node.party.id)).toEqual(
      expect.arrayContaining(['org:huawei', 'org:exposure-huawei-sg']),
    );
  });
});

describe('connections: how two records are linked', () => {
  const CONNECTIONS = `query Connections($from: ID!, $to: ID!, $maxHops: Int, $viaCountries: Boolean) {
    connections(from: $from, to: $to, maxHops: $maxHops, viaCountries: $viaCountries) {
      length nodes { id } steps { type from { id } to { id } share { display } startDate sources { id } description }
    }
  }`;
  const COUNTRY_TYPES = ['HEADQUARTERED_IN', 'INCORPORATED_IN', 'NATIONAL_OF', 'RESIDES_IN', 'TARGETS'];

  it('links ByteDance to TikTok USDS JV by its 19.9% stake, described in words', async () => {
    const { data } = await answer(harness.current, CONNECTIONS, {
      from: 'org:bytedance',
      to: 'org:tiktok-usds-jv',
    });
    expect(data.connections).toHaveLength(1);
    const [path] = data.connections;
    expect(path).toMatchObject({ length: 1, nodes: [{ id: 'org:bytedance' }, { id: 'org:tiktok-usds-jv' }] });
    expect(path.steps[0]).toMatchObject({
      type: 'OWNS',
      share: { display: '19.9%' },
      startDate: '2026-01-22',
    });
    expect(path.steps[0].description).toBe(
      'ByteDance Ltd. owns 19.9% of TikTok USDS Joint Venture LLC (since 2026-01-22)',
    );
    expect(path.steps[0].sources.length).toBeGreaterThan(0);
  });

  it('links Alibaba to a Qwen model through Alibaba Cloud', async () => {
    const { data } = await answer(harness.current, CONNECTIONS, {
      from: 'org:alibaba',
      to: 'model:qwen2.5-math-7b',
    });
    expect(data.connections[0].nodes.map((n: any) => n.id)).toEqual([
      'org:alibaba',
      'org:alibaba-cloud',
      'model:qwen2.5-math-7b',
    ]);
    expect(data.connections[0].steps.map((s: any) => s.description)).toEqual([
      'Alibaba Group Holding Limited owns an undisclosed stake in Alibaba Cloud',
      'Qwen2.5-Math-7B is developed by Alibaba Cloud',
    ]);
  });

  it('joins ByteDance and DeepSeek through China only when country hops are asked for', async () => {
    const via = await answer(harness.current, CONNECTIONS, {
      from: 'org:bytedance',
      to: 'org:deepseek',
      maxHops: 3,
      viaCountries: true,
    });
    expect(via.data.connections.length).toBeGreaterThan(0);
    expect(via.data.connections.every((p: any) => p.nodes.some((n: any) => n.id === 'country:CN'))).toBe(
      true,
    );
    const without = await answer(harness.current, CONNECTIONS, {
      from: 'org:bytedance',
      to: 'org:deepseek',
      maxHops: 3,
      viaCountries: false,
    });
    expect(without.data.connections).toEqual([]);
  });

  it('searches ten hops from ByteDance to a Claude model without country hops, and returns', async () => {
    // Regression: a path predicate made Neo4j enumerate every path here, and the request never ended.
    const { data } = await answer(harness.current, CONNECTIONS, {
      from: 'org:bytedance',
      to: 'model:claude-sonnet-4.5',
      maxHops: 10,
    });
    for (const path of data.connections)
      expect(path.steps.filter((s: any) => COUNTRY_TYPES.includes(s.type))).toEqual([]);
  });
});

describe('errors name the argument that is wrong', () => {
  const cases: Array<{
    name: string;
    query: string;
    variables?: Record<string, unknown>;
    code: string;
    argument: string;
    message: RegExp;
  }> = [
    {
      name: 'policyVerdict with an unknown entity',
      query: VERDICT,
      variables: { entity: 'org:nope', policy: ANTHROPIC },
      code: 'NOT_FOUND',
      argument: 'entity',
      message: /^Argument "entity": no organization or person has id "org:nope"\.$/,
    },
    {
      name: 'policyVerdict with an unknown policy',
      query: VERDICT,
      variables: { entity: 'org:bytedance', policy: 'policy:nope' },
      code: 'NOT_FOUND',
      argument: 'policy',
      message: /^Argument "policy": no policy has id "policy:nope"\.$/,
    },
    {
      name: 'policyVerdict with a threshold above 100%',
      query: VERDICT,
      variables: { entity: 'org:bytedance', policy: ANTHROPIC, threshold: 150 },
      code: 'BAD_USER_INPUT',
      argument: 'threshold',
      message: /^Argument "threshold" must be above 0 and at most 100 \(percent\), got 150\.$/,
    },
    {
      name: 'policyVerdict with a threshold of 0',
      query: VERDICT,
      variables: { entity: 'org:bytedance', policy: ANTHROPIC, threshold: 0 },
      code: 'BAD_USER_INPUT',
      argument: 'threshold',
      message: /got 0\.$/,
    },
    {
      name: 'exposure with an unknown entity',
      query: '{ exposure(entity: "person:nobody") { asOf } }',
      code: 'NOT_FOUND',
      argument: 'entity',
      message: /^Argument "entity": no organization or person has id "person:nobody"\.$/,
    },
    {
      name: 'exposure of a model, which has no owners',
      query: '{ exposure(entity: "model:deepseek-r1") { asOf } }',
      code: 'NOT_FOUND',
      argument: 'entity',
      message: /Argument "entity"/,
    },
    {
      name: 'exposure with owners deeper than MAX_DEPTH',
      query: '{ exposure(entity: "org:bytedance") { owners(maxDepth: 26) { depth } } }',
      code: 'BAD_USER_INPUT',
      argument: 'maxDepth',
      message: /^Argument "maxDepth" must be between 1 and 25, got 26\.$/,
    },
    {
      name: 'coveredEntities with an unknown policy',
      query: '{ coveredEntities(policy: "policy:nope") { totalCount } }',
      code: 'NOT_FOUND',
      argument: 'policy',
      message: /Argument "policy"/,
    },
    {
      name: 'coveredEntities with a threshold above 100%',
      query: `{ coveredEntities(policy: "${INCLUSIVE}", threshold: 100.5) { totalCount } }`,
      code: 'BAD_USER_INPUT',
      argument: 'threshold',
      message: /got 100\.5\.$/,
    },
    {
      name: 'coveredEntities with a page larger than MAX_PAGE_SIZE',
      query: `{ coveredEntities(policy: "${INCLUSIVE}", first: 101) { totalCount } }`,
      code: 'BAD_USER_INPUT',
      argument: 'first',
      message: /^Argument "first" must be between 1 and 100, got 101\.$/,
    },
    {
      name: 'screen with an empty list',
      query: `{ screen(customers: { names: [] }, policies: ["${ANTHROPIC}"]) { asOf } }`,
      code: 'BAD_USER_INPUT',
      argument: 'customers',
      message: /^Argument "customers" must hold between 1 and 5000 names and ids in all, got "0 entries"\.$/,
    },
    {
      name: 'screen with more than 5,000 entries',
      query: `query($names: [String!]) { screen(customers: { names: $names }, policies: ["${ANTHROPIC}"]) { asOf } }`,
      variables: { names: Array.from({ length: 5001 }, (_, i) => `Name ${i}`) },
      code: 'BAD_USER_INPUT',
      argument: 'customers',
      message: /got "5001 entries"\.$/,
    },
    {
      name: 'screen with an unknown policy',
      query: `{ screen(customers: { ids: ["org:bytedance"] }, policies: ["${ANTHROPIC}", "policy:nope"]) { asOf } }`,
      code: 'NOT_FOUND',
      argument: 'policies[1]',
      message: /^Argument "policies\[1\]": no policy has id "policy:nope"\.$/,
    },
    {
      name: 'connections with maxHops 0',
      query: '{ connections(from: "org:bytedance", to: "org:tiktok-ltd", maxHops: 0) { length } }',
      code: 'BAD_USER_INPUT',
      argument: 'maxHops',
      message: /^Argument "maxHops" must be between 1 and 10, got 0\.$/,
    },
    {
      name: 'connections with maxHops 11',
      query: '{ connections(from: "org:bytedance", to: "org:tiktok-ltd", maxHops: 11) { length } }',
      code: 'BAD_USER_INPUT',
      argument: 'maxHops',
      message: /got 11\.$/,
    },
    {
      name: 'connections from an unknown record',
      query: '{ connections(from: "org:nope", to: "org:tiktok-ltd") { length } }',
      code: 'NOT_FOUND',
      argument: 'from',
      message: /^Argument "from": no record has id "org:nope"\.$/,
    },
    {
      name: 'connections from a record to itself',
      query: '{ connections(from: "org:bytedance", to: "org:bytedance") { length } }',
      code: 'BAD_USER_INPUT',
      argument: 'to',
      message:
        /^Argument "to" must differ from `from`: a record is not connected to itself, got "org:bytedance"\.$/,
    },
    {
      name: 'connections to an unknown record',
      query: '{ connections(from: "org:bytedance", to: "model:nope") { length } }',
      code: 'NOT_FOUND',
      argument: 'to',
      message: /^Argument "to": no record has id "model:nope"\.$/,
    },
  ];

  it.each(cases)('rejects $name', async ({ query, variables, code, argument, message }) => {
    const error = await firstError(harness.current, query, variables);
    expect(error.extensions).toMatchObject({ code, argument });
    expect(error.message).toMatch(message);
  });

  it('rejects an as-of date variable that is not a calendar day, naming the variable', async () => {
    const error = await firstError(harness.current, EXPOSURE, {
      entity: 'org:bytedance',
      asOf: '2026-02-30',
    });
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('"$asOf"');
    expect(error.message).toContain('YYYY-MM-DD, got "2026-02-30"');
  });

  it('rejects an as-of date literal in a bad format, naming the argument', async () => {
    const result = await execute(
      harness.current,
      '{ policyVerdict(entity: "org:bytedance", policy: "policy:bis-entity-list", asOf: "01/02/2026") { verdict } }',
    );
    expect(result.data).toBeUndefined();
    expect(result.errors![0].message).toBe(
      'Argument "asOf" must be a date written YYYY-MM-DD, got "01/02/2026".',
    );
    expect(result.errors![0].extensions.argument).toBe('asOf');
    expect(result.queries).toEqual([]);
  });
});
