import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getIntrospectionQuery } from 'graphql';
import { README_QUERIES } from '../../../test/readmeQueries';
import { PROJECT_ROOT, loadConfig } from '../../config';
import { loadTypeDefs } from '../../graphql/schema';
import { checkQuerySource, limitExceeded, type QueryLimits } from '../queryLimits';

const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
const defaults: QueryLimits = loadConfig({});

const readmeBlocks = [
  ...readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g),
].map((m) => m[1]!);

/** The variables test/readApi.readme.test.ts sends with each README query (the largest of them). */
const README_VARIABLES: Record<string, Record<string, unknown>> = {
  whoOwns: { ids: ['org:bytedance', 'org:tencent', 'org:alibaba'], asOf: '2026-03-01' },
  whoMakesWhichModels: { ids: ['org:deepseek', 'org:alibaba', 'org:anthropic', 'org:meta', 'org:openai'] },
};

function measure(query: string, variables: Record<string, unknown> = {}, limits = defaults) {
  return checkQuerySource(schema, query, { variables }, limits);
}

/** owners -> owner -> holdings -> owned -> owners … nested `levels` times under one company. */
function fanOut(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++)
    inner = `owners { owner { ... on Organization { holdings { owned { id ${inner} } } } } }`;
  return `{ organization(id: "org:bytedance") { ${inner} } }`;
}

const aliases = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('Query limits: measured before anything runs', () => {
  it.each(Object.entries(README_QUERIES))(
    'lets the README query %s through under the defaults',
    (name, query) => {
      const check = measure(query, README_VARIABLES[name]);
      expect(check).toMatchObject({ ok: true });
      // Headroom: a README query must not sit near a limit that a slightly bigger question would cross.
      if (check?.ok) expect(check.measured.cost).toBeLessThan(defaults.MAX_QUERY_COST / 2);
    },
  );

  it.each(readmeBlocks.map((query, i) => ({ i, query })))('lets README block $i through', ({ query }) => {
    expect(measure(query)).toMatchObject({ ok: true });
  });

  it('rejects the 7-level owners -> owned fan-out on its cost and depth', () => {
    const check = measure(fanOut(7));
    expect(check).toMatchObject({ ok: false, violation: { limit: 'depth', max: defaults.MAX_QUERY_DEPTH } });
    const deepAllowed = measure(fanOut(7), {}, { ...defaults, MAX_QUERY_DEPTH: 100 });
    expect(deepAllowed).toMatchObject({ ok: false, violation: { limit: 'cost' } });
  });

  it.each([
    'policyVerdict(entity: "org:a", policy: "policy:b") { verdict }',
    'exposure(entity: "org:a") { asOf }',
    'screen(customers: { names: ["x"] }, policies: ["policy:b"]) { asOf }',
    'coveredEntities(policy: "policy:b") { totalCount }',
    'connections(from: "org:a", to: "org:b") { length }',
    'lineage(model: "model:a") { nodes { depth } }',
    'accessCheck(customer: "org:a", model: "model:a") { __typename }',
    'search(text: "a") { score }',
    '__schema { queryType { name } }',
  ])('rejects 1,000 aliases of %s (on tokens, and on aliases when tokens are allowed)', (field) => {
    expect(measure(aliases(1000, field))).toMatchObject({ ok: false, violation: { limit: 'tokens' } });
    expect(measure(aliases(1000, field), {}, { ...defaults, MAX_QUERY_TOKENS: 100_000 })).toMatchObject({
      ok: false,
      violation: { limit: 'aliases', value: 1000, max: defaults.MAX_QUERY_ALIASES },
    });
  });

  it('rejects 40 aliases of policyVerdict, a query short enough for the token limit, on aliases', () => {
    const query = aliases(40, 'policyVerdict(entity: "org:a", policy: "policy:b") { verdict }');
    expect(measure(query)).toMatchObject({ ok: false, violation: { limit: 'aliases', value: 40 } });
  });

  it('rejects 200 aliases of an introspection query (tokens, then aliases, then cost)', () => {
    const field = '__schema { types { name fields { name type { name ofType { name } } } } }';
    expect(measure(aliases(200, field))).toMatchObject({ ok: false, violation: { limit: 'tokens' } });
    const tokensAllowed = { ...defaults, MAX_QUERY_TOKENS: 100_000 };
    expect(measure(aliases(200, field), {}, tokensAllowed)).toMatchObject({
      ok: false,
      violation: { limit: 'aliases' },
    });
    expect(measure(aliases(200, field), {}, { ...tokensAllowed, MAX_QUERY_ALIASES: 1000 })).toMatchObject({
      ok: false,
      violation: { limit: 'cost' },
    });
  });

  it('lets one introspection query through (Sandbox needs it)', () => {
    expect(measure(getIntrospectionQuery())).toMatchObject({ ok: true });
  });

  it('prices lists by their size arguments, variables included', () => {
    const query = 'query($n: Int) { organizations(first: $n) { nodes { id owners { id } } } }';
    const small = measure(query, { n: 5 });
    const large = measure(query, { n: 100 });
    expect(small?.ok && large?.ok).toBe(true);
    if (small?.ok && large?.ok) expect(large.measured.cost).toBe(20 * small.measured.cost - 19);
  });

  it('prices screen by customers times policies', () => {
    const query =
      'query($names: [String!]) { screen(customers: { names: $names }, policies: ["p:a", "p:b"]) { asOf } }';
    const names = (n: number) => Array.from({ length: n }, (_, i) => `name ${i}`);
    const one = measure(query, { names: names(1) });
    const many = measure(query, { names: names(5000) });
    // The schema promises screening of up to 5,000 names: against a couple of policies it fits.
    expect(one?.ok && many?.ok).toBe(true);
    if (one?.ok && many?.ok) expect(many.measured.cost - 1).toBe(5000 * (one.measured.cost - 1));
    const everyPolicy = query.replace('["p:a", "p:b"]', JSON.stringify(names(20)));
    expect(measure(everyPolicy, { names: names(5000) })).toMatchObject({
      ok: false,
      violation: { limit: 'cost' },
    });
  });

  it('rejects too many directives', () => {
    // One directive on each of 60 selections of the same field (a field may not repeat @include itself).
    const query = `{ countries { code ${'__typename @include(if: true) '.repeat(60)}} }`;
    expect(measure(query)).toMatchObject({ ok: false, violation: { limit: 'directives', value: 60 } });
  });

  it('leaves documents that do not validate to Apollo’s own errors', () => {
    expect(measure('{ nope }')).toBeNull();
    expect(measure('{ countries {')).toBeNull();
  });

  it('names the limit, the measured value and the setting in its error', () => {
    const error = limitExceeded({ limit: 'aliases', value: 999, max: 30, setting: 'MAX_QUERY_ALIASES' });
    expect(error.message).toBe('The query has 999 aliases, over the limit of 30 (MAX_QUERY_ALIASES).');
    expect(error.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'aliases', value: 999, max: 30 });
  });
});
