import { bumpGraphVersion } from '../src/queries/graphVersion';
import { fetchModelAccessKnownAt } from '../src/queries/knownAsOf';
import {
  fetchCoveringPolicies,
  fetchCoveringPoliciesById,
  fetchModelAccess,
} from '../src/queries/modelAccess';
import { seedIds, seedRecords } from './support/seedFacts';
import { useSeededApp } from './support/seededApp';

/**
 * Issue 15 item 3: a verdict and an access check read what they need in one round, and nothing more. An access
 * check reads the model's offers and the policies that reach it in one statement (fetchModelAccess), which reads
 * the model's developer itself, so it goes out with the customer's upstream graph instead of after the records;
 * records are read only when the answer shows them; a verdict reads its policy once per graph version. These
 * tests hold the new statement to the questions it replaced on every model of the curated seed, and the reads
 * to what each answer needs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

const seeded = useSeededApp();

const models = seedRecords('models');
const offerKeys = (offers: Array<{ channel: { id: string }; offering: { id: string } }>) =>
  offers.map((o) => `${o.channel.id} ${o.offering.id}`);

describe('fetchModelAccess: a model’s offers and covering policies in one statement', () => {
  it('names, for every seed model, the policies covering it by id or by its developer, in id order, and reads them by id', async () => {
    const found = await seeded.db.read((query) =>
      fetchModelAccess(
        query,
        models.map((m) => m.id),
      ),
    );
    for (const model of models) {
      const expected = (
        await seeded.db.read((query) =>
          fetchCoveringPolicies(query, { ids: [model.id], developers: [model.developer] }),
        )
      ).filter(
        (p) => p.reach.coversModels.includes(model.id) || p.reach.coversDevelopers.includes(model.developer),
      );
      const ids = found.get(model.id)!.policyIds;
      expect({ model: model.id, ids }).toEqual({ model: model.id, ids: expected.map((p) => p.rule.id) });
      const byId = await seeded.db.read((query) => fetchCoveringPoliciesById(query, ids));
      expect(ids.map((id) => byId.get(id))).toEqual(expected);
    }
  });

  it('reads every offer of every seed model, by channel then offering, as the record-time read does now', async () => {
    const now = new Date().toISOString();
    const found = await seeded.db.read((query) =>
      fetchModelAccess(
        query,
        models.map((m) => m.id),
      ),
    );
    let offers = 0;
    for (const model of models) {
      const asKnownNow = await seeded.db.read((query) =>
        fetchModelAccessKnownAt(query, { id: model.id, developer: model.developer }, now),
      );
      const mine = found.get(model.id)!.offers;
      expect({ model: model.id, offers: offerKeys(mine) }).toEqual({
        model: model.id,
        offers: offerKeys(asKnownNow.offers),
      });
      for (const offer of mine) {
        expect(offer.offering).toMatchObject({ _from: offer.channel.id, _to: model.id });
        expect(offer.channel._label).toBe('AccessChannel');
      }
      offers += mine.length;
    }
    expect(offers).toBeGreaterThan(0);
  });

  it('answers a batch as it answers each model alone, and leaves out an id that is no model', async () => {
    const ids = [...models.map((m) => m.id), 'model:no-such-model', seedIds('organizations')[0]!];
    const batch = await seeded.db.read((query) => fetchModelAccess(query, ids));
    expect([...batch.keys()].sort()).toEqual(models.map((m) => m.id).sort());
    for (const model of models) {
      const alone = await seeded.db.read((query) => fetchModelAccess(query, [model.id]));
      expect(alone.get(model.id)).toEqual(batch.get(model.id));
    }
    expect(new Set([...batch.values()].map((a) => a.stamp)).size).toBe(1);
  });
});

/** Which of the reads a verdict or a check sends each query is, by its text. */
const kindOf = (q: string) =>
  q.includes('MATCH (n:Record) WHERE n.id IN $ids')
    ? 'records'
    : q.includes('[o:OFFERS]') && q.includes('MATCH (p:Policy)')
      ? 'model access'
      : q.includes('MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)')
        ? 'upstream'
        : q.includes('MATCH (p:Record:Policy) WHERE p.id IN $ids')
          ? 'policy'
          : q.includes('OPTIONAL MATCH (g:GraphVersion {key: $key})')
            ? 'version'
            : q;

describe('accessCheck: every read in one round, records only when the answer shows them', () => {
  const DECISION = `query($customer: ID!, $model: ID!) {
    accessCheck(customer: $customer, model: $model, asOf: "2026-03-01") { decision channels { decision } }
  }`;
  const NAMED = `query($customer: ID!, $model: ID!) {
    accessCheck(customer: $customer, model: $model, asOf: "2026-03-01") {
      ...names decision channels { decision }
    }
  }
  fragment names on AccessCheck { customer { id } model { id name } }`;
  const customer = seedIds('organizations')[0]!;

  it('sends the model’s access read and the customer’s upstream, and no record, for a decision', async () => {
    await seeded.execute(DECISION, { customer, model: models[0]!.id });
    const { errors, queries } = await seeded.execute(DECISION, { customer, model: models[0]!.id });
    expect(errors).toBeUndefined();
    expect(queries.map(kindOf).sort()).toEqual(['model access', 'upstream']);
  });

  it('reads the covering policies again after a write moves the graph version, and sees the write', async () => {
    const model = models.find((m) => m.developer === 'org:anthropic') ?? models[0]!;
    const policy = 'policy:anthropic-unsupported-regions-2025';
    const NOTE = `query($customer: ID!, $model: ID!) {
      accessCheck(customer: $customer, model: $model, asOf: "2026-03-01") {
        channels { policies { policy { id } verdict { threshold } } }
      }
    }`;
    const thresholds = (data: any): number[] =>
      data.accessCheck.channels.flatMap((c: any) =>
        c.policies.filter((p: any) => p.policy.id === policy).map((p: any) => p.verdict.threshold),
      );
    const change = (threshold: number) =>
      seeded.db.write(async (query) => {
        await query('MATCH (p:Record:Policy {id: $policy}) SET p.ruleThreshold = $threshold', {
          policy,
          threshold,
        });
        await bumpGraphVersion(query);
      });
    await seeded.execute(NOTE, { customer, model: model.id });
    const before = await seeded.execute(NOTE, { customer, model: model.id });
    expect(thresholds(before.data).length).toBeGreaterThan(0);
    expect(new Set(thresholds(before.data))).toEqual(new Set([50]));
    try {
      await change(10);
      const after = await seeded.execute(NOTE, { customer, model: model.id });
      expect(new Set(thresholds(after.data))).toEqual(new Set([10]));
      // `policy { id }` is a record read, after the check itself.
      expect(after.queries.map(kindOf).sort()).toEqual([
        'model access',
        'policy',
        'records',
        'upstream',
        'version',
      ]);
      const again = await seeded.execute(NOTE, { customer, model: model.id });
      expect(again.queries.map(kindOf).sort()).toEqual(['model access', 'records', 'upstream']);
    } finally {
      await change(50);
    }
  });

  it('reads the records too, in the same round, when the answer names the customer and the model', async () => {
    const named = await seeded.execute(NAMED, { customer, model: models[0]!.id });
    expect(named.errors).toBeUndefined();
    expect(named.queries.map(kindOf).sort()).toEqual(['model access', 'records', 'upstream']);
    expect(named.data.accessCheck).toMatchObject({
      customer: { id: customer },
      model: { id: models[0]!.id, name: models[0]!.name },
    });
    const plain = await seeded.execute(DECISION, { customer, model: models[0]!.id });
    expect(plain.data.accessCheck.decision).toBe(named.data.accessCheck.decision);
  });

  it.each([
    ['both unknown', 'org:no-such-org', 'model:no-such', 'customer'],
    ['a model id as the customer', models[0]!.id, models[0]!.id, 'customer'],
    ['the model unknown', customer, 'model:no-such', 'model'],
    ['an organization as the model', customer, customer, 'model'],
  ])('names the argument that is wrong (%s), whatever the answer selects', async (_, c, m, argument) => {
    for (const query of [DECISION, NAMED]) {
      const { errors } = await seeded.execute(query, { customer: c, model: m });
      expect(errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([
        ['NOT_FOUND', argument],
      ]);
    }
  });
});

describe('policyVerdict: the upstream graph only, once the policy is kept at the graph’s version', () => {
  const policy = 'policy:bis-affiliates-rule';
  const entity = seedIds('organizations')[0]!;
  const VERDICT = `query($entity: ID!, $policy: ID!) {
    policyVerdict(entity: $entity, policy: $policy, asOf: "2026-03-01") { verdict threshold aggregate { lower upper } }
  }`;
  const NAMED = `query($entity: ID!, $policy: ID!) {
    policyVerdict(entity: $entity, policy: $policy, asOf: "2026-03-01") {
      verdict threshold aggregate { lower upper } entity { ... on Organization { id name } }
    }
  }`;

  it('reads the policy with the graph version once, then sends only the upstream read; the record when named', async () => {
    await seeded.execute(VERDICT, { entity, policy });
    const plain = await seeded.execute(VERDICT, { entity, policy });
    const named = await seeded.execute(NAMED, { entity, policy });
    expect([plain.errors, named.errors]).toEqual([undefined, undefined]);
    expect(plain.queries.map(kindOf)).toEqual(['upstream']);
    expect(named.queries.map(kindOf).sort()).toEqual(['records', 'upstream']);
    expect(named.data.policyVerdict).toMatchObject({ ...plain.data.policyVerdict, entity: { id: entity } });
  });

  it('answers with a policy changed by a write (which moves the graph version), and keeps the new one', async () => {
    const change = (threshold: number) =>
      seeded.db.write(async (query) => {
        await query('MATCH (p:Record:Policy {id: $policy}) SET p.ruleThreshold = $threshold', {
          policy,
          threshold,
        });
        await bumpGraphVersion(query);
      });
    const before = await seeded.execute(VERDICT, { entity, policy });
    expect(before.data.policyVerdict.threshold).toBe(50);
    try {
      await change(10);
      const after = await seeded.execute(VERDICT, { entity, policy });
      expect(after.data.policyVerdict.threshold).toBe(10);
      expect(after.queries.map(kindOf).sort()).toEqual(['policy', 'upstream', 'version']);
      const again = await seeded.execute(VERDICT, { entity, policy });
      expect(again.data.policyVerdict.threshold).toBe(10);
      expect(again.queries.map(kindOf)).toEqual(['upstream']);
    } finally {
      await change(50);
    }
    expect((await seeded.execute(VERDICT, { entity, policy })).data.policyVerdict.threshold).toBe(50);
  });

  it.each([
    ['both unknown', 'org:no-such-org', 'policy:no-such', 'entity'],
    ['a policy as the entity', policy, policy, 'entity'],
    ['the policy unknown', entity, 'policy:no-such', 'policy'],
  ])('names the argument that is wrong (%s), whatever the answer selects', async (_, e, p, argument) => {
    for (const query of [VERDICT, NAMED]) {
      const { errors } = await seeded.execute(query, { entity: e, policy: p });
      expect(errors?.map((x) => [x.extensions?.code, x.extensions?.argument])).toEqual([
        ['NOT_FOUND', argument],
      ]);
    }
  });
});
