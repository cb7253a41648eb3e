import { bumpGraphVersion } from '../src/queries/graphVersion';
import { fetchModelAccessKnownAt } from '../src/queries/knownAsOf';
import {
  fetchCoveringPolicies,
  fetchCoveringPoliciesById,
  fetchAccessReads,
} from '../src/queries/modelAccess';
import { fetchUpstream, upstreamStamp } from '../src/queries/ownershipSubgraph';
import { seedIds, seedRecords } from './support/seedFacts';
import { useSeededApp } from './support/seededApp';

/**
 * Issue 15 item 3: a verdict and an access check read what they need in one round, and nothing more. An access
 * check reads the customer's upstream graph, the model's offers and the policies that reach it in one statement
 * (fetchAccessReads), which reads the model's developer itself, so it need not wait for the records;
 * records are read only when the answer shows them; a verdict reads its policy once per graph version. These
 * tests hold the new statement to the questions it replaced on every model of the curated seed, and the reads
 * to what each answer needs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

const seeded = useSeededApp();

const models = seedRecords('models');
const offerKeys = (offers: Array<{ channel: { id: string }; offering: { id: string } }>) =>
  offers.map((o) => `${o.channel.id} ${o.offering.id}`);

const customers = [...seedIds('organizations').slice(0, 3), seedIds('persons')[0]!];

/** For each seed model, a pair with one of a few seed customers (each customer comes back several times). */
const seedPairs = models.map((m, i) => ({ customer: customers[i % customers.length]!, model: m.id }));

describe('fetchAccessReads: a customer’s upstream and a model’s offers and covering policies in one statement', () => {
  it('names, for every seed model, the policies covering it by id or by its developer, in id order, and reads them by id', async () => {
    const found = await seeded.db.read((query) => fetchAccessReads(query, seedPairs));
    for (const [i, model] of models.entries()) {
      const expected = (
        await seeded.db.read((query) =>
          fetchCoveringPolicies(query, { ids: [model.id], developers: [model.developer] }),
        )
      ).filter(
        (p) => p.reach.coversModels.includes(model.id) || p.reach.coversDevelopers.includes(model.developer),
      );
      const ids = found[i]!.access!.policyIds;
      expect({ model: model.id, ids }).toEqual({ model: model.id, ids: expected.map((p) => p.rule.id) });
      const byId = await seeded.db.read((query) => fetchCoveringPoliciesById(query, ids));
      expect(ids.map((id) => byId.get(id))).toEqual(expected);
    }
  });

  it('reads every offer of every seed model, by channel then offering, as the record-time read does now', async () => {
    const now = new Date().toISOString();
    const found = await seeded.db.read((query) => fetchAccessReads(query, seedPairs));
    let offers = 0;
    for (const [i, model] of models.entries()) {
      const asKnownNow = await seeded.db.read((query) =>
        fetchModelAccessKnownAt(query, { id: model.id, developer: model.developer }, now),
      );
      const mine = found[i]!.access!.offers;
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

  it('reads the same upstream graph as fetchUpstream, stamped with the graph version it saw', async () => {
    const found = await seeded.db.read((query) => fetchAccessReads(query, seedPairs));
    const stamps = new Set<string | undefined>();
    for (const [i, pair] of seedPairs.entries()) {
      const alone = await seeded.db.read((query) => fetchUpstream(query, [pair.customer], { stamped: true }));
      const mine = found[i]!.graph;
      expect(mine.entities.has(pair.customer)).toBe(true);
      expect([...mine.entities.keys()].sort()).toEqual([...alone.entities.keys()].sort());
      expect(mine.ownerships.map((e) => e.id).sort()).toEqual(alone.ownerships.map((e) => e.id).sort());
      expect(mine.controls.map((e) => e.id).sort()).toEqual(alone.controls.map((e) => e.id).sort());
      expect(upstreamStamp(mine)).toBe(upstreamStamp(alone));
      stamps.add(upstreamStamp(mine));
    }
    expect(stamps.size).toBe(1);
    expect(found.every((r) => r.access?.stamp === upstreamStamp(found[0]!.graph))).toBe(true);
  });

  it('answers a batch pair by pair, as each pair alone, in order; an unknown customer has an empty graph, an unknown model no access', async () => {
    const organization = seedIds('organizations')[0]!;
    const pairs = [
      ...seedPairs,
      { customer: organization, model: 'model:no-such-model' },
      { customer: organization, model: organization },
      { customer: 'org:no-such-org', model: models[0]!.id },
      { customer: models[0]!.id, model: models[0]!.id },
    ];
    const batch = await seeded.db.read((query) => fetchAccessReads(query, pairs));
    expect(batch).toHaveLength(pairs.length);
    for (const [i, pair] of pairs.entries()) {
      const [alone] = await seeded.db.read((query) => fetchAccessReads(query, [pair]));
      expect({ pair, access: batch[i]!.access }).toEqual({ pair, access: alone!.access });
      expect([...batch[i]!.graph.entities.keys()].sort()).toEqual([...alone!.graph.entities.keys()].sort());
    }
    const last = batch.slice(-4);
    expect(last.map((r) => r.access === null)).toEqual([true, true, false, false]);
    expect(last.map((r) => r.graph.entities.size)).toEqual([
      batch.find((_, i) => pairs[i]!.customer === organization)!.graph.entities.size,
      batch.find((_, i) => pairs[i]!.customer === organization)!.graph.entities.size,
      0,
      0,
    ]);
  });
});

/** Changes a policy's threshold as a write does: in one transaction that moves the graph version. */
const setThreshold = (policy: string, threshold: number) =>
  seeded.db.write(async (query) => {
    await query('MATCH (p:Record:Policy {id: $policy}) SET p.ruleThreshold = $threshold', {
      policy,
      threshold,
    });
    await bumpGraphVersion(query);
  });

/** Which of the reads a verdict or a check sends each query is, by its text. */
const kindOf = (q: string) =>
  q.includes('MATCH (n:Record) WHERE n.id IN $ids')
    ? 'records'
    : q.includes('[o:OFFERS]') &&
        q.includes('MATCH (p:Policy)') &&
        q.includes('MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)')
      ? 'access'
      : q.includes('MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)')
        ? 'upstream'
        : q.includes('MATCH (p:Record:Policy) WHERE p.id IN $ids')
          ? 'policy'
          : q.includes('OPTIONAL MATCH (g:GraphVersion {key: $key})')
            ? 'version'
            : q;

describe('accessCheck: one statement, with the records in the same round only when the answer shows them', () => {
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

  it('sends one statement (the customer’s upstream and the model’s access), and no record, for a decision', async () => {
    await seeded.execute(DECISION, { customer, model: models[0]!.id });
    const { errors, queries } = await seeded.execute(DECISION, { customer, model: models[0]!.id });
    expect(errors).toBeUndefined();
    expect(queries.map(kindOf)).toEqual(['access']);
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
    const change = (threshold: number) => setThreshold(policy, threshold);
    await seeded.execute(NOTE, { customer, model: model.id });
    const before = await seeded.execute(NOTE, { customer, model: model.id });
    expect(thresholds(before.data).length).toBeGreaterThan(0);
    expect(new Set(thresholds(before.data))).toEqual(new Set([50]));
    try {
      await change(10);
      const after = await seeded.execute(NOTE, { customer, model: model.id });
      expect(new Set(thresholds(after.data))).toEqual(new Set([10]));
      // `policy { id }` is a record read, after the check itself.
      expect(after.queries.map(kindOf).sort()).toEqual(['access', 'policy', 'records', 'version']);
      const again = await seeded.execute(NOTE, { customer, model: model.id });
      expect(again.queries.map(kindOf).sort()).toEqual(['access', 'records']);
    } finally {
      await change(50);
    }
  });

  it('reads the records too, in the same round, when the answer names the customer and the model', async () => {
    const named = await seeded.execute(NAMED, { customer, model: models[0]!.id });
    expect(named.errors).toBeUndefined();
    expect(named.queries.map(kindOf).sort()).toEqual(['access', 'records']);
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
    const change = (threshold: number) => setThreshold(policy, threshold);
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

  it('asks the upstream read for the graph version only when a kept policy needs comparing with it', async () => {
    const VERSION = 'GraphVersion {key: $versionKey}';
    const stamped = (queries: string[]) =>
      queries.filter((q) => kindOf(q) === 'upstream').map((q) => q.includes(VERSION));
    seeded.app.context().sweepCache?.clear();
    const fresh = { entity, policy: 'policy:ofac-50-percent-rule' };
    const first = await seeded.execute(VERDICT, fresh);
    expect(first.errors).toBeUndefined();
    expect(first.queries.map(kindOf).sort()).toEqual(['policy', 'upstream', 'version']);
    expect(stamped(first.queries)).toEqual([false]);
    const kept = await seeded.execute(VERDICT, fresh);
    expect(kept.queries.map(kindOf)).toEqual(['upstream']);
    expect(stamped(kept.queries)).toEqual([true]);
    expect(kept.data).toEqual(first.data);
    // Exposure reads the same upstream graph and never needs the stamp; beside a verdict whose policy is kept,
    // the one read they share carries it, whichever field comes first.
    const EXPOSURE = `exposure(entity: $entity, asOf: "2026-03-01") { __typename }`;
    const VERDICT_FIELD = `policyVerdict(entity: $entity, policy: "${fresh.policy}", asOf: "2026-03-01") { verdict }`;
    const exposure = await seeded.execute(`query($entity: ID!) { ${EXPOSURE} }`, { entity });
    expect(exposure.errors).toBeUndefined();
    expect(stamped(exposure.queries)).toEqual([false]);
    for (const both of [`e: ${EXPOSURE} v: ${VERDICT_FIELD}`, `v: ${VERDICT_FIELD} e: ${EXPOSURE}`]) {
      const shared = await seeded.execute(`query($entity: ID!) { ${both} }`, { entity });
      expect(shared.errors).toBeUndefined();
      expect(stamped(shared.queries)).toEqual([true]);
      expect(shared.queries.map(kindOf)).not.toContain('policy');
      expect(shared.data.v).toEqual({ verdict: first.data.policyVerdict.verdict });
    }
  });

  it('answers aliased verdicts, one policy kept and one not, with one policy read in the same round', async () => {
    const kept = 'policy:ofac-50-percent-rule';
    const MIXED = `query($entity: ID!) {
      a: policyVerdict(entity: $entity, policy: "${policy}", asOf: "2026-03-01") { verdict threshold }
      b: policyVerdict(entity: $entity, policy: "${kept}", asOf: "2026-03-01") { verdict threshold }
    }`;
    seeded.app.context().sweepCache?.clear();
    const alone = await seeded.execute(VERDICT, { entity, policy: kept });
    const { data, errors, queries } = await seeded.execute(MIXED, { entity });
    expect(errors).toBeUndefined();
    expect(queries.map(kindOf).sort()).toEqual(['policy', 'upstream', 'version']);
    expect(data.b).toEqual({
      verdict: alone.data.policyVerdict.verdict,
      threshold: alone.data.policyVerdict.threshold,
    });
  });

  it('reads the policies of aliased verdicts in one transaction, after one read of the graph version', async () => {
    const other = 'policy:anthropic-unsupported-regions-2025';
    const TWO = `query($entity: ID!) {
      a: policyVerdict(entity: $entity, policy: "${policy}", asOf: "2026-03-01") { verdict threshold }
      b: policyVerdict(entity: $entity, policy: "${other}", asOf: "2026-03-01") { verdict threshold }
      c: policyVerdict(entity: $entity, policy: "${policy}", asOf: "2026-03-01") { verdict }
    }`;
    // Both policies kept, then a write moves the graph version: neither is kept at the version the next
    // request's upstream read sees, so both are read again, together.
    await seeded.execute(TWO, { entity });
    await seeded.db.write((query) => bumpGraphVersion(query));
    const first = await seeded.execute(TWO, { entity });
    expect(first.errors).toBeUndefined();
    expect(first.queries.map(kindOf).sort()).toEqual(['policy', 'upstream', 'version']);
    const alone = await seeded.execute(VERDICT, { entity, policy });
    expect(first.data.a).toEqual({ verdict: alone.data.policyVerdict.verdict, threshold: 50 });
    expect(first.data.c).toEqual({ verdict: alone.data.policyVerdict.verdict });
    const again = await seeded.execute(TWO, { entity });
    expect(again.queries.map(kindOf)).toEqual(['upstream']);
    expect(again.data).toEqual(first.data);
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
