import { partialDate } from '../src/model/common';
import { useSeededApp } from './support/seededApp';
import { seedIds, seedRecords } from './support/seedFacts';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/** Lists (pagination, bounds, filters), full-text search, typed lookups and bad input, on the curated seed. */

const { execute } = useSeededApp();

async function ok(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const { data, errors } = await execute(query, variables);
  expect(errors).toBeUndefined();
  return data;
}

/** The one error of a request, which must be a BAD_USER_INPUT. */
async function badInput(query: string, variables: Record<string, unknown> = {}) {
  const { errors } = await execute(query, variables);
  expect(errors).toHaveLength(1);
  expect(errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  return errors![0]!;
}

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

describe('Lists: cursor pagination', () => {
  const PAGE = `query Page($first: Int, $after: String) {
    organizations(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount }
  }`;

  it('walks every organization page by page, each exactly once, as many as totalCount says', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let totalCount: number | undefined;
    for (;;) {
      const { organizations: page }: any = await ok(PAGE, { first: 10, after });
      pages++;
      totalCount = page.totalCount;
      seen.push(...page.edges.map((e: any) => e.node.id));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const organizations = seedIds('organizations');
    expect(totalCount).toBe(organizations.length);
    expect(seen).toEqual(organizations);
    expect(pages).toBe(Math.ceil(organizations.length / 10));
  });

  /**
   * Pages through the organizations in pages of at most MAX_PAGE_SIZE, asking for the last page exactly as many
   * as are left, so it comes back exactly full whatever the seed's size; returns the pages.
   */
  async function pagesEndingExactlyFull(): Promise<any[]> {
    const all = seedIds('organizations').length;
    const pages: any[] = [];
    let after: string | null = null;
    for (let left = all; left > 0;) {
      const first = Math.min(left, 100);
      const { organizations: page }: any = await ok(PAGE, { first, after });
      expect(page.edges).toHaveLength(first);
      pages.push(page);
      left -= first;
      after = page.pageInfo.endCursor;
    }
    return pages;
  }

  it('says there is no next page when the last page is exactly full', async () => {
    const pages = await pagesEndingExactlyFull();
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([...pages.map(() => true).slice(1), false]);
  });

  it('returns an empty page with a null endCursor after the last item', async () => {
    const last = (await pagesEndingExactlyFull()).at(-1);
    const { organizations } = await ok(PAGE, { first: 5, after: last.pageInfo.endCursor });
    expect(organizations.edges).toEqual([]);
    expect(organizations.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it.each([0, -1, 101])('refuses first: %i with a BAD_USER_INPUT error naming "first"', async (first) => {
    const error = await badInput(PAGE, { first });
    expect(error.message).toBe(`Argument "first" must be between 1 and 100, got ${first}.`);
    expect(error.extensions?.argument).toBe('first');
  });

  it('bounds the page size of nested lists too (Country.headquarteredHere)', async () => {
    const error = await badInput('{ country(code: "CN") { headquarteredHere(first: 101) { totalCount } } }');
    expect(error.message).toMatch(/^Argument "first"/);
  });

  it.each(['not-a-cursor', '', Buffer.from('org:bytedance').toString('base64url')])(
    'refuses the cursor %j with a BAD_USER_INPUT error naming "after"',
    async (after) => {
      const error = await badInput(PAGE, { first: 5, after });
      expect(error.message).toMatch(/^Argument "after" must be an endCursor returned by this list/);
      expect(error.extensions?.argument).toBe('after');
    },
  );
});

describe('Lists: organization filters', () => {
  const ORGS = `query Orgs($filter: OrganizationFilter, $after: String) {
    organizations(filter: $filter, first: 100, after: $after) { nodes { id type } pageInfo { hasNextPage endCursor } totalCount }
  }`;
  /** Every organization the filter keeps, paging through so the answer does not depend on the seed's size. */
  const orgIds = async (filter: Record<string, unknown>) => {
    const found: string[] = [];
    let after: string | null = null;
    do {
      const { organizations: page }: any = await ok(ORGS, { filter, after });
      found.push(...ids(page.nodes));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return found;
  };

  it('finds ByteDance among organizations headquartered in CN but not among those incorporated there (it is incorporated in KY)', async () => {
    expect(await orgIds({ country: 'CN', countryBasis: 'HEADQUARTERS' })).toContain('org:bytedance');
    expect(await orgIds({ country: 'CN', countryBasis: 'INCORPORATION' })).not.toContain('org:bytedance');
    const kyIncorporated = await orgIds({ country: 'KY', countryBasis: 'INCORPORATION' });
    expect(kyIncorporated).toEqual(seedIds('organizations', (o) => o.incorporation === 'KY'));
    expect(kyIncorporated).toEqual(expect.arrayContaining(['org:alibaba', 'org:bytedance', 'org:tencent']));
    const kyHeadquartered = await orgIds({ country: 'KY', countryBasis: 'HEADQUARTERS' });
    expect(kyHeadquartered).toEqual(seedIds('organizations', (o) => o.headquarters === 'KY'));
    expect(kyHeadquartered).not.toContain('org:bytedance');
  });

  it('matches either country by default', async () => {
    const either = await orgIds({ country: 'KY' });
    expect(either).toEqual(
      seedIds('organizations', (o) => o.headquarters === 'KY' || o.incorporation === 'KY'),
    );
    expect(either).toEqual(expect.arrayContaining(['org:alibaba', 'org:bytedance', 'org:tencent']));
    expect(await orgIds({ country: 'SG' })).toEqual(
      seedIds('organizations', (o) => o.headquarters === 'SG' || o.incorporation === 'SG'),
    );
  });

  it('filters by type', async () => {
    const { organizations } = await ok(ORGS, { filter: { types: ['AI_LAB', 'NONPROFIT'] } });
    const labs = seedIds('organizations', (o) => ['AI_LAB', 'NONPROFIT'].includes(o.type));
    expect(ids(organizations.nodes)).toEqual(labs);
    expect(labs).toEqual(
      expect.arrayContaining([
        'org:anthropic',
        'org:deepseek',
        'org:minimax',
        'org:moonshot-ai',
        'org:openai',
        'org:openai-foundation',
        'org:zhipu-ai',
      ]),
    );
    expect(organizations.totalCount).toBe(labs.length);
  });

  it('filters by a case-insensitive part of the name, combined with the other filters', async () => {
    const tiktoks = seedIds('organizations', (o) => o.name.toLowerCase().includes('tiktok'));
    const found = await orgIds({ nameContains: 'tIkToK', types: ['COMPANY'] });
    expect(found).toEqual(seedIds('organizations', (o) => tiktoks.includes(o.id) && o.type === 'COMPANY'));
    expect(found).toEqual(expect.arrayContaining(['org:tiktok-ltd', 'org:tiktok-pte-ltd']));
    // The type filter leaves out TikTok organizations of another type (the USDS joint venture, …).
    expect(found.length).toBeLessThan(tiktoks.length);
  });

  it('refuses a country that is not an upper-case ISO alpha-2 code, naming filter.country', async () => {
    const error = await badInput(ORGS, { filter: { country: 'China' } });
    expect(error.message).toBe(
      'Argument "filter.country" must be an ISO alpha-2 code such as "CN", got "China".',
    );
  });

  it('lists persons with pagination', async () => {
    const persons = seedIds('persons');
    const data = await ok('{ persons(first: 2) { nodes { id } pageInfo { hasNextPage } totalCount } }');
    expect(data.persons).toEqual({
      nodes: persons.slice(0, 2).map((id) => ({ id })),
      pageInfo: { hasNextPage: persons.length > 2 },
      totalCount: persons.length,
    });
    expect(persons.length).toBeGreaterThan(2);
  });
});

describe('Lists: model filters', () => {
  const MODELS = `query Models($filter: ModelFilter) {
    models(filter: $filter, first: 100) { nodes { id developer { id } openWeights architecture releaseDate family } totalCount }
  }`;
  const models = async (filter: Record<string, unknown>) => (await ok(MODELS, { filter })).models;

  it('filters by open weights', async () => {
    const open = await models({ openWeights: true });
    const closed = await models({ openWeights: false });
    expect(open.nodes.every((m: any) => m.openWeights)).toBe(true);
    expect(closed.nodes.every((m: any) => !m.openWeights)).toBe(true);
    expect(open.totalCount + closed.totalCount).toBe(seedIds('models').length);
    expect(ids(closed.nodes)).toContain('model:claude-opus-4.7');
  });

  it('filters by developer and by family', async () => {
    const deepseek = await models({ developer: 'org:deepseek' });
    expect(deepseek.totalCount).toBe(seedIds('models', (m) => m.developer === 'org:deepseek').length);
    expect(deepseek.nodes.every((m: any) => m.developer.id === 'org:deepseek')).toBe(true);
    const kimi = ids((await models({ family: 'Kimi', developer: 'org:moonshot-ai' })).nodes);
    expect(kimi).toEqual(seedIds('models', (m) => m.family === 'Kimi' && m.developer === 'org:moonshot-ai'));
    expect(kimi).toEqual(expect.arrayContaining(['model:kimi-k2', 'model:kimi-k2-thinking']));
  });

  it('filters mixture-of-experts models', async () => {
    const moe = await models({ architecture: 'MIXTURE_OF_EXPERTS', developer: 'org:alibaba-cloud' });
    expect(ids(moe.nodes)).toEqual(
      seedIds(
        'models',
        (m) => m.architecture === 'MIXTURE_OF_EXPERTS' && m.developer === 'org:alibaba-cloud',
      ),
    );
    expect(ids(moe.nodes)).toEqual(expect.arrayContaining(['model:qwen3-235b-a22b', 'model:qwen3-30b-a3b']));
  });

  it('filters by release dates, both ends included', async () => {
    const january = await models({ releasedFrom: '2025-01-01', releasedTo: '2025-01-20' });
    expect(ids(january.nodes).sort()).toEqual(
      seedIds(
        'models',
        // A month-only release date ("2025-01", issue 9) is stored and filtered as its first day.
        (m) => {
          const released = m.releaseDate ? partialDate(m.releaseDate)!.first : null;
          return !!released && '2025-01-01' <= released && released <= '2025-01-20';
        },
      ),
    );
    expect(ids(january.nodes)).toEqual(
      expect.arrayContaining([
        'model:deepseek-r1',
        'model:deepseek-r1-distill-llama-70b',
        'model:deepseek-r1-distill-llama-8b',
        'model:deepseek-r1-distill-qwen-1.5b',
        'model:deepseek-r1-distill-qwen-14b',
        'model:deepseek-r1-distill-qwen-32b',
        'model:deepseek-r1-distill-qwen-7b',
        'model:minimax-text-01',
      ]),
    );
  });

  it('refuses a release range that ends before it starts, naming filter.releasedTo', async () => {
    const error = await badInput(MODELS, {
      filter: { releasedFrom: '2025-06-01', releasedTo: '2025-01-01' },
    });
    expect(error.message).toBe(
      'Argument "filter.releasedTo" must not be before releasedFrom (2025-06-01), got "2025-01-01".',
    );
  });
});

describe('Lists: allegation, policy and channel filters', () => {
  const ALLEGATIONS = `query A($filter: AllegationFilter) { allegations(filter: $filter, first: 100) { nodes { id } totalCount } }`;
  const allegations = async (filter: Record<string, unknown>) =>
    ids((await ok(ALLEGATIONS, { filter })).allegations.nodes);

  it('filters allegations by accuser, accused, accused or source model, status, kind and date', async () => {
    const seeded = (keep: (a: (typeof ALL)[number]) => boolean) => ALL.filter(keep).map((a) => a.id);
    const ALL = [...seedRecords('allegations')].sort((a, b) => (a.id < b.id ? -1 : 1));
    const microsoft = await allegations({ accuser: 'org:microsoft' });
    expect(microsoft).toEqual(seeded((a) => a.accusers.includes('org:microsoft')));
    expect(microsoft).toContain('alleg:openai-deepseek-distillation-2025');
    const minimax = await allegations({ accused: 'org:minimax' });
    expect(minimax).toEqual(seeded((a) => a.accused.includes('org:minimax')));
    expect(minimax).toContain('alleg:anthropic-distillation-attacks-2026');
    const naming = (model: string) =>
      seeded((a) => [...(a.accusedModels ?? []), ...(a.sourceModels ?? [])].includes(model));
    // model: matches the accused's models and the accuser's (source) models alike.
    expect(await allegations({ model: 'model:deepseek-r1' })).toEqual(naming('model:deepseek-r1'));
    expect(await allegations({ model: 'model:deepseek-r1' })).toContain(
      'alleg:openai-deepseek-distillation-2025',
    );
    expect(await allegations({ model: 'model:claude-unspecified' })).toEqual(
      naming('model:claude-unspecified'),
    );
    expect(await allegations({ model: 'model:claude-unspecified' })).toContain(
      'alleg:anthropic-distillation-attacks-2026',
    );
    const deniedOrConfirmed = await allegations({ statuses: ['DENIED', 'CONFIRMED'] });
    expect(deniedOrConfirmed).toEqual(seeded((a) => ['DENIED', 'CONFIRMED'].includes(a.status)));
    const distillations = await allegations({ statuses: ['ALLEGED'], kinds: ['DISTILLATION'] });
    expect(distillations).toEqual(seeded((a) => a.status === 'ALLEGED' && a.kind === 'DISTILLATION'));
    expect(distillations.length).toBeGreaterThanOrEqual(3);
    const evasions = await allegations({ kinds: ['EXPORT_CONTROL_EVASION'] });
    expect(evasions).toEqual(seeded((a) => a.kind === 'EXPORT_CONTROL_EVASION'));
    expect(evasions).not.toContain('alleg:openai-deepseek-distillation-2025');
    const february = await allegations({ from: '2026-02-12', to: '2026-02-22' });
    expect(february).toEqual(seeded((a) => '2026-02-12' <= a.date && a.date <= '2026-02-22'));
    expect(february).toContain('alleg:openai-deepseek-congress-memo-2026');
  });

  it('refuses an allegation date range that ends before it starts, naming filter.to', async () => {
    const error = await badInput(ALLEGATIONS, { filter: { from: '2026-01-01', to: '2025-01-01' } });
    expect(error.extensions?.argument).toBe('filter.to');
  });

  const POLICIES = `query P($filter: PolicyFilter) { policies(filter: $filter, first: 100) { nodes { id } totalCount } }`;
  const policies = async (filter: Record<string, unknown>) => (await ok(POLICIES, { filter })).policies;

  it('keeps the policies in force on a day, leaving out suspended, rescinded and not yet effective ones', async () => {
    const onDay = await policies({ inForceOn: '2026-01-01' });
    const inForce = ids(onDay.nodes);
    expect(inForce).toContain('policy:anthropic-unsupported-regions-2025');
    expect(inForce).not.toContain('policy:bis-affiliates-rule'); // suspended 2025-11-10 through 2026-11-09
    expect(inForce).not.toContain('policy:ai-diffusion-rule'); // rescinded 2025-05-13
    expect(inForce).not.toContain('policy:commerce-claude-foreign-access-directive-2026'); // from 2026-06-12
    expect(onDay.totalCount).toBe(inForce.length);
  });

  it.each([
    { day: '2025-10-01', id: 'policy:bis-affiliates-rule', inForce: true, why: 'before its suspension' },
    {
      day: '2025-11-10',
      id: 'policy:bis-affiliates-rule',
      inForce: false,
      why: 'on the first day of its suspension',
    },
    {
      day: '2026-11-09',
      id: 'policy:bis-affiliates-rule',
      inForce: false,
      why: 'on the last day of its suspension',
    },
    {
      day: '2026-11-10',
      id: 'policy:bis-affiliates-rule',
      inForce: true,
      why: 'the day after its suspension',
    },
    {
      day: '2025-05-12',
      id: 'policy:ai-diffusion-rule',
      inForce: true,
      why: 'the day before it was rescinded',
    },
    { day: '2025-05-13', id: 'policy:ai-diffusion-rule', inForce: false, why: 'on the day it was rescinded' },
    {
      day: '2026-07-01',
      id: 'policy:commerce-claude-foreign-access-directive-2026',
      inForce: true,
      why: 'on its last day',
    },
    {
      day: '2026-07-02',
      id: 'policy:commerce-claude-foreign-access-directive-2026',
      inForce: false,
      why: 'after its last day',
    },
    {
      day: '2025-09-04',
      id: 'policy:anthropic-unsupported-regions-2025',
      inForce: false,
      why: 'announced but not yet effective',
    },
  ])('counts $id in force on $day: $inForce ($why)', async ({ day, id, inForce }) => {
    expect(ids((await policies({ inForceOn: day })).nodes).includes(id)).toBe(inForce);
  });

  it('filters policies by kind and issuer', async () => {
    const ownershipRules = ids((await policies({ kinds: ['OWNERSHIP_RULE'] })).nodes);
    expect(ownershipRules).toEqual(seedIds('policies', (p) => p.kind === 'OWNERSHIP_RULE'));
    expect(ownershipRules).toEqual(
      expect.arrayContaining(['policy:bis-affiliates-rule', 'policy:ofac-50-percent-rule']),
    );
    const ofac = ids((await policies({ issuer: 'org:us-treasury-ofac' })).nodes);
    expect(ofac).toEqual(seedIds('policies', (p) => p.issuer === 'org:us-treasury-ofac'));
    expect(ofac).toEqual(expect.arrayContaining(['policy:ofac-50-percent-rule', 'policy:ofac-ns-cmic-list']));
  });

  it('filters channels by kind and operator', async () => {
    const CHANNELS = `query C($filter: ChannelFilter) { channels(filter: $filter, first: 100) { nodes { id } totalCount } }`;
    const clouds = (await ok(CHANNELS, { filter: { kinds: ['CLOUD_MARKETPLACE'] } })).channels;
    expect(ids(clouds.nodes)).toEqual(seedIds('channels', (c) => c.kind === 'CLOUD_MARKETPLACE'));
    expect(ids(clouds.nodes)).toEqual(
      expect.arrayContaining([
        'channel:amazon-bedrock',
        'channel:google-vertex-ai',
        'channel:microsoft-foundry',
      ]),
    );
    expect(clouds.totalCount).toBe(seedIds('channels', (c) => c.kind === 'CLOUD_MARKETPLACE').length);
    const microsoft = (await ok(CHANNELS, { filter: { operator: 'org:microsoft', kinds: ['CONSUMER_APP'] } }))
      .channels;
    expect(ids(microsoft.nodes)).toEqual(
      seedIds('channels', (c) => c.operator === 'org:microsoft' && c.kind === 'CONSUMER_APP'),
    );
    expect(ids(microsoft.nodes)).toContain('channel:microsoft-365-copilot');
  });
});

describe('Full-text search over names and aliases', () => {
  const SEARCH = `query S($text: String!, $types: [SearchType!], $first: Int) {
    search(text: $text, types: $types, first: $first) { score matched node { __typename id } }
  }`;
  const search = async (text: string, types?: string[]) =>
    (await ok(SEARCH, { text, types })).search as any[];

  it('finds ByteDance first for "bytedance", with a score and the name that matched', async () => {
    const hits = await search('bytedance');
    expect(hits[0]).toMatchObject({
      node: { __typename: 'Organization', id: 'org:bytedance' },
      matched: 'ByteDance Ltd.',
    });
    expect(hits[0].score).toBeGreaterThan(0);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('matches an alias and reports the alias as the name that matched', async () => {
    const [hit] = await search('AWS');
    expect(hit).toMatchObject({ node: { id: 'org:amazon' }, matched: 'AWS' });
    const [chinese] = await search('字节跳动');
    expect(chinese).toMatchObject({ node: { id: 'org:bytedance' }, matched: '字节跳动有限公司' });
  });

  it('finds a misspelt name with the fuzzy operator, and only with it', async () => {
    expect((await search('bytedanse~'))[0]?.node.id).toBe('org:bytedance');
    expect((await search('bytedanse')).map((h) => h.node.id)).not.toContain('org:bytedance');
  });

  it.each([
    'Procter AND',
    'NOT',
    'a OR b',
    '~',
    'bytedance~~',
    'bytedance~5',
    'foo bar~ ~baz',
    '(unbalanced',
    '"quote',
    'C++',
    'a && b || !c',
    'x:y/z\\',
    '*?',
    '[1 TO 2]',
    '^2',
  ])('treats Lucene syntax in %j as text instead of failing', async (text) => {
    await expect(search(text)).resolves.toEqual(expect.any(Array));
  });

  it('still matches the words around special characters', async () => {
    expect((await search('TikTok (Singapore) Pte.'))[0]?.node.id).toBe('org:tiktok-pte-ltd');
    expect((await search('NOT bytedance'))[0]?.node.id).toBe('org:bytedance');
  });

  it('restricts hits to the types asked for', async () => {
    const models = await search('deepseek', ['MODEL']);
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((h) => h.node.__typename === 'AIModel')).toBe(true);
    const countries = await search('China', ['COUNTRY', 'CHANNEL']);
    expect(countries.map((h) => h.node.id)).toEqual(['country:CN']);
  });

  it('limits hits to first, and refuses empty text and an out-of-range first', async () => {
    expect((await ok(SEARCH, { text: 'claude', first: 2 })).search).toHaveLength(2);
    expect((await badInput(SEARCH, { text: '  ' })).extensions?.argument).toBe('text');
    expect((await badInput(SEARCH, { text: 'claude', first: 0 })).extensions?.argument).toBe('first');
  });
});

describe('Typed lookups', () => {
  it('answers null when the id names a record of another type', async () => {
    const data = await ok(`{
      organization(id: "model:deepseek-r1") { id } model(id: "org:bytedance") { id } person(id: "org:bytedance") { id }
      policy(id: "channel:amazon-bedrock") { id } channel(id: "policy:bis-entity-list") { id }
      allegation(id: "deriv:deepseek-r1-from-deepseek-v3") { id } source(id: "country:CN") { id }
    }`);
    expect(Object.values(data)).toEqual([null, null, null, null, null, null, null]);
  });

  it('answers null for an unknown id', async () => {
    const data = await ok(
      '{ organization(id: "org:unknown") { id } node(id: "nothing") { id } country(code: "XX") { id } }',
    );
    expect(data).toEqual({ organization: null, node: null, country: null });
  });

  it('finds a country by code, in either case, or by id', async () => {
    const data = await ok(
      '{ a: country(code: "CN") { id name } b: country(code: "cn") { id } c: country(code: "country:CN") { id } }',
    );
    expect(data).toEqual({
      a: { id: 'country:CN', name: 'China' },
      b: { id: 'country:CN' },
      c: { id: 'country:CN' },
    });
  });
});

describe('Bad input', () => {
  it('refuses a malformed Date variable with an error that names the format', async () => {
    const { errors, data } = await execute(
      'query O($asOf: Date) { organization(id: "org:tencent") { owners(asOf: $asOf) { id } } }',
      {
        asOf: '2025-13-01',
      },
    );
    expect(data).toBeUndefined();
    expect(errors?.[0]?.message).toMatch(
      /^Variable "\$asOf" got invalid value "2025-13-01"; Date must be a calendar day written YYYY-MM-DD/,
    );
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a day that does not exist, written in the query', async () => {
    const { errors } = await execute('{ policies(filter: { inForceOn: "2025-02-30" }) { totalCount } }');
    expect(errors?.[0]?.message).toMatch(/Date must be a calendar day written YYYY-MM-DD, got "2025-02-30"/);
  });
});
