import { seededDatabase } from './support/database';
import { useAppsOver, type SeededApp } from './support/seededApp';
import { seedIds } from './support/seedFacts';

/**
 * A read-ahead fetches only the stored properties the request's fields read (src/graphql/selectedProperties.ts).
 * The answers must be exactly those of reading whole records, for every field the table of needs knows.
 */

const CONFIG = {
  MAX_PAGE_SIZE: 100,
  MAX_DEPTH: 25,
  GRAPHQL_INTROSPECTION: true,
  MAX_QUERY_COST: 100_000_000,
  READ_AHEAD: true,
};

const { projected, whole } = useAppsOver(seededDatabase, {
  projected: { ...CONFIG, READ_AHEAD_PROJECTION: true },
  whole: { ...CONFIG, READ_AHEAD_PROJECTION: false },
});

/** Runs an operation on one of the apps; it must answer without errors. */
async function execute(app: SeededApp, query: string, variables: Record<string, unknown> = {}) {
  const answer = await app.execute(query, variables);
  expect(answer.errors).toBeUndefined();
  return { data: answer.data, queries: answer.queries };
}

const PARTY = `id name aliases version recordedAt changeSetId sources { id title url }
  identifiers { scheme value key url }`;
const ORGANIZATION = `${PARTY} type founded foundedPrecision website description
  headquarters { code name } incorporation { code name }`;
const MODEL = `id name aliases family releaseDate releaseDatePrecision openWeights licence totalParametersB
  activeParametersB architecture modalities description developer { id name type } sources { id }`;
const STAKE = `id startDate startDatePrecision endDate endDatePrecision share { exact minimum maximum known display }
  votingShare { exact } sources { id publisher }`;

/** Every field the table of needs lists, and every stored leaf, on the records a read-ahead reaches. */
const EVERY_LEAF = /* GraphQL */ `
  query Every($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Organization {
        ${ORGANIZATION}
        owners { ${STAKE} owner { __typename ... on Organization { ${ORGANIZATION} }
          ... on Person { ${PARTY} nationality { code } residence { code } } } }
        holdings { ${STAKE} owned { ${ORGANIZATION} models { ${MODEL} } } }
        models { ${MODEL} derivedFrom { id method basis parent { ${MODEL} } } offerings { id channel {
          id name aliases kind url description operator { id name } } } }
        channels { id name kind url operator { id } offerings { id startIsLowerBound model { ${MODEL} } } }
      }
      ... on Person { ${PARTY} nationality { code name } holdings { ${STAKE} owned { ${ORGANIZATION} } } }
      ... on AIModel { ${MODEL} derivatives { id child { ${MODEL} } } }
    }
  }
`;

const ALLEGATION = `id title kind status date summary response note version recordedAt sources { id }
  accusers { __typename id name } accused { __typename id } accusedModels { id name } sourceModels { id }
  derivations { id method basis note allegation { id title } child { id } parent { id } }`;
const POLICY = `id name aliases policyKind: kind summary announcedDate effectiveFrom effectiveUntil rescindedOn statusNote version
  issuer { id name } suspensions { from until note sources { id } } targets { code name }
  ownershipRule { threshold thresholdInclusive countryBasis includesIndirect aggregation controlCounts controlBases
    description }
  coversModelsOf { id name } coversModels { id } reachesChannels { id name } reachesChannelKinds
  channelsUnsettled { channel { id name } note sources { id } }
  designations { id listName startDate startDatePrecision endDate note sources { id } entity { __typename id } }
  sources { id title }`;

/** Policies and allegations, reached as roots and along relationships, and designations of parties. */
const POLICIES_AND_ALLEGATIONS = /* GraphQL */ `
  query Policies($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Organization { name policiesIssued { ${POLICY} } allegationsMade { ${ALLEGATION} }
        designations { id listName startDatePrecision note policy { id name } } }
      ... on Person { name designations { id listName policy { id } } }
      ... on AIModel { name allegations { ${ALLEGATION} } derivedFrom { id allegation { ${ALLEGATION} } } }
      ... on Policy { ${POLICY} }
      ... on Allegation { ${ALLEGATION} }
    }
  }
`;

describe('A read-ahead of the selected properties', () => {
  const ids = [...seedIds('organizations'), ...seedIds('persons'), ...seedIds('models')];

  it('answers exactly what reading whole records answers, for every listed and stored field', async () => {
    for (let i = 0; i < ids.length; i += 100) {
      const group = ids.slice(i, i + 100);
      const on = await execute(projected, EVERY_LEAF, { ids: group });
      const off = await execute(whole, EVERY_LEAF, { ids: group });
      expect(on.data).toEqual(off.data);
      expect(on.queries).toHaveLength(off.queries.length);
      // The projection applied: the tree read names properties instead of reading whole records.
      expect(on.queries.find((q) => q.includes('CALL'))).not.toContain('n {.*');
      expect(on.queries.find((q) => q.includes('CALL'))).not.toContain('r {.*');
    }
  });

  it('answers policies, allegations and designations exactly as reading whole records does', async () => {
    const ids = [
      ...seedIds('organizations'),
      ...seedIds('persons'),
      ...seedIds('models'),
      ...seedIds('policies'),
      ...seedIds('allegations'),
    ];
    let designations = 0;
    for (let i = 0; i < ids.length; i += 100) {
      const group = ids.slice(i, i + 100);
      const on = await execute(projected, POLICIES_AND_ALLEGATIONS, { ids: group });
      const off = await execute(whole, POLICIES_AND_ALLEGATIONS, { ids: group });
      expect(on.data).toEqual(off.data);
      const tree = on.queries.find((q) => q.includes('CALL'));
      expect(tree).toBeDefined();
      expect(tree).not.toContain('n {.*');
      expect(tree).not.toContain('r {.*');
      expect(off.queries.find((q) => q.includes('CALL'))).toContain('n {.*');
      designations += JSON.stringify(on.data).split('"listName"').length - 1;
    }
    // The seed's policies, allegations and designations were all among the answers compared.
    expect(designations).toBeGreaterThan(seedIds('designations').length);
  });

  it("projects a selection on the Node interface, as a search hit's `node { id }`", async () => {
    const query = `query ($text: String!) { search(text: $text, first: 20) { score node { __typename id } } }`;
    for (const text of ['Alibaba', 'Entity List', 'distillation']) {
      const on = await execute(projected, query, { text });
      const off = await execute(whole, query, { text });
      expect(on.data).toEqual(off.data);
      expect(on.queries[0]).not.toContain('n {.*');
      expect(off.queries[0]).toContain('n {.*');
    }
  });

  it('asks the database for the selected properties only', async () => {
    const id = seedIds('organizations')[0]!;
    const { queries } = await execute(
      projected,
      `query ($id: ID!) { organization(id: $id) { id name owners { id owner { __typename id name } } } }`,
      { id },
    );
    const tree = queries.find((q) => q.includes('CALL'));
    expect(tree).toBeDefined();
    expect(tree).toContain("[[l IN labels(n) WHERE l <> 'Record'][0], n.`id`, n.`name`]");
    expect(tree).not.toContain('n {.*');
  });

  it('filters the relationships it projected by asOf as it filters whole ones', async () => {
    const ids = seedIds('organizations').slice(0, 100);
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { id
      now: owners(asOf: "2025-06-01") { id share { exact } }
      then: owners(asOf: "2012-01-01") { id owner { id } }
      holdings { id } } } }`;
    const on = await execute(projected, query, { ids });
    const off = await execute(whole, query, { ids });
    expect(on.data).toEqual(off.data);
    expect(on.queries.find((q) => q.includes('CALL'))).not.toContain('r {.*');
    // The dates decide something here: some organization's owners differ between the two days.
    type Owners = { now: unknown[]; then: unknown[] };
    const nodes = (on.data as { nodes: Owners[] }).nodes;
    expect(nodes.some((o) => o.now.length !== o.then.length)).toBe(true);
  });

  it('answers a search as reading whole hits does, reading the selected properties only', async () => {
    const query = `query ($text: String!) { search(text: $text, first: 20) { score matched
      node { __typename ... on Organization { id name website } ... on Person { id nationality { code } } } } }`;
    for (const text of ['Alibaba', 'Tencent Holdings', 'SoftBank', 'Alibabba~']) {
      const on = await execute(projected, query, { text });
      const off = await execute(whole, query, { text });
      expect(on.data).toEqual(off.data);
      expect((on.data as { search: unknown[] }).search.length).toBeGreaterThan(0);
      expect(on.queries[0]).not.toContain('n {.*');
      expect(off.queries[0]).toContain('n {.*');
    }
  });

  it('reads whole records when another root field of the request reasons over them', async () => {
    const id = seedIds('organizations')[0]!;
    const { queries } = await execute(
      projected,
      `query ($id: ID!) { organization(id: $id) { id name owners { id } } countries { code } }`,
      { id },
    );
    expect(queries.find((q) => q.includes('CALL'))).toContain('n {.*');
  });
});
