import { seedIds } from './support/seedFacts';
import { useSeededApp } from './support/seededApp';

/**
 * Aliases and repeated expensive fields share one fetch per kind (src/graphql/expensiveFieldBatch.ts): the
 * Cypher a request sends depends on the kinds of field it asks, not on how many aliases it writes, and each
 * alias answers exactly what it answers alone.
 */
const seeded = useSeededApp({ MAX_QUERY_ALIASES: 30 });

const UPSTREAM = 'MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)';
const POLICY_RULES = 'MATCH (p:Record:Policy) WHERE p.id IN $ids';
const sent = (queries: string[], marker: string) => queries.filter((q) => q.includes(marker)).length;

const entities = seedIds('organizations').slice(0, 8);
const [policy] = seedIds('policies');
const models = seedIds('models').slice(0, 3);

function aliased(fields: string[]): string {
  return `{ ${fields.map((field, i) => `a${i}: ${field}`).join(' ')} }`;
}

async function alone(field: string): Promise<unknown> {
  const { data, errors } = await seeded.execute(`{ a: ${field} }`);
  return errors ? { errors: errors.map((e) => e.message) } : data.a;
}

describe('Expensive fields under aliases: one fetch per kind, the same answers', () => {
  it('reads the upstream graph and the policy once for policyVerdict on 8 entities', async () => {
    const fields = entities.map(
      (e) =>
        `policyVerdict(entity: "${e}", policy: "${policy}", asOf: "2026-01-01") { verdict policyStatus { status } method }`,
    );
    // The policy is kept per graph version once read (src/cache/sweepCache.ts): start from an empty cache, so
    // what this request sends does not depend on what ran before it.
    seeded.app.context().sweepCache?.clear();
    const { data, errors, queries } = await seeded.execute(aliased(fields));
    expect(errors).toBeUndefined();
    expect(sent(queries, UPSTREAM)).toBe(1);
    expect(sent(queries, POLICY_RULES)).toBe(1);
    const again = await seeded.execute(aliased(fields));
    expect(sent(again.queries, POLICY_RULES)).toBe(0);
    expect(again.data).toEqual(data);
    for (const [i, field] of fields.entries()) expect(data[`a${i}`]).toEqual(await alone(field));
  });

  it('shares one upstream read between exposure and policyVerdict of the same entity', async () => {
    const [entity] = entities;
    const fields = [
      `exposure(entity: "${entity}", asOf: "2026-01-01") { ultimateOwners { share { lower upper } } }`,
      `exposure(entity: "${entity}", asOf: "2026-01-01") { unknown { lower upper } }`,
      `policyVerdict(entity: "${entity}", policy: "${policy}", asOf: "2026-01-01") { verdict }`,
    ];
    const { data, errors, queries } = await seeded.execute(aliased(fields));
    expect(errors).toBeUndefined();
    expect(sent(queries, UPSTREAM)).toBe(1);
    for (const [i, field] of fields.entries()) expect(data[`a${i}`]).toEqual(await alone(field));
  });

  it('answers accessCheck for 8 customers and 3 models with one upstream read', async () => {
    const fields = entities.map(
      (customer, i) =>
        `accessCheck(customer: "${customer}", model: "${models[i % models.length]}", asOf: "2026-01-01") { decision note }`,
    );
    const { data, errors, queries } = await seeded.execute(aliased(fields));
    expect(errors).toBeUndefined();
    expect(sent(queries, UPSTREAM)).toBe(1);
    expect(queries.length).toBeLessThan(fields.length);
    for (const [i, field] of fields.entries()) expect(data[`a${i}`]).toEqual(await alone(field));
  });

  it('reads the lineage DAG once for lineage asked of 3 models', async () => {
    const fields = models.map(
      (m) => `lineage(model: "${m}", direction: UP) { nodes { depth model { id } } }`,
    );
    const { data, errors, queries } = await seeded.execute(aliased(fields));
    expect(errors).toBeUndefined();
    expect(sent(queries, 'MATCH (m:Record:AIModel) WHERE m.id IN $ids')).toBe(1);
    for (const [i, field] of fields.entries()) expect(data[`a${i}`]).toEqual(await alone(field));
  });

  it('still names the argument of the alias that is wrong', async () => {
    const fields = [
      `policyVerdict(entity: "${entities[0]}", policy: "policy:no-such-policy") { verdict }`,
      `policyVerdict(entity: "${entities[1]}", policy: "${policy}") { verdict }`,
    ];
    const { errors } = await seeded.execute(aliased(fields));
    expect(errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.argument])).toEqual([
      [['a0'], 'NOT_FOUND', 'policy'],
    ]);
  });
});
