import { README_QUERIES } from './readmeQueries';
import { seedRecords } from './support/seedFacts';
import { useSeededApp } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

const { execute } = useSeededApp();

async function answer(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const { data, errors } = await execute(query, variables);
  expect(errors).toBeUndefined();
  return data;
}

/**
 * Every record in an answer (anything with an `id`) carries at least one source with a web address.
 * Returns how many records were checked, so a test can tell a cited answer from an empty one.
 */
function expectEveryFactCited(data: unknown): number {
  let records = 0;
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${i}]`));
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if ('id' in object) {
      records++;
      const sources = object.sources as Array<{ url: string }> | undefined;
      if (
        !Array.isArray(sources) ||
        sources.length === 0 ||
        !sources.every((s) => /^https?:\/\/\S+$/.test(s.url))
      ) {
        throw new Error(`${path} (${String(object.id)}) has no cited source: ${JSON.stringify(sources)}`);
      }
    }
    for (const [key, child] of Object.entries(object)) if (key !== 'sources') visit(child, `${path}.${key}`);
  };
  visit(data, 'data');
  return records;
}

const stakes = (ownerships: any[]) =>
  Object.fromEntries(ownerships.map((o) => [o.owner.id, o.share.display])) as Record<string, string>;

describe('README: who owns ByteDance, Tencent and Alibaba and their subsidiaries', () => {
  let orgs: Record<string, any>;

  beforeAll(async () => {
    const data = await answer(README_QUERIES.whoOwns, {
      ids: ['org:bytedance', 'org:tencent', 'org:alibaba'],
      asOf: '2026-03-01',
    });
    orgs = Object.fromEntries(data.nodes.map((o: any) => [o.id, o]));
  });

  it('names ByteDance’s owners with their shares: global investors 60%, Zhang Yiming 20–25%, employees 20%', () => {
    expect(stakes(orgs['org:bytedance'].owners)).toEqual({
      'org:bytedance-global-investors': '60%',
      'person:zhang-yiming': '20–25%',
      'org:bytedance-employees': '20%',
    });
    expect(orgs['org:bytedance'].headquarters.code).toBe('CN');
    expect(orgs['org:bytedance'].incorporation.code).toBe('KY');
  });

  it('follows ByteDance’s stakes to its overseas subsidiaries, with stakes of unknown size shown as unknown', () => {
    const held = Object.fromEntries(orgs['org:bytedance'].holdings.map((h: any) => [h.owned.id, h]));
    expect(held['org:tiktok-pte-ltd'].owned.headquarters.code).toBe('SG');
    expect(held['org:tiktok-pte-ltd'].share.display).toBe('unknown');
    expect(held['org:tiktok-usds-jv'].share.display).toBe('19.9%');
    expect(held['org:tiktok-usds-jv'].startDate).toBe('2026-01-22');
  });

  it('shows the other owners of the TikTok USDS joint venture and when their stakes began', () => {
    const jv = orgs['org:bytedance'].holdings.find((h: any) => h.owned.id === 'org:tiktok-usds-jv').owned;
    expect(stakes(jv.owners)).toMatchObject({
      'org:bytedance': '19.9%',
      'org:oracle': '15%',
      'org:silver-lake': '15%',
      'org:mgx': '15%',
    });
    expect(jv.owners.every((o: any) => o.startDate === '2026-01-22' && o.confidence)).toBe(true);
  });

  it('gives Tencent’s and Alibaba’s owners on the day asked: Prosus at most 24.99%, SoftBank below 0.5%', () => {
    expect(stakes(orgs['org:tencent'].owners)).toEqual({ 'org:prosus': '≤24.99%' });
    expect(orgs['org:tencent'].owners[0].startDate).toBe('2023-12-07');
    expect(stakes(orgs['org:alibaba'].owners)).toEqual({
      'org:softbank': '<0.5%',
      'person:jack-ma': '>4.3%',
    });
  });

  it('cites a source for every owner, stake, subsidiary and company in the answer', async () => {
    const data = await answer(README_QUERIES.whoOwns, {
      ids: ['org:bytedance', 'org:tencent', 'org:alibaba'],
    });
    expect(expectEveryFactCited(data)).toBeGreaterThan(60);
  });
});

describe('README: which models DeepSeek, Alibaba and Anthropic make', () => {
  let orgs: Record<string, any>;

  beforeAll(async () => {
    const data = await answer(README_QUERIES.whoMakesWhichModels, {
      ids: ['org:deepseek', 'org:alibaba', 'org:anthropic'],
    });
    orgs = Object.fromEntries(data.nodes.map((o: any) => [o.id, o]));
  });

  it('lists DeepSeek’s own models, R1 and the six R1-Distill models among them', () => {
    const ids = orgs['org:deepseek'].models.map((m: any) => m.id);
    expect(ids).toContain('model:deepseek-r1');
    expect(ids.filter((id: string) => id.startsWith('model:deepseek-r1-distill-'))).toHaveLength(6);
  });

  it('finds Alibaba’s Qwen models at Alibaba Cloud, the subsidiary that develops them', () => {
    expect(orgs['org:alibaba'].models).toEqual([]);
    const cloud = orgs['org:alibaba'].holdings.find((h: any) => h.owned.id === 'org:alibaba-cloud').owned;
    const families = new Set(cloud.models.map((m: any) => m.family));
    expect(families).toEqual(new Set(['Qwen2.5', 'Qwen3']));
    expect(cloud.models.map((m: any) => m.id)).toContain('model:qwen3-235b-a22b');
  });

  it('lists Anthropic’s Claude models', () => {
    const models = orgs['org:anthropic'].models;
    expect(models.every((m: any) => m.family === 'Claude' && m.openWeights === false)).toBe(true);
    expect(models.map((m: any) => m.id)).toEqual(
      expect.arrayContaining(['model:claude-opus-4.7', 'model:claude-3-opus']),
    );
  });

  it('cites a source for every model and developer in the answer', () => {
    expect(expectEveryFactCited(Object.values(orgs))).toBeGreaterThan(60);
  });
});

describe('README: which models were derived from which', () => {
  let data: any;

  beforeAll(async () => {
    data = await answer(README_QUERIES.lineage);
  });

  it('gives each R1-Distill model two declared parents: DeepSeek-R1 by distillation and its Qwen2.5 or Llama base by fine-tuning', () => {
    const parents = Object.fromEntries(
      data.distills.nodes.map((m: any) => [
        m.id,
        m.derivedFrom.map((d: any) => `${d.basis} ${d.method} ${d.parent.id}`).sort(),
      ]),
    );
    const bases: Record<string, string> = {
      'model:deepseek-r1-distill-qwen-1.5b': 'model:qwen2.5-math-1.5b',
      'model:deepseek-r1-distill-qwen-7b': 'model:qwen2.5-math-7b',
      'model:deepseek-r1-distill-qwen-14b': 'model:qwen2.5-14b',
      'model:deepseek-r1-distill-qwen-32b': 'model:qwen2.5-32b',
      'model:deepseek-r1-distill-llama-8b': 'model:llama-3.1-8b',
      'model:deepseek-r1-distill-llama-70b': 'model:llama-3.3-70b-instruct',
    };
    expect(parents).toEqual(
      Object.fromEntries(
        Object.entries(bases).map(([child, base]) => [
          child,
          [`DECLARED DISTILLATION model:deepseek-r1`, `DECLARED FINE_TUNE ${base}`],
        ]),
      ),
    );
  });

  it('names the developers of the bases: Alibaba Cloud for Qwen2.5, Meta for Llama', () => {
    const developers = new Set(
      data.distills.nodes.flatMap((m: any) =>
        m.derivedFrom.filter((d: any) => d.method === 'FINE_TUNE').map((d: any) => d.parent.developer.id),
      ),
    );
    expect(developers).toEqual(new Set(['org:alibaba-cloud', 'org:meta']));
  });

  it('shows R1 declared as fine-tuned from V3 and alleged to be distilled from OpenAI’s models, with the allegation', () => {
    const byParent = Object.fromEntries(data.r1.derivedFrom.map((d: any) => [d.parent.id, d]));
    expect(byParent['model:deepseek-v3']).toMatchObject({
      basis: 'DECLARED',
      method: 'FINE_TUNE',
      allegation: null,
    });
    expect(byParent['model:openai-unspecified']).toMatchObject({
      basis: 'ALLEGED',
      method: 'DISTILLATION',
      allegation: { id: 'alleg:openai-deepseek-distillation-2025', status: 'ALLEGED', date: '2025-01-29' },
    });
    const accusers = byParent['model:openai-unspecified'].allegation.accusers.map((a: any) => a.id).sort();
    expect(accusers).toEqual(['org:microsoft', 'org:openai']);
  });

  it('cites a source for every model, derivation and allegation in the answer', () => {
    expect(expectEveryFactCited(data)).toBeGreaterThan(30);
  });
});

describe('README: what Anthropic’s restriction says and whom it names', () => {
  let policy: any;
  /** The restriction as written in seed/50-policies-designations.json: its target list is curated there. */
  const seeded = seedRecords('policies').find((p) => p.id === 'policy:anthropic-unsupported-regions-2025')!;

  beforeAll(async () => {
    policy = (await answer(README_QUERIES.anthropicRestriction)).policy;
  });

  it('describes the ownership rule in words: more than 50%, directly or indirectly, by entities headquartered in the targets', () => {
    expect(policy.ownershipRule).toEqual({
      threshold: 50,
      thresholdInclusive: false,
      countryBasis: 'HEADQUARTERS',
      includesIndirect: true,
      aggregation: 'AGGREGATE',
      controlCounts: false,
      description: `more than 50% owned, directly or indirectly, in aggregate, by designated entities or entities headquartered in ${seeded.targets!.join(', ')}`,
    });
  });

  it('targets the countries the seed lists, China, Russia, Iran and North Korea among them, from 2025-09-05', () => {
    expect(policy.targets.map((c: any) => c.code)).toEqual(seeded.targets);
    expect(seeded.targets).toEqual(expect.arrayContaining(['CN', 'RU', 'IR', 'KP']));
    expect(policy).toMatchObject({
      kind: 'PROVIDER_RESTRICTION',
      announcedDate: '2025-09-04',
      effectiveFrom: '2025-09-05',
    });
    expect(policy.issuer.id).toBe('org:anthropic');
  });

  it('reaches the Anthropic API, the Claude apps and the three cloud marketplaces that resell Claude', () => {
    expect(policy.reachesChannels.map((c: any) => c.id).sort()).toEqual([...seeded.covers!.channels!].sort());
    expect(policy.reachesChannels.map((c: any) => c.id)).toEqual(
      expect.arrayContaining([
        'channel:amazon-bedrock',
        'channel:anthropic-api',
        'channel:claude-app',
        'channel:google-vertex-ai',
        'channel:microsoft-foundry',
      ]),
    );
    expect(policy.coversModelsOf.map((o: any) => o.id)).toEqual(['org:anthropic']);
  });

  it('names no entity by designation: it reaches entities through the ownership rule alone', () => {
    expect(policy.designations).toEqual([]);
  });

  it('cites a source for the policy, its targets, channels and issuer', () => {
    expect(expectEveryFactCited(policy)).toBeGreaterThanOrEqual(14);
  });
});

describe('README: where Claude can be bought', () => {
  const channelsOf = (data: any, modelId: string) =>
    data.models.nodes
      .find((m: any) => m.id === modelId)
      .offerings.map((o: any) => o.channel.id)
      .sort();

  it('offers Claude Opus 4.7 on the Anthropic API, Amazon Bedrock, Vertex AI and Microsoft Foundry', async () => {
    const data = await answer(README_QUERIES.whereToBuyClaude, { asOf: '2026-05-01' });
    expect(channelsOf(data, 'model:claude-opus-4.7')).toEqual([
      'channel:amazon-bedrock',
      'channel:anthropic-api',
      'channel:google-vertex-ai',
      'channel:microsoft-foundry',
    ]);
    const operators = new Set(
      data.models.nodes.flatMap((m: any) => m.offerings.map((o: any) => o.channel.operator.id)),
    );
    expect(operators).toEqual(new Set(['org:anthropic', 'org:amazon', 'org:google', 'org:microsoft']));
  });

  it('leaves out an offering interrupted on the day asked (Claude Fable 5 between 2026-06-12 and 2026-07-01)', async () => {
    const during = await answer(README_QUERIES.whereToBuyClaude, { asOf: '2026-06-20' });
    const after = await answer(README_QUERIES.whereToBuyClaude, { asOf: '2026-07-02' });
    expect(channelsOf(during, 'model:claude-fable-5')).toEqual([]);
    expect(channelsOf(after, 'model:claude-fable-5')).toEqual(['channel:anthropic-api']);
  });

  it('cites a source for every model, offering, channel and operator', async () => {
    const data = await answer(README_QUERIES.whereToBuyClaude, {});
    expect(expectEveryFactCited(data)).toBeGreaterThan(100);
  });
});
