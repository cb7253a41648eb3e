import { useSeededApp } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * Issue #9, end to end on the curated seed: the verdicts on the overseas subsidiaries and on the Russian and
 * sanctioned parties the seed now records, asked through GraphQL as an analyst would. Each case names the
 * entities it asks about, never how many the seed holds, so adding data elsewhere cannot break it.
 */

const ANTHROPIC = 'policy:anthropic-unsupported-regions-2025';
const OFAC_50 = 'policy:ofac-50-percent-rule';
const BIS_AFFILIATES = 'policy:bis-affiliates-rule';
const DAY = '2026-03-01';

const VERDICT = `query Verdict($entity: ID!, $policy: ID!, $asOf: Date) {
  policyVerdict(entity: $entity, policy: $policy, asOf: $asOf) {
    verdict method policyStatus { status inForce }
    aggregate { lower upper verdict } lookThrough { lower upper verdict }
    explanation {
      sentence
      rootReason { kind country { code } designations { id } }
      paths {
        root { id } rootReason { kind country { code } }
        steps { to { id } share { exact minimum maximum exclusiveMinimum known } sources { id } }
      }
    }
  }
}`;

const SWEEP = `query Sweep($policy: ID!, $asOf: Date, $after: String) {
  coveredEntities(policy: $policy, asOf: $asOf, first: 100, after: $after) {
    edges { node { party { id } verdict } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const app = useSeededApp();

async function verdict(entity: string, policy: string, asOf = DAY): Promise<any> {
  const { data, errors } = await app.execute(VERDICT, { entity, policy, asOf });
  expect(errors).toBeUndefined();
  return data.policyVerdict;
}

/** Every entity of a policy's sweep with its verdict, page by page, whatever the seed's size. */
async function sweep(policy: string, asOf = DAY): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let after: string | null = null;
  do {
    const { data, errors }: any = await app.execute(SWEEP, { policy, asOf, after });
    expect(errors).toBeUndefined();
    for (const edge of data.coveredEntities.edges) found.set(edge.node.party.id, edge.node.verdict);
    after = data.coveredEntities.pageInfo.hasNextPage ? data.coveredEntities.pageInfo.endCursor : null;
  } while (after);
  return found;
}

const pathsOf = (v: any): string[] =>
  v.explanation.paths.map((p: any) => [p.root.id, ...p.steps.map((s: any) => s.to.id)].join('→'));

describe('Anthropic’s policy reaches the overseas subsidiaries of CN-headquartered groups', () => {
  it.each([
    {
      name: 'Daraz (PK), wholly owned by Alibaba',
      entity: 'org:daraz',
      asOf: DAY,
      path: 'org:alibaba→org:daraz',
      lower: 100,
      upper: 100,
    },
    {
      name: 'Riot Games (US), wholly owned by Tencent',
      entity: 'org:riot-games',
      asOf: DAY,
      path: 'org:tencent→org:riot-games',
      lower: 100,
      upper: 100,
    },
    {
      name: 'Tokopedia (ID), 75.01% ByteDance',
      entity: 'org:tokopedia',
      asOf: DAY,
      path: 'org:bytedance→org:tokopedia',
      lower: 75.01,
      upper: 75.01,
    },
    {
      name: 'Grinding Gear Games (NZ), 80% Tencent',
      entity: 'org:grinding-gear-games',
      asOf: DAY,
      path: 'org:tencent→org:grinding-gear-games',
      lower: 80,
      upper: 80,
    },
    {
      name: 'Trendyol (TR), 76.1–86.5% Alibaba as the two sources disagree',
      entity: 'org:trendyol',
      asOf: DAY,
      path: 'org:alibaba→org:trendyol',
      lower: 76.1,
      upper: 86.5,
    },
    {
      name: 'Lazada (SG), at least 83% Alibaba since 2017',
      entity: 'org:lazada',
      asOf: DAY,
      path: 'org:alibaba→org:lazada',
      lower: 83,
      upper: 100,
    },
  ])(
    '$name is COVERED, with the stake and its sources on the path',
    async ({ entity, asOf, path, lower, upper }) => {
      const v = await verdict(entity, ANTHROPIC, asOf);
      expect(v).toMatchObject({
        verdict: 'COVERED',
        method: 'AGGREGATE',
        aggregate: { lower, upper, verdict: 'COVERED' },
      });
      expect(v.explanation.rootReason).toBeNull();
      expect(pathsOf(v)).toEqual([path]);
      const [p] = v.explanation.paths;
      expect(p.rootReason).toMatchObject({ kind: 'HEADQUARTERS', country: { code: 'CN' } });
      expect(p.steps.at(-1).share.known).toBe(true);
      expect(p.steps.at(-1).sources.length).toBeGreaterThan(0);
    },
  );

  it('describes Alibaba’s 51% of Lazada in 2016 but gives NOT_COVERED: the policy was not yet in force', async () => {
    const v = await verdict('org:lazada', ANTHROPIC, '2016-06-01');
    expect(v).toMatchObject({
      verdict: 'NOT_COVERED',
      aggregate: { lower: 51, upper: 51, verdict: 'COVERED' },
    });
    expect(v.policyStatus.inForce).toBe(false);
    expect(pathsOf(v)).toEqual(['org:alibaba→org:lazada']);
  });

  it('covers Miniclip (CH) on a majority stake of undisclosed size: “more than 50%” meets “more than 50%”', async () => {
    const v = await verdict('org:miniclip', ANTHROPIC);
    expect(v.verdict).toBe('COVERED');
    expect(pathsOf(v)).toEqual(['org:tencent→org:miniclip']);
    expect(v.explanation.paths[0].steps[0].share).toMatchObject({ exclusiveMinimum: 50, known: true });
  });

  it('covers Supercell through the consortium Tencent controls, though Tencent’s look-through share is below half', async () => {
    const v = await verdict('org:supercell', ANTHROPIC);
    expect(pathsOf(v)).toEqual(['org:tencent→org:halti→org:supercell']);
    expect(v).toMatchObject({
      verdict: 'COVERED',
      method: 'AGGREGATE',
      aggregate: { lower: 82.2, upper: 82.2 },
    });
    // 51.2% of the consortium times its 82.2% of Supercell.
    expect(v.lookThrough.lower).toBeCloseTo(42.0864, 4);
    expect(v.lookThrough.verdict).toBe('NOT_COVERED');
  });

  it('does not cover Supercell while Tencent held exactly 50% of the consortium: “more than 50%” is strict', async () => {
    const v = await verdict('org:supercell', ANTHROPIC, '2018-01-01');
    expect(v.verdict).toBe('NOT_COVERED');
  });

  it('covers Sun Art through A-RT, the holding company Alibaba bought 70.94% of', async () => {
    const v = await verdict('org:sun-art-retail', ANTHROPIC);
    expect(pathsOf(v)).toEqual(['org:alibaba→org:a-rt-retail-holdings→org:sun-art-retail']);
    expect(v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 51, upper: 51 } });
  });

  it('covers Sumo Group through Tencent’s Hong Kong bidder, now that Hong Kong is a target in its own right', async () => {
    const bidder = await verdict('org:sixjoy-hong-kong', ANTHROPIC);
    expect(bidder.verdict).toBe('COVERED');
    expect(bidder.explanation.rootReason).toMatchObject({ kind: 'HEADQUARTERS', country: { code: 'HK' } });
    const sumo = await verdict('org:sumo-group', ANTHROPIC);
    expect(sumo).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 100, upper: 100 } });
    for (const path of pathsOf(sumo)) expect(path).toMatch(/org:sixjoy-hong-kong→org:sumo-group$/);
  });

  it.each([
    {
      name: 'TikTok Technology Limited (IE)',
      entity: 'org:tiktok-technology-ltd',
      path: 'org:bytedance→org:tiktok-technology-ltd',
    },
    { name: 'Pipeworks Studios (US), under Sumo', entity: 'org:pipeworks-studios', path: undefined },
    { name: 'TikTok Inc. (US), under TikTok LLC and TikTok Ltd.', entity: 'org:tiktok-inc', path: undefined },
  ])('leaves $name POSSIBLY_COVERED: the stakes above it are of unknown size', async ({ entity, path }) => {
    const v = await verdict(entity, ANTHROPIC);
    expect(v.verdict).toBe('POSSIBLY_COVERED');
    expect(v.aggregate.lower).toBe(0);
    expect(v.aggregate.upper).toBe(100);
    if (path) expect(pathsOf(v)).toContain(path);
    for (const p of v.explanation.paths)
      expect(p.steps.some((s: any) => s.share === null || !s.share.known)).toBe(true);
  });

  it.each([
    { name: 'Techland (PL)', entity: 'org:techland' },
    { name: 'Stunlock Studios (SE)', entity: 'org:stunlock-studios' },
  ])('covers $name on a majority stake of undisclosed size held by Tencent', async ({ entity }) => {
    const v = await verdict(entity, ANTHROPIC);
    expect(v.verdict).toBe('COVERED');
    expect(pathsOf(v)).toEqual([`org:tencent→${entity}`]);
    const [step] = v.explanation.paths[0].steps;
    expect(step.share).toMatchObject({ exclusiveMinimum: 50, known: true });
    expect(step.sources.length).toBeGreaterThan(0);
  });

  it('covers WorldFirst (GB), wholly owned by Ant Group, itself headquartered in CN', async () => {
    const v = await verdict('org:worldfirst', ANTHROPIC);
    expect(v).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 100, upper: 100 } });
    expect(pathsOf(v)).toContain('org:ant-group→org:worldfirst');
    const viaAnt = v.explanation.paths.find((p: any) => p.root.id === 'org:ant-group');
    expect(viaAnt.rootReason).toMatchObject({ kind: 'HEADQUARTERS', country: { code: 'CN' } });
  });

  it.each([
    { name: 'Fatshark, 36%', entity: 'org:fatshark', stake: 36 },
    { name: 'Guillemot Brothers, 49.9% of the equity', entity: 'org:guillemot-brothers', stake: 49.9 },
    { name: 'Vantage Studios, 26.32% economic interest', entity: 'org:vantage-studios', stake: 26.32 },
  ])('does not cover $name: a Tencent minority stays below the threshold', async ({ entity, stake }) => {
    const v = await verdict(entity, ANTHROPIC);
    expect(v).toMatchObject({ verdict: 'NOT_COVERED', aggregate: { lower: stake, upper: stake } });
    expect(pathsOf(v)).toEqual([`org:tencent→${entity}`]);
  });

  it('does not cover Epic Games, of which Tencent held 40%', async () => {
    const v = await verdict('org:epic-games', ANTHROPIC, '2020-01-22');
    expect(v).toMatchObject({
      verdict: 'NOT_COVERED',
      aggregate: { lower: 40, upper: 40, verdict: 'NOT_COVERED' },
    });
  });
});

describe('Anthropic’s targets follow its supported-regions page', () => {
  it('targets the countries the page omits, and not those it lists', async () => {
    const { data, errors }: any = await app.execute(
      `query { policy(id: "${ANTHROPIC}") { targets { code } } }`,
    );
    expect(errors).toBeUndefined();
    const targets = data.policy.targets.map((c: any) => c.code);
    expect(targets).toEqual(
      expect.arrayContaining(['CN', 'HK', 'MO', 'RU', 'IR', 'KP', 'BY', 'CU', 'MM', 'VE']),
    );
    for (const listed of ['TW', 'UA', 'SG', 'US', 'CF', 'ET']) expect(targets).not.toContain(listed);
  });
});

describe('Anthropic’s policy and the Russian companies', () => {
  it.each(['org:yandex-ijsc', 'org:sberbank', 'org:mts-ai', 'org:aliexpress-russia'])(
    '%s is COVERED as headquartered in RU',
    async (entity) => {
      const v = await verdict(entity, ANTHROPIC);
      expect(v.verdict).toBe('COVERED');
      expect(v.explanation.rootReason).toMatchObject({ kind: 'HEADQUARTERS', country: { code: 'RU' } });
    },
  );

  it('does not cover Nebius Group, the Dutch former parent, after it sold the Russian business', async () => {
    const v = await verdict('org:nebius-group', ANTHROPIC, '2025-01-01');
    expect(v).toMatchObject({ verdict: 'NOT_COVERED', aggregate: { lower: 0, upper: 0 } });
  });
});

describe('Restricted-party rules reach affiliates of the listed names', () => {
  it('OFAC’s 50 Percent Rule starts at Sberbank as designated and flags its subsidiary of unknown size', async () => {
    const root = await verdict('org:sberbank', OFAC_50);
    expect(root.verdict).toBe('COVERED');
    expect(root.explanation.rootReason).toMatchObject({ kind: 'DESIGNATED' });
    expect(root.explanation.rootReason.designations.map((d: any) => d.id)).toContain(
      'desig:ofac-50-percent-rule-sberbank',
    );

    const sub = await verdict('org:salutedevices', OFAC_50);
    expect(sub.verdict).toBe('POSSIBLY_COVERED');
    expect(pathsOf(sub)).toEqual(['org:sberbank→org:salutedevices']);
  });

  it('OFAC’s sweep lists the designated parties and the affiliate, but not AliExpress Russia, 12.9% RDIF', async () => {
    const found = await sweep(OFAC_50);
    expect(found.get('org:sberbank')).toBe('COVERED');
    expect(found.get('org:rdif')).toBe('COVERED');
    expect(found.get('org:salutedevices')).toBe('POSSIBLY_COVERED');
    expect(found.has('org:aliexpress-russia')).toBe(false);
  });

  it('the BIS Affiliates Rule reached Kaspersky’s US subsidiary while in effect, and not during its suspension', async () => {
    const inEffect = await verdict('org:kaspersky-lab-inc', BIS_AFFILIATES, '2025-10-01');
    expect(inEffect.verdict).toBe('POSSIBLY_COVERED');
    expect(pathsOf(inEffect)).toEqual(['org:kaspersky-lab-ao→org:kaspersky-lab-inc']);

    const suspended = await verdict('org:kaspersky-lab-inc', BIS_AFFILIATES, DAY);
    expect(suspended.verdict).toBe('NOT_COVERED');
    expect(suspended.policyStatus.inForce).toBe(false);
  });
});
