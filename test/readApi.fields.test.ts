import { inForce, seedIds, seedRecords } from './support/seedFacts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type IntrospectionQuery,
  type SelectionSetNode,
} from 'graphql';
import { PROJECT_ROOT } from '../src/config';
import { README_QUERIES } from './readmeQueries';
import { useSeededApp } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * Every object type and field of the read API resolves on the curated seed, and returns data somewhere in it.
 * The last tests introspect the running server and fail when a field of the read API's SDL files is selected by
 * none of these queries, so a field added later without a test is caught.
 */

/** The SDL files of the read API; other files (exposure, …) are covered by their own tests. */
const READ_API_SDL = [
  'common.graphql',
  'models.graphql',
  'parties.graphql',
  'policies.graphql',
  'query.graphql',
];

/*
 * These queries select every field of every record in pages of 100, far over the default MAX_QUERY_COST: this
 * file tests what the fields answer, so its app gets a cost limit that lets them through (the limits have their
 * own tests in src/limits/ and test/httpAbuse.test.ts).
 */
const { execute } = useSeededApp({ MAX_QUERY_COST: 100_000_000 });

const SOURCE = 'sources { id url publisher title date note }';
const SHARE = 'exact minimum maximum exclusiveMinimum exclusiveMaximum known display';
const CONNECTION = 'edges { cursor node { id } } nodes { id } pageInfo { hasNextPage endCursor } totalCount';
const OWNERSHIP = `id owner { id name } owned { id } share { ${SHARE} } votingShare { ${SHARE} } economicShare { ${SHARE} }
  startDate endDate
  startDatePrecision endDatePrecision confidence note ${SOURCE}`;
const CONTROL = `id controller { id } controlled { id } basis description startDate endDate
  startDatePrecision endDatePrecision confidence ${SOURCE}`;
const DESIGNATION = `id policy { id } entity { id } listName startDate endDate
  startDatePrecision endDatePrecision note ${SOURCE}`;
const DERIVATION = `id child { id } parent { id } method basis allegation { id } startDate endDate
  startDatePrecision endDatePrecision note ${SOURCE}`;
const OFFERING = `id channel { id } model { id } startDate endDate
  startDatePrecision endDatePrecision startIsLowerBound confirmedOn note ${SOURCE}`;

/** The audit fields of every stored record (issue 12); `history` reads once per record, so asked of a few. */
const RECORDED = 'version recordedAt changeSetId history { version recordedAt }';

/** One query per list of the API, each selecting every field of its type over the whole seed. */
const FIELD_QUERIES: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  recorded: {
    query: `{
      country(code: "CN") { ${RECORDED} }
      organization(id: "org:beijing-bytedance-technology") {
        ${RECORDED} owners { ${RECORDED} } controllers { ${RECORDED} } sources { ${RECORDED} }
      }
      person(id: "person:zhang-yiming") { ${RECORDED} }
      model(id: "model:deepseek-r1") { ${RECORDED} derivedFrom { ${RECORDED} } }
      allegation(id: "alleg:openai-deepseek-distillation-2025") { ${RECORDED} }
      channel(id: "channel:anthropic-api") { ${RECORDED} offerings { ${RECORDED} } }
      policy(id: "policy:anthropic-unsupported-regions-2025") { ${RECORDED} }
      zhipu: organization(id: "org:zhipu-ai") { designations { ${RECORDED} } }
    }`,
  },
  countries: {
    query: `query Countries($after: String) {
      countries {
        id code name aliases ${SOURCE}
        headquarteredHere(first: 3, after: $after) { ${CONNECTION} }
        incorporatedHere(first: 3, after: $after) { ${CONNECTION} }
      }
    }`,
    // A page that starts after org:alibaba by id: any endCursor of these lists may be passed on.
    variables: { after: Buffer.from('id:org:alibaba', 'utf8').toString('base64url') },
  },
  organizations: {
    query: `query Organizations($asOf: Date, $after: String) {
      organizations(first: 100, after: $after) {
        ${CONNECTION}
        nodes {
          id name aliases type headquarters { code } incorporation { code } founded foundedPrecision website description ${SOURCE}
          owners { ${OWNERSHIP} } ownersAsOf: owners(asOf: $asOf) { id }
          holdings { id owned { id } } holdingsAsOf: holdings(asOf: $asOf) { id }
          controllers { ${CONTROL} } controllersAsOf: controllers(asOf: $asOf) { id }
          controls { id } controlsAsOf: controls(asOf: $asOf) { id }
          models { id } channels { id } policiesIssued { id }
          allegationsMade { id } allegationsAgainst { id }
          designations { ${DESIGNATION} } designationsAsOf: designations(asOf: $asOf) { id }
        }
      }
    }`,
    variables: { asOf: '2026-03-01' },
  },
  persons: {
    query: `query Persons($asOf: Date, $after: String) {
      persons(first: 100, after: $after) {
        ${CONNECTION}
        nodes {
          id name aliases nationality { code } residence { code } description ${SOURCE}
          holdings { id } holdingsAsOf: holdings(asOf: $asOf) { id }
          controls { id } controlsAsOf: controls(asOf: $asOf) { id }
          allegationsMade { id } allegationsAgainst { id }
          designations { id } designationsAsOf: designations(asOf: $asOf) { id }
        }
      }
    }`,
    variables: { asOf: '2026-03-01' },
  },
  models: {
    query: `query Models($asOf: Date, $after: String) {
      models(first: 100, after: $after) {
        ${CONNECTION}
        nodes {
          id name aliases family developer { id } releaseDate releaseDatePrecision openWeights licence totalParametersB activeParametersB
          architecture modalities description ${SOURCE}
          derivedFrom { ${DERIVATION} } derivatives { id }
          offerings { ${OFFERING} } offeringsAsOf: offerings(asOf: $asOf) { id }
          allegations { id }
        }
      }
    }`,
    variables: { asOf: '2026-03-01' },
  },
  allegations: {
    query: `query Allegations($after: String) {
      allegations(first: 100, after: $after) {
        ${CONNECTION}
        nodes {
          id title kind status date summary response note ${SOURCE}
          accusers { id } accused { id } accusedModels { id } sourceModels { id } derivations { id }
        }
      }
    }`,
  },
  channels: {
    query: `query Channels($asOf: Date, $after: String) {
      channels(first: 100, after: $after) {
        ${CONNECTION}
        nodes {
          id name aliases kind operator { id } url description ${SOURCE}
          offerings { id } offeringsAsOf: offerings(asOf: $asOf) { id }
          policiesReaching { id }
        }
      }
    }`,
    variables: { asOf: '2026-03-01' },
  },
  policies: {
    query: `query Policies($asOf: Date, $after: String) {
      policies(first: 100, after: $after) {
        ${CONNECTION}
        nodes {
          id name aliases kind issuer { id } summary announcedDate effectiveFrom effectiveUntil rescindedOn statusNote ${SOURCE}
          suspensions { from until note ${SOURCE} }
          targets { code }
          ownershipRule {
            threshold thresholdInclusive countryBasis includesIndirect aggregation controlCounts controlBases description
          }
          coversModelsOf { id } coversModels { id } reachesChannels { id } reachesChannelKinds
          channelsUnsettled { channel { id } note ${SOURCE} }
          designations { id } designationsAsOf: designations(asOf: $asOf) { id }
        }
      }
    }`,
    variables: { asOf: '2020-01-01' },
  },
  lookups: {
    query: `{
      node(id: "org:bytedance") { id ... on Organization { name } }
      nodes(ids: ["model:deepseek-r1", "nope:unknown", "src:anthropic-unsupported-regions-2025"]) {
        id
        ... on AIModel { name }
        ... on Source { url }
      }
      organization(id: "org:bytedance") { id }
      person(id: "person:zhang-yiming") { id }
      country(code: "CN") { id }
      model(id: "model:deepseek-r1") { id }
      allegation(id: "alleg:openai-deepseek-distillation-2025") { id }
      channel(id: "channel:amazon-bedrock") { id }
      policy(id: "policy:anthropic-unsupported-regions-2025") { id }
      source(id: "src:anthropic-unsupported-regions-2025") { id url publisher title date note }
      search(text: "bytedance", types: [ORGANIZATION], first: 3) {
        score matched
        node {
          id
          ... on Organization { name }
          ... on Person { name }
          ... on AIModel { name }
          ... on Policy { name }
          ... on AccessChannel { name }
          ... on Country { name }
        }
      }
    }`,
  },
};

/** The queries above that read a whole list: they page through it, so every record of the seed is read. */
const PAGED_LISTS = new Set(['organizations', 'persons', 'models', 'allegations', 'channels', 'policies']);

const organizationIds = new Set(seedIds('organizations'));
const personIds = new Set(seedIds('persons'));
const isPerson = (id: string) => personIds.has(id) && !organizationIds.has(id);

/**
 * Fields the curated seed may leave empty, each with what in the seed's files would fill it: the fields
 * expected empty are those the seed does not fill today, derived, so curating the seed (adding a website, a
 * designation of a person) moves a field out of this list by itself, and a resolver that stops answering a
 * field the seed fills shows up. Every other field must come back with data somewhere.
 */
const SEED_GAPS: Record<string, () => boolean> = {
  'AccessChannel.url': () => seedRecords('channels').some((c) => c.url),
  'Control.endDate': () => seedRecords('controls').some((c) => c.endDate),
  'Control.startDatePrecision': () => seedRecords('controls').some((c) => c.startDate),
  'Control.endDatePrecision': () => seedRecords('controls').some((c) => c.endDate),
  'Derivation.startDatePrecision': () => seedRecords('derivations').some((d) => d.startDate),
  'Derivation.endDatePrecision': () => seedRecords('derivations').some((d) => d.endDate),
  'Designation.endDatePrecision': () => seedRecords('designations').some((d) => d.endDate),
  'Offering.confirmedOn': () => seedRecords('offerings').some((o) => o.confirmedOn),
  'Policy.channelsUnsettled': () => seedRecords('policies').some((p) => p.covers?.channelsUnsettled?.length),
  'Derivation.endDate': () => seedRecords('derivations').some((d) => d.endDate),
  'Designation.endDate': () => seedRecords('designations').some((d) => d.endDate),
  'Organization.website': () => seedRecords('organizations').some((o) => o.website),
  'Ownership.economicShare': () => seedRecords('ownerships').some((o) => o.economicShare),
  'OwnershipRule.controlBases': () =>
    seedRecords('policies').some((p) => p.ownershipRule?.controlBases?.length),
  'Person.allegationsAgainst': () => seedRecords('allegations').some((a) => a.accused.some(isPerson)),
  'Person.allegationsMade': () => seedRecords('allegations').some((a) => a.accusers.some(isPerson)),
  'Person.designations': () => seedRecords('designations').some((d) => isPerson(d.entity)),
  'Person.residence': () => seedRecords('persons').some((p) => p.residence),
  'Policy.reachesChannelKinds': () => seedRecords('policies').some((p) => p.covers?.channelKinds?.length),
};
const EXPECTED_EMPTY = Object.entries(SEED_GAPS)
  .filter(([, seedFills]) => !seedFills())
  .map(([field]) => field)
  .sort();

const answers = new Map<string, Promise<Array<{ data: any; errors: unknown }>>>();

/**
 * The answers to one of FIELD_QUERIES (every page of it, for a list), run once and shared by the tests that
 * read them, so no test depends on another having run first.
 */
function answersTo(name: string): Promise<Array<{ data: any; errors: unknown }>> {
  if (!answers.has(name)) {
    const run = async () => {
      const { query, variables } = FIELD_QUERIES[name]!;
      const text = print(withTypenames(parse(query)));
      const pages: Array<{ data: any; errors: unknown }> = [];
      let after: string | null = null;
      do {
        const { data, errors } = await execute(text, after ? { ...variables, after } : variables);
        pages.push({ data, errors });
        const pageInfo = PAGED_LISTS.has(name) ? data?.[name]?.pageInfo : undefined;
        after = pageInfo?.hasNextPage && !errors ? pageInfo.endCursor : null;
      } while (after);
      return pages;
    };
    answers.set(name, run());
  }
  return answers.get(name)!;
}

/** Adds `__typename` to every selection set, as Apollo Client does, so answers say which type each object is. */
function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      leave(node: SelectionSetNode) {
        const has = node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
        return has
          ? node
          : {
              ...node,
              selections: [
                ...node.selections,
                { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } },
              ],
            };
      },
    },
  });
}

/** Walks an answer beside its query and records `Type.field` for every field that came back with a value. */
function recordFilledFields(document: DocumentNode, data: any, filled: Set<string>): void {
  const fragments = new Map(
    document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const walk = (selectionSet: SelectionSetNode, value: any) => {
    if (Array.isArray(value)) return value.forEach((v) => walk(selectionSet, v));
    if (value === null || typeof value !== 'object') return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, value);
      else if (selection.kind === Kind.FRAGMENT_SPREAD)
        walk(fragments.get(selection.name.value)!.selectionSet, value);
      else {
        const child = value[selection.alias?.value ?? selection.name.value];
        const isFilled =
          child !== undefined && child !== null && !(Array.isArray(child) && child.length === 0);
        if (isFilled) filled.add(`${value.__typename}.${selection.name.value}`);
        if (selection.selectionSet) walk(selection.selectionSet, child);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION)
      walk(definition.selectionSet, { ...data, __typename: 'Query' });
  }
}

/** `Type.field` and `Type.field(argument)` declared for object types in the read API's SDL files. */
function declaredReadApiFields(): Set<string> {
  const declared = new Set<string>();
  for (const file of READ_API_SDL) {
    const document = parse(readFileSync(path.join(PROJECT_ROOT, 'schema', file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION)
        continue;
      for (const field of definition.fields ?? []) {
        declared.add(`${definition.name.value}.${field.name.value}`);
        for (const argument of field.arguments ?? [])
          declared.add(`${definition.name.value}.${field.name.value}(${argument.name.value})`);
      }
    }
  }
  return declared;
}

const ALL_DOCUMENTS = [
  ...Object.entries(FIELD_QUERIES).map(([name, { query }]) => ({ name, query })),
  ...Object.entries(README_QUERIES).map(([name, query]) => ({ name: `README ${name}`, query })),
];

describe('Read API: every type and field resolves on the curated seed', () => {
  it.each(Object.keys(FIELD_QUERIES))(
    'resolves every field of the %s query without an error',
    async (name) => {
      const pages = await answersTo(name);
      for (const { data, errors } of pages) {
        expect(errors).toBeUndefined();
        expect(Object.values(data).every((v) => v !== null)).toBe(true);
      }
      if (PAGED_LISTS.has(name))
        expect(pages.flatMap((page) => page.data[name].nodes).length).toBe(pages[0]!.data[name].totalCount);
    },
  );

  it('returns data for every field somewhere in the seed, except the fields the seed leaves empty', async () => {
    const filled = new Set<string>();
    for (const name of Object.keys(FIELD_QUERIES)) {
      const document = withTypenames(parse(FIELD_QUERIES[name]!.query));
      for (const { data } of await answersTo(name)) recordFilledFields(document, data, filled);
    }
    const declared = [...declaredReadApiFields()].filter((f) => !f.includes('(') && !f.startsWith('Query.'));
    const empty = declared.filter((f) => !filled.has(f)).sort();
    expect(empty).toEqual(EXPECTED_EMPTY);
  });
});

describe('Read API: the tests select every field of the schema', () => {
  it('selects every field and argument of every object type in the read API’s SDL, as the running server reports it', async () => {
    const { data } = await execute(getIntrospectionQuery());
    const schema = buildClientSchema(data as IntrospectionQuery);
    const selected = new Set<string>();
    for (const { query } of ALL_DOCUMENTS) {
      const typeInfo = new TypeInfo(schema);
      visit(
        parse(query),
        visitWithTypeInfo(typeInfo, {
          Field(node) {
            const parent = typeInfo.getParentType();
            if (!parent) throw new Error(`${node.name.value} is not a field of the schema`);
            selected.add(`${parent.name}.${node.name.value}`);
            for (const argument of node.arguments ?? [])
              selected.add(`${parent.name}.${node.name.value}(${argument.name.value})`);
          },
        }),
      );
    }
    const live = new Set(
      Object.values(schema.getTypeMap()).flatMap((type) =>
        'getFields' in type && !type.name.startsWith('__')
          ? Object.values(type.getFields()).flatMap((f: any) => [
              `${type.name}.${f.name}`,
              ...(f.args ?? []).map((a: any) => `${type.name}.${f.name}(${a.name})`),
            ])
          : [],
      ),
    );
    // Query's own arguments (filters, first, after) are proved one by one in readApi.lists.test.ts.
    const required = [...declaredReadApiFields()].filter((f) => !(f.startsWith('Query.') && f.includes('(')));
    expect(required.filter((f) => !live.has(f))).toEqual([]);
    expect(required.filter((f) => !selected.has(f)).sort()).toEqual([]);
  });
});

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

/** Each relationship field, asked of a record whose answer the seed fixes. */
const RELATIONSHIP_CASES: Array<{ name: string; query: string; expected: (data: any) => void }> = [
  {
    name: 'Country.headquarteredHere lists ByteDance under CN, and incorporatedHere lists it under KY but not CN',
    query: `{
      cn: country(code: "cn") { hq: headquarteredHere(first: 100) { nodes { id } } inc: incorporatedHere(first: 100) { nodes { id } } }
      ky: country(code: "country:KY") { incorporatedHere { nodes { id } totalCount } }
    }`,
    expected: (d) => {
      expect(ids(d.cn.hq.nodes)).toContain('org:bytedance');
      expect(ids(d.cn.inc.nodes)).not.toContain('org:bytedance');
      const kyIncorporated = seedIds('organizations', (o) => o.incorporation === 'KY');
      expect(ids(d.ky.incorporatedHere.nodes)).toEqual(kyIncorporated);
      expect(kyIncorporated).toEqual(expect.arrayContaining(['org:alibaba', 'org:bytedance', 'org:tencent']));
      expect(d.ky.incorporatedHere.totalCount).toBe(kyIncorporated.length);
    },
  },
  {
    name: 'Organization.owners keeps the whole history without asOf and the stake in force with it',
    query: `{ organization(id: "org:tencent") {
      owners { id } then: owners(asOf: "2022-01-01") { owner { id } share { display } startDate endDate }
    } }`,
    expected: (d) => {
      expect(ids(d.organization.owners).sort()).toEqual(
        seedIds('ownerships', (o) => o.owned === 'org:tencent'),
      );
      expect(ids(d.organization.owners)).toEqual(
        expect.arrayContaining([
          'own:naspers-tencent-2001',
          'own:prosus-tencent-2021',
          'own:prosus-tencent-2023-12',
        ]),
      );
      expect(d.organization.then).toEqual([
        {
          owner: { id: 'org:prosus' },
          share: { display: '28.9%' },
          startDate: '2021-04-08',
          endDate: '2022-06-27',
        },
      ]);
    },
  },
  {
    name: 'Organization.holdings lists what ByteDance holds, and leaves out the TikTok USDS stake before 2026-01-22',
    query: `{ organization(id: "org:bytedance") { holdings { owned { id } } before: holdings(asOf: "2025-12-31") { owned { id } } } }`,
    expected: (d) => {
      const held = seedRecords('ownerships').filter((o) => o.owner === 'org:bytedance');
      const all = d.organization.holdings.map((h: any) => h.owned.id).sort();
      expect(all).toEqual(held.map((o) => o.owned).sort());
      expect(all).toEqual(expect.arrayContaining(['org:tiktok-ltd', 'org:tiktok-usds-jv']));
      const before = d.organization.before.map((h: any) => h.owned.id).sort();
      expect(before).not.toContain('org:tiktok-usds-jv');
      expect(before).toEqual(
        held
          .filter((o) => inForce(o, '2025-12-31'))
          .map((o) => o.owned)
          .sort(),
      );
    },
  },
  {
    name: 'Organization.controllers and controls give the China Internet Investment Fund’s golden share, from 2021',
    query: `{
      target: organization(id: "org:beijing-bytedance-technology") {
        controllers { controller { id } controlled { id } basis startDate } before: controllers(asOf: "2020-06-01") { id }
      }
      fund: organization(id: "org:china-internet-investment-fund") { controls { controlled { id } basis } holdings { share { display } } }
    }`,
    expected: (d) => {
      expect(d.target.controllers).toEqual([
        {
          controller: { id: 'org:china-internet-investment-fund' },
          controlled: { id: 'org:beijing-bytedance-technology' },
          basis: 'GOLDEN_SHARE',
          startDate: '2021-01-01',
        },
      ]);
      expect(d.target.before).toEqual([]);
      expect(d.fund.controls).toEqual([
        { controlled: { id: 'org:beijing-bytedance-technology' }, basis: 'GOLDEN_SHARE' },
      ]);
      expect(d.fund.holdings).toEqual([{ share: { display: '1%' } }]);
    },
  },
  {
    name: 'Organization.models, channels and policiesIssued link developers, operators and issuers',
    query: `{
      moonshot: organization(id: "org:moonshot-ai") { models { id } }
      amazon: organization(id: "org:amazon") { channels { id } }
      bis: organization(id: "org:us-bis") { policiesIssued { id } }
    }`,
    expected: (d) => {
      expect(ids(d.moonshot.models).sort()).toEqual(
        seedIds('models', (m) => m.developer === 'org:moonshot-ai'),
      );
      expect(ids(d.moonshot.models)).toEqual(
        expect.arrayContaining(['model:kimi-k2', 'model:moonshot-unspecified']),
      );
      expect(ids(d.amazon.channels).sort()).toEqual(seedIds('channels', (c) => c.operator === 'org:amazon'));
      expect(ids(d.amazon.channels)).toContain('channel:amazon-bedrock');
      expect(ids(d.bis.policiesIssued).sort()).toEqual(seedIds('policies', (p) => p.issuer === 'org:us-bis'));
      expect(ids(d.bis.policiesIssued)).toEqual(
        expect.arrayContaining(['policy:ai-diffusion-rule', 'policy:bis-entity-list']),
      );
    },
  },
  {
    name: 'Organization.allegationsMade and allegationsAgainst link accusers and accused',
    query: `{
      anthropic: organization(id: "org:anthropic") { allegationsMade { id } allegationsAgainst { id } }
      deepseek: organization(id: "org:deepseek") { allegationsMade { id } allegationsAgainst { id } }
    }`,
    expected: (d) => {
      const made = (party: string) => seedIds('allegations', (a) => a.accusers.includes(party));
      const against = (party: string) => seedIds('allegations', (a) => a.accused.includes(party));
      expect(ids(d.anthropic.allegationsMade).sort()).toEqual(made('org:anthropic'));
      expect(ids(d.anthropic.allegationsMade)).toContain('alleg:anthropic-distillation-attacks-2026');
      expect(ids(d.anthropic.allegationsAgainst).sort()).toEqual(against('org:anthropic'));
      expect(ids(d.deepseek.allegationsMade).sort()).toEqual(made('org:deepseek'));
      expect(ids(d.deepseek.allegationsAgainst).sort()).toEqual(against('org:deepseek'));
      expect(ids(d.deepseek.allegationsAgainst)).toEqual(
        expect.arrayContaining([
          'alleg:anthropic-distillation-attacks-2026',
          'alleg:openai-deepseek-distillation-2025',
        ]),
      );
    },
  },
  {
    name: 'Organization.designations lists Huawei on the Entity List from 2019 and under the Affiliates Rule from 2025',
    query: `{ organization(id: "org:huawei") {
      designations { policy { id } entity { id } listName startDate }
      in2020: designations(asOf: "2020-01-01") { policy { id } }
      in2018: designations(asOf: "2018-01-01") { id }
    } }`,
    expected: (d) => {
      expect(d.organization.designations.map((x: any) => `${x.policy.id} ${x.startDate}`)).toEqual([
        'policy:bis-entity-list 2019-05-01',
        'policy:bis-affiliates-rule 2025-09-29',
      ]);
      expect(d.organization.designations[0]).toMatchObject({
        entity: { id: 'org:huawei' },
        listName: 'Entity List',
      });
      expect(d.organization.in2020).toEqual([{ policy: { id: 'policy:bis-entity-list' } }]);
      expect(d.organization.in2018).toEqual([]);
    },
  },
  {
    name: 'Person resolves nationality, holdings and controls through the Party fields',
    query: `{ person(id: "person:zhang-yiming") {
      name nationality { code } residence { code }
      holdings { owned { id } share { minimum maximum known display } } controls { controlled { id } basis }
    } }`,
    expected: (d) => {
      expect(d.person).toEqual({
        name: 'Zhang Yiming',
        nationality: { code: 'CN' },
        residence: null,
        holdings: [
          {
            owned: { id: 'org:bytedance' },
            share: { minimum: 20, maximum: 25, known: true, display: '20–25%' },
          },
        ],
        controls: [{ controlled: { id: 'org:bytedance' }, basis: 'OTHER' }],
      });
    },
  },
  {
    name: 'Ownership separates the equity share from the voting share (Google’s 14% of Anthropic without votes)',
    query: `{ organization(id: "org:anthropic") { owners(asOf: "2025-06-01") {
      owner { id ... on Organization { type } } share { exact known display } votingShare { exact display } economicShare { display } confidence
    } } }`,
    expected: (d) => {
      const google = d.organization.owners.find((o: any) => o.owner.id === 'org:google');
      expect(google).toEqual({
        owner: { id: 'org:google', type: 'COMPANY' },
        share: { exact: 14, known: true, display: '14%' },
        votingShare: { exact: 0, display: '0%' },
        economicShare: null,
        confidence: 'REPORTED',
      });
      const amazon = d.organization.owners.find((o: any) => o.owner.id === 'org:amazon');
      expect(amazon.share).toEqual({ exact: null, known: false, display: 'unknown' });
    },
  },
  {
    name: 'AIModel.derivedFrom and derivatives walk lineage one step up and one step down',
    query: `{
      r1: model(id: "model:deepseek-r1") { derivatives { child { id } method } }
      m1: model(id: "model:minimax-m1") { derivedFrom { child { id } parent { id } method basis } }
    }`,
    expected: (d) => {
      expect(d.r1.derivatives).toHaveLength(
        seedRecords('derivations').filter((x) => x.parent === 'model:deepseek-r1').length,
      );
      expect(
        d.r1.derivatives.every(
          (x: any) => x.method === 'DISTILLATION' && x.child.id.startsWith('model:deepseek-r1-distill-'),
        ),
      ).toBe(true);
      expect(d.m1.derivedFrom).toEqual([
        {
          child: { id: 'model:minimax-m1' },
          parent: { id: 'model:minimax-text-01' },
          method: 'OTHER',
          basis: 'DECLARED',
        },
      ]);
    },
  },
  {
    name: 'AIModel.offerings keeps the offerings in force on the day asked, and allegations names the accusation',
    query: `{ model(id: "model:deepseek-v3.2-speciale") {
      offerings { channel { id } startDate endDate } later: offerings(asOf: "2026-01-01") { id }
    }
    r1: model(id: "model:deepseek-r1") { allegations { id } } }`,
    expected: (d) => {
      expect(d.model.offerings).toEqual([
        { channel: { id: 'channel:deepseek-api' }, startDate: '2025-12-01', endDate: '2025-12-15' },
      ]);
      expect(d.model.later).toEqual([]);
      expect(ids(d.r1.allegations).sort()).toEqual(
        seedIds('allegations', (a) =>
          [...(a.accusedModels ?? []), ...(a.sourceModels ?? [])].includes('model:deepseek-r1'),
        ),
      );
      expect(ids(d.r1.allegations)).toContain('alleg:openai-deepseek-distillation-2025');
    },
  },
  {
    name: 'Allegation links accusers, accused, models and the derivations resting on it, even on unnamed models',
    query: `{
      a2025: allegation(id: "alleg:openai-deepseek-distillation-2025") {
        accusers { id } accused { id } accusedModels { id } sourceModels { id } derivations { id basis allegation { id } }
      }
      a2026: allegation(id: "alleg:anthropic-distillation-attacks-2026") { accused { id } derivations { child { id } parent { id } } }
      memo: allegation(id: "alleg:openai-deepseek-congress-memo-2026") { accusedModels { id } derivations { id } }
    }`,
    expected: (d) => {
      expect(d.a2025).toEqual({
        accusers: [{ id: 'org:openai' }, { id: 'org:microsoft' }],
        accused: [{ id: 'org:deepseek' }],
        accusedModels: [{ id: 'model:deepseek-r1' }, { id: 'model:deepseek-v3' }],
        sourceModels: [{ id: 'model:openai-unspecified' }],
        derivations: [
          {
            id: 'deriv:deepseek-r1-alleged-from-openai',
            basis: 'ALLEGED',
            allegation: { id: 'alleg:openai-deepseek-distillation-2025' },
          },
          {
            id: 'deriv:deepseek-v3-alleged-from-openai',
            basis: 'ALLEGED',
            allegation: { id: 'alleg:openai-deepseek-distillation-2025' },
          },
        ],
      });
      expect(ids(d.a2026.accused)).toEqual(['org:deepseek', 'org:moonshot-ai', 'org:minimax']);
      expect(d.a2026.derivations.map((x: any) => x.child.id).sort()).toEqual([
        'model:deepseek-unspecified',
        'model:minimax-unspecified',
        'model:moonshot-unspecified',
      ]);
      expect(d.memo).toEqual({
        accusedModels: [],
        derivations: [{ id: 'deriv:deepseek-alleged-from-openai-2026' }],
      });
    },
  },
  {
    name: 'AccessChannel links its operator, its offerings and the policies that reach it',
    query: `{ channel(id: "channel:amazon-bedrock") {
      kind operator { id } policiesReaching { id } offerings { model { id } } early: offerings(asOf: "2025-03-01") { model { id } }
    } }`,
    expected: (d) => {
      expect(d.channel).toMatchObject({ kind: 'CLOUD_MARKETPLACE', operator: { id: 'org:amazon' } });
      expect(ids(d.channel.policiesReaching)).toEqual(['policy:anthropic-unsupported-regions-2025']);
      expect(d.channel.offerings).toHaveLength(
        seedRecords('offerings').filter((o) => o.channel === 'channel:amazon-bedrock').length,
      );
      expect(d.channel.early.map((o: any) => o.model.id)).toContain('model:claude-3.7-sonnet');
      expect(d.channel.early.map((o: any) => o.model.id)).not.toContain('model:claude-opus-4.7');
    },
  },
  {
    name: 'Policy gives suspensions with sources, models covered by name, and designations on the day asked',
    query: `{
      affiliates: policy(id: "policy:bis-affiliates-rule") {
        suspensions { from until sources { url } } ownershipRule { thresholdInclusive countryBasis description }
        designations { entity { id } } before: designations(asOf: "2025-09-28") { id }
      }
      directive: policy(id: "policy:commerce-claude-foreign-access-directive-2026") { coversModels { id } effectiveUntil ownershipRule { threshold } }
      rescinded: policy(id: "policy:ai-diffusion-rule") { rescindedOn issuer { id } }
    }`,
    expected: (d) => {
      expect(d.affiliates.suspensions).toHaveLength(1);
      expect(d.affiliates.suspensions[0]).toMatchObject({ from: '2025-11-10', until: '2026-11-09' });
      expect(d.affiliates.suspensions[0].sources).toHaveLength(4);
      expect(d.affiliates.ownershipRule).toEqual({
        thresholdInclusive: true,
        countryBasis: 'EITHER',
        description: '50% or more owned, directly or indirectly, in aggregate, by designated entities',
      });
      expect(d.affiliates.designations).toHaveLength(
        seedRecords('designations').filter((x) => x.policy === 'policy:bis-affiliates-rule').length,
      );
      expect(d.affiliates.before).toEqual([]);
      expect(d.directive).toEqual({
        coversModels: [{ id: 'model:claude-fable-5' }, { id: 'model:claude-mythos-5' }],
        effectiveUntil: '2026-07-01',
        ownershipRule: null,
      });
      expect(d.rescinded).toEqual({ rescindedOn: '2025-05-13', issuer: { id: 'org:us-bis' } });
    },
  },
  {
    name: 'node and nodes return any record by id, in the order asked, with null for an unknown id',
    query: `{
      node(id: "policy:bis-entity-list") { __typename id }
      nodes(ids: ["country:KY", "nope:unknown", "person:jack-ma", "src:anthropic-unsupported-regions-2025"]) { __typename id }
    }`,
    expected: (d) => {
      expect(d.node).toEqual({ __typename: 'Policy', id: 'policy:bis-entity-list' });
      expect(d.nodes).toEqual([
        { __typename: 'Country', id: 'country:KY' },
        null,
        { __typename: 'Person', id: 'person:jack-ma' },
        { __typename: 'Source', id: 'src:anthropic-unsupported-regions-2025' },
      ]);
    },
  },
];

describe('Read API: relationship fields answer from the seed', () => {
  it.each(RELATIONSHIP_CASES)('$name', async ({ query, expected }) => {
    const { data, errors } = await execute(query);
    expect(errors).toBeUndefined();
    expected(data);
  });
});
