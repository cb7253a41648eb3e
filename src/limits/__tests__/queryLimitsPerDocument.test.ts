import { makeExecutableSchema } from '@graphql-tools/schema';
import { isObjectType, isInterfaceType, parse, type GraphQLField, type GraphQLObjectType } from 'graphql';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { loadConfig } from '../../config';
import { loadTypeDefs } from '../../graphql/schema';
import * as fieldCost from '../fieldCost';
import { fieldCostEstimator, PRICED_ARGUMENTS } from '../fieldCost';
import { checkQueryDocument, costDependsOnVariables, type QueryLimits } from '../queryLimits';

const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
const defaults: QueryLimits = loadConfig({});

/** One parsed document checked for several requests, as Apollo's document store hands it to every request. */
function requests(query: string, limits = defaults) {
  const document = parse(query);
  return (variables: Record<string, unknown> = {}, operationName?: string) =>
    checkQueryDocument(schema, document, { variables, operationName }, limits);
}

/** The cost a fresh parse of the same text measures: what every request paid before costs were kept. */
function freshCost(query: string, variables: Record<string, unknown>, operationName?: string) {
  const check = checkQueryDocument(schema, parse(query), { variables, operationName }, defaults);
  return check.ok ? check.measured.cost : null;
}

describe('Query limits: what does not change between requests of one document is measured once', () => {
  it('reads no argument of any field besides PRICED_ARGUMENTS', () => {
    const read = new Set<string>();
    const args = new Proxy<Record<string, unknown>>(
      {},
      {
        get(_target, name) {
          if (typeof name === 'string') read.add(name);
          return undefined;
        },
      },
    );
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        fieldCostEstimator({
          type: type as GraphQLObjectType,
          field: field as GraphQLField<unknown, unknown>,
          args,
          childComplexity: 1,
        } as ComplexityEstimatorArgs);
      }
    }
    expect([...read].filter((name) => !PRICED_ARGUMENTS.has(name))).toEqual([]);
  });

  it.each([
    ['an id', 'query($id: ID!) { organization(id: $id) { id owners { id } } }', false],
    ['a search text', 'query($t: String!) { search(text: $t, first: 10) { score } }', false],
    ['a page size', 'query($n: Int) { organizations(first: $n) { nodes { id } } }', true],
    ['a list of ids', 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', true],
    [
      'a customer list',
      'query($c: [String!]) { screen(customers: { names: $c }, policies: []) { asOf } }',
      true,
    ],
    ['an @include', 'query($x: Boolean!) { countries { code @include(if: $x) } }', true],
    ['nothing', '{ organizations(first: 5) { nodes { id } } }', false],
  ])('knows whether the cost depends on variables when they give %s', (_name, query, depends) => {
    expect(costDependsOnVariables(parse(query))).toBe(depends);
  });

  it('keeps the cost of a document whose variables are not priced: every request gets what a fresh parse gives', () => {
    const query =
      'query One($id: ID!) { organization(id: $id) { id owners { id owner { __typename id } } } }';
    const check = requests(query);
    for (const id of ['org:a', 'org:b', 'org:c']) {
      expect(check({ id }, 'One')).toEqual({
        ok: true,
        measured: expect.objectContaining({ cost: freshCost(query, { id }, 'One') }),
        document: expect.anything(),
      });
    }
  });

  it('prices such a document once, and a priced one on every request', () => {
    // The estimator is called for each field of each walk: its calls per request are the walks made.
    const estimates = jest.spyOn(fieldCost, 'fieldCostEstimator');
    try {
      const unpriced = requests('query($id: ID!) { organization(id: $id) { id holdings { id } } }');
      const priced = requests('query($ids: [ID!]!) { nodes(ids: $ids) { id } }');
      const callsPerRequest = (
        check: ReturnType<typeof requests>,
        variables: Array<Record<string, unknown>>,
      ) =>
        variables.map((v) => {
          const before = estimates.mock.calls.length;
          check(v);
          return estimates.mock.calls.length - before;
        });
      const ids = ['org:a', 'org:b', 'org:c'];
      const unpricedCalls = callsPerRequest(
        unpriced,
        ids.map((id) => ({ id })),
      );
      expect(unpricedCalls[0]).toBeGreaterThan(0);
      expect(unpricedCalls.slice(1)).toEqual([0, 0]);
      expect(
        callsPerRequest(
          priced,
          ids.map((id) => ({ ids: [id] })),
        ).every((n) => n > 0),
      ).toBe(true);
    } finally {
      estimates.mockRestore();
    }
  });

  it('prices a page size given by a variable on every request, so a later larger page is refused', () => {
    const check = requests('query($n: Int) { organizations(first: $n) { nodes { id owners { id } } } }', {
      ...defaults,
      MAX_QUERY_COST: 500,
    });
    expect(check({ n: 5 })).toMatchObject({ ok: true });
    expect(check({ n: 100 })).toMatchObject({ ok: false, violation: { limit: 'cost' } });
    expect(check({ n: 5 })).toMatchObject({ ok: true });
  });

  it('prices an @include given by a variable on every request', () => {
    const check = requests(
      'query($x: Boolean!) { countries { code headquarteredHere @include(if: $x) { nodes { id } } } }',
    );
    const without = check({ x: false });
    const withIt = check({ x: true });
    expect(without.ok && withIt.ok).toBe(true);
    if (without.ok && withIt.ok) expect(withIt.measured.cost).toBeGreaterThan(without.measured.cost);
  });

  it('keeps costs per operation of a document with several', () => {
    const query = `query Small { countries { code } }
      query Large { organizations(first: 50) { nodes { id owners { id } } } }`;
    const check = requests(query);
    const small = check({}, 'Small');
    const large = check({}, 'Large');
    expect(small.ok && large.ok).toBe(true);
    if (small.ok && large.ok) {
      expect(small.measured.cost).toBe(freshCost(query, {}, 'Small'));
      expect(large.measured.cost).toBe(freshCost(query, {}, 'Large'));
      expect(large.measured.cost).toBeGreaterThan(small.measured.cost);
    }
    expect(check({}, 'Small')).toEqual(small);
  });

  it('measures depth again under other limits, and refuses under the lower one', () => {
    const query = `{ organization(id: "org:a") { owners { owner { ... on Organization {
      owners { owner { ... on Organization { owners { id } } } } } } } } }`;
    const document = parse(query);
    const loose = checkQueryDocument(schema, document, {}, { ...defaults, MAX_QUERY_DEPTH: 100 });
    const strict = checkQueryDocument(schema, document, {}, { ...defaults, MAX_QUERY_DEPTH: 3 });
    expect(loose).toMatchObject({ ok: true });
    expect(strict).toMatchObject({ ok: false, violation: { limit: 'depth', max: 3 } });
  });

  it('leaves variables that do not coerce to Apollo, and measures the next request again', () => {
    const check = requests('query($n: Int) { organizations(first: $n) { nodes { id } } }');
    expect(check({ n: 'many' })).toMatchObject({ ok: true, measured: { cost: 0 } });
    const cost = freshCost('query($n: Int) { organizations(first: $n) { nodes { id } } }', { n: 10 });
    expect(cost).toBeGreaterThan(0);
    expect(check({ n: 10 })).toMatchObject({ ok: true, measured: { cost } });
  });
});
