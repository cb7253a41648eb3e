import type { DataSetFile } from '../src/model/dataset';
import { baseGraph, useWriteHarness } from './support/writeHarness';

/**
 * Issue 12, item 3: every read takes `knownAsOf`. Answers captured before a correction, a stake change, a
 * rename, a retraction and a creation are given again, field for field, when asked later with the instant
 * they were captured at; the current answers follow the writes. Fields under a `knownAsOf` root answer as of
 * the root's instant, however deep.
 */

const h = useWriteHarness();
const p = 'kar';
const src = `src:${p}-filing`;
const ids = {
  issuer: `org:${p}-issuer`,
  parent: `org:${p}-parent`,
  sub: `org:${p}-sub`,
  stake: `own:${p}-parent-sub`,
  newStake: `own:${p}-parent-sub-2025`,
  model: `model:${p}-m1`,
  child: `model:${p}-m2`,
  later: `model:${p}-m3`,
  channel: `channel:${p}-api`,
  offering: `offer:${p}-api-m1`,
  created: `org:${p}-newcomer`,
  policy: `policy:${p}-cn-50`,
  // Wikidata ids: the parent's first, the one it was corrected to, the newcomer's.
  oldKey: 'Q987650001',
  newKey: 'Q987650002',
  newcomerKey: 'Q987650003',
};

function fixture(): DataSetFile {
  const base = baseGraph(p);
  return {
    ...base,
    organizations: base.organizations!.map((org) =>
      org.id === ids.parent
        ? { ...org, identifiers: [{ scheme: 'WIKIDATA' as const, value: ids.oldKey }] }
        : org,
    ),
    // The policy covers the issuer's models on every channel kind, so the access check has something to decide.
    policies: base.policies!.map((policy) => ({
      ...policy,
      covers: { developers: [ids.issuer], channelKinds: ['FIRST_PARTY_API'] as const },
    })),
    models: [
      {
        id: ids.model,
        name: `${p} One`,
        family: `${p}`,
        developer: ids.issuer,
        openWeights: false,
        architecture: 'DENSE',
        modalities: ['TEXT'],
        sources: [src],
      },
      {
        id: ids.child,
        name: `${p} One Tuned`,
        family: `${p}`,
        developer: ids.issuer,
        openWeights: true,
        architecture: 'DENSE',
        modalities: ['TEXT'],
        sources: [src],
      },
    ],
    derivations: [
      {
        id: `deriv:${p}-m2-m1`,
        child: ids.child,
        parent: ids.model,
        method: 'FINE_TUNE',
        basis: 'DECLARED',
        sources: [src],
      },
    ],
    channels: [
      {
        id: ids.channel,
        name: `${p} API`,
        kind: 'FIRST_PARTY_API',
        operator: ids.issuer,
        sources: [src],
      },
    ],
    offerings: [
      { id: ids.offering, channel: ids.channel, model: ids.model, startDate: '2024-01-01', sources: [src] },
    ],
  };
}

/** One question per read kind, each with nested fields, all asked at `$k` (the current graph when null). */
const RECORD_READS = `
  sub: organization(id: "${ids.sub}", knownAsOf: $k) {
    name version
    owners { id share { exact } endDate version owner { name ... on Organization { holdings { id share { exact } } } } sources { id } }
  }
  parent: organization(id: "${ids.parent}", knownAsOf: $k) {
    name aliases version recordedAt changeSetId headquarters { code } history { version }
  }
  issuer: organization(id: "${ids.issuer}", knownAsOf: $k) {
    models { id } policiesIssued { id }
    channels { id offerings { id model { name developer { name } } } }
  }
  model(id: "${ids.model}", knownAsOf: $k) {
    name developer { id } offerings { id channel { name } } derivatives { child { id name } }
  }
  channel(id: "${ids.channel}", knownAsOf: $k) { name offerings { id model { id } } }
  policy(id: "${ids.policy}", knownAsOf: $k) { name issuer { name } targets { code } }
  created: node(id: "${ids.created}", knownAsOf: $k) { id }
  organizations(filter: { nameContains: "${p} " }, knownAsOf: $k) { totalCount nodes { id name } }
  models(filter: { developer: "${ids.issuer}" }, knownAsOf: $k) { totalCount nodes { id } }
  search(text: "${p}", types: [ORGANIZATION], first: 20, knownAsOf: $k) { node { id ... on Organization { name } } matched }
`;

const byKey = (value: string) =>
  `partiesByIdentifier(identifier: {scheme: WIKIDATA, value: "${value}"}, knownAsOf: $k)`;

/** The questions over records that take knownAsOf. */
const QUESTIONS = `  oldKey: ${byKey(ids.oldKey)} { id ... on Organization { name } }
  newKey: ${byKey(ids.newKey)} { id }
  newcomerKey: ${byKey(ids.newcomerKey)} { id }
  verdict: policyVerdict(entity: "${ids.sub}", policy: "${ids.policy}", asOf: "2026-01-01", knownAsOf: $k) {
    verdict entity { name } policy { name }
    explanation { sentence paths { root { name } steps { from { name } to { name } share { exact } sources { id } } } }
  }
  exposure(entity: "${ids.sub}", asOf: "2026-01-01", knownAsOf: $k) {
    entity { name } ultimateOwners { party { name } headquarters { code } }
    owners { party { name } stakes { id share { exact } owner { name } } }
  }
  modelJurisdiction(model: "${ids.child}", knownAsOf: $k) {
    model { name } developer { name } developerExposure { entity { name } }
    upstream { depth model { name } developer { name } }
  }
  issuerModels: modelExposure(entity: "${ids.issuer}", asOf: "2026-01-01", knownAsOf: $k) {
    develops { id name } upstreamModels { name } openWeightsAvailable { id }
    byPolicy { policy { id } decision models { id } offeredModels { name } }
  }
  subModels: modelExposure(entity: "${ids.sub}", asOf: "2026-01-01", knownAsOf: $k) {
    entity { name } byPolicy { policy { name } decision verdict { verdict entity { name } } }
  }
  connections(from: "${ids.sub}", to: "${ids.parent}", knownAsOf: $k) {
    length nodes { id ... on Organization { name } } steps { type description share { exact } sources { id } }
  }
  channelToModel: connections(from: "${ids.channel}", to: "${ids.model}", knownAsOf: $k) {
    length steps { type from { id } to { id } }
  }
  lineage(model: "${ids.child}", direction: BOTH, knownAsOf: $k) {
    root { name } nodes { model { id name } depth side } edges { id parent { name offerings { id } } }
  }
  accessCheck(customer: "${ids.sub}", model: "${ids.model}", asOf: "2026-01-01", knownAsOf: $k) {
    decision note customer { name } model { name }
    channels { channel { id name } offering { id } decision policies { policy { id name } verdict { verdict } } }
  }
`;

const READS = `query($k: DateTime) {${RECORD_READS}${QUESTIONS}}`;

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

async function write(mutation: string): Promise<void> {
  const result = await h.as('editor', `mutation { ${mutation} { written problems { path message } } }`);
  expect(result.errors).toBeUndefined();
  const [outcome] = Object.values(result.data as Record<string, { written: boolean; problems: unknown[] }>);
  expect(outcome).toMatchObject({ written: true, problems: [] });
}

interface Named {
  id: string;
  name: string;
}
interface Stake {
  id: string;
  share: { exact: number };
  endDate: string | null;
  owner: { name: string };
}
/** The fields of READS the expectations look at. */
interface Reads {
  sub: { owners: Stake[] };
  parent: { name: string; aliases: string[]; version: number; history: Array<{ version: number }> };
  issuer: { models: Array<{ id: string }> };
  model: { offerings: Array<{ id: string }> };
  channel: { offerings: Array<{ id: string }> };
  created: { id: string } | null;
  organizations: { totalCount: number; nodes: Named[] };
  models: { nodes: Array<{ id: string }> };
  search: Array<{ node: { id: string } }>;
  lineage: { root: { name: string }; edges: Array<{ id: string; parent: { name: string } }> };
  accessCheck: { decision: string; model: { name: string }; channels: Array<{ decision: string }> };
  oldKey: Named[];
  newKey: Array<{ id: string }>;
  newcomerKey: Array<{ id: string }>;
  verdict: {
    verdict: string;
    entity: { name: string };
    explanation: { paths: Array<{ root: { name: string }; steps: Array<{ from: { name: string } }> }> };
  };
  exposure: { ultimateOwners: Array<{ party: { name: string } }> };
  modelJurisdiction: { upstream: Array<{ model: { name: string } }> };
  issuerModels: {
    develops: Named[];
    byPolicy: Array<{
      decision: string;
      models: Array<{ id: string }>;
      offeredModels: Array<{ name: string }>;
    }>;
  };
  subModels: { byPolicy: Array<{ decision: string; verdict: { verdict: string } }> };
  connections: Array<{
    length: number;
    steps: Array<{ type: string; description: string; share: { exact: number } }>;
  }>;
  channelToModel: Array<{ length: number; steps: Array<{ type: string }> }>;
}
const idsOf = (list: Array<{ id: string }>) => list.map((x) => x.id);
const stakes = (list: Stake[]) => list.map((o) => [o.id, o.share.exact, o.endDate]);
const byName = (a: Named, b: Named) => a.name.localeCompare(b.name);
let before: { data: Reads };
let capturedAt: string;

beforeAll(async () => {
  await h.load(fixture());
  const captured = await h.as('reader', READS, { k: null });
  expect(captured.errors).toBeUndefined();
  before = { data: captured.data as Reads };
  await pause();
  capturedAt = new Date().toISOString();
  await pause();
  const why = `reason: "Analyst review", sources: ["${src}"]`;
  await write(
    `updateRecord(id: "${ids.parent}", changes: {name: "${p} Holdings", aliases: ["${p} Old"],
       identifiers: [{scheme: "WIKIDATA", value: "${ids.newKey}"}]}, ${why})`,
  );
  await write(`correctShare(id: "${ids.stake}", share: {exact: 40}, ${why})`);
  await write(
    `recordStake(input: {id: "${ids.newStake}", owner: "${ids.parent}", owned: "${ids.sub}", share: {exact: 30},
       startDate: "2025-06-01"}, ${why})`,
  );
  await write(`retractRecord(id: "${ids.offering}", ${why})`);
  await write(
    `createRecord(kind: ORGANIZATION, record: {id: "${ids.created}", name: "${p} Newcomer", type: "COMPANY",
       headquarters: "US", identifiers: [{scheme: "WIKIDATA", value: "${ids.newcomerKey}"}], sources: ["${src}"]},
       ${why})`,
  );
  await write(
    `createRecord(kind: MODEL, record: {id: "${ids.later}", name: "${p} Two", family: "${p}", developer: "${ids.issuer}",
       openWeights: false, modalities: ["TEXT"], sources: ["${src}"]}, ${why})`,
  );
  await write(`updateRecord(id: "${ids.model}", changes: {name: "${p} One (renamed)"}, ${why})`);
}, 120_000);

it('answers every read asked with knownAsOf exactly as it answered at that instant', async () => {
  const then = await h.as('reader', READS, { k: capturedAt });
  expect(then.errors).toBeUndefined();
  // Search relevance comes from today's index (names changed since weigh differently): the same hits, as
  // they were then, possibly in another order.
  const { search: hitsThen, ...rest } = then.data as Reads;
  const { search: hitsBefore, ...restBefore } = before.data;
  expect(rest).toEqual(restBefore);
  const byId = (a: { node: { id: string } }, b: { node: { id: string } }) =>
    a.node.id.localeCompare(b.node.id);
  expect([...hitsThen].sort(byId)).toEqual([...hitsBefore].sort(byId));
  expect(hitsThen.length).toBeGreaterThanOrEqual(3);
});

it('answers the current reads with the writes made since', async () => {
  const now = await h.as('reader', READS, { k: null });
  expect(now.errors).toBeUndefined();
  const d = now.data as Reads;
  // A correction and a new stake: the corrected share, ended by the new stake, then the new stake.
  expect(stakes(d.sub.owners)).toEqual([
    [ids.stake, 40, '2025-06-01'],
    [ids.newStake, 30, null],
  ]);
  expect(stakes(before.data.sub.owners)).toEqual([[ids.stake, 60, null]]);
  expect(d.sub.owners[0]?.owner.name).toBe(`${p} Holdings`);
  // A rename: the name and version now, the old name kept as known then.
  expect(d.parent).toMatchObject({ name: `${p} Holdings`, aliases: [`${p} Old`], version: 2 });
  expect(before.data.parent).toMatchObject({ name: `${p} Parent`, aliases: [], version: 1 });
  expect(d.parent.history.map((v) => v.version)).toEqual([1, 2]);
  expect(before.data.parent.history.map((v) => v.version)).toEqual([1]);
  // A retraction: the offering is gone now, present as known then.
  expect(d.model.offerings).toEqual([]);
  expect(d.channel.offerings).toEqual([]);
  expect(before.data.model.offerings).toEqual([{ id: ids.offering, channel: { name: `${p} API` } }]);
  // Creations: present now, absent then.
  expect(d.created).toEqual({ id: ids.created });
  expect(before.data.created).toBeNull();
  expect(idsOf(d.models.nodes)).toContain(ids.later);
  expect(idsOf(d.issuer.models)).toContain(ids.later);
  expect(idsOf(before.data.issuer.models)).not.toContain(ids.later);
  expect(d.organizations.totalCount).toBe(before.data.organizations.totalCount + 1);
  expect(d.search.map((s) => s.node.id)).toContain(ids.created);
  // Lineage: the parent renamed now, as it was then.
  expect(d.lineage.edges.map((e) => e.parent.name)).toEqual([`${p} One (renamed)`]);
  expect(before.data.lineage.edges.map((e) => e.parent.name)).toEqual([`${p} One`]);
  // Access: blocked then on the one channel offering the model (60% from CN); nothing offers it now.
  expect(before.data.accessCheck).toMatchObject({ decision: 'BLOCKED', channels: [{ decision: 'BLOCKED' }] });
  expect(d.accessCheck.channels).toEqual([]);
  expect(d.accessCheck.decision).not.toBe('BLOCKED');
  expect(before.data.search.map((s) => s.node.id)).not.toContain(ids.created);
});

it('answers the questions over the graph with the writes made since, and as they were when asked then', async () => {
  const now = (await h.as('reader', READS, { k: null })).data as Reads;
  const then = before.data;
  // Identifiers: the corrected key finds the parent now, the old one found it then; the newcomer's is new.
  expect(then.oldKey).toEqual([{ id: ids.parent, name: `${p} Parent` }]);
  expect(now.oldKey).toEqual([]);
  expect([then.newKey, now.newKey]).toEqual([[], [{ id: ids.parent }]]);
  expect([then.newcomerKey, now.newcomerKey]).toEqual([[], [{ id: ids.created }]]);
  // The verdict: 60% from China then; 30% now the stake was corrected and the new one took over.
  expect(then.verdict).toMatchObject({ verdict: 'COVERED', entity: { name: `${p} Sub` } });
  expect(then.verdict.explanation.paths[0]?.root.name).toBe(`${p} Parent`);
  expect(now.verdict.verdict).toBe('NOT_COVERED');
  expect(then.exposure.ultimateOwners.map((o) => o.party.name)).toEqual([`${p} Parent`]);
  expect(now.exposure.ultimateOwners.map((o) => o.party.name)).toEqual([`${p} Holdings`]);
  // Models: the renamed parent model upstream of the child; a third model developed since.
  expect(then.modelJurisdiction.upstream.map((u) => u.model.name)).toEqual([`${p} One`]);
  expect(now.modelJurisdiction.upstream.map((u) => u.model.name)).toEqual([`${p} One (renamed)`]);
  expect(idsOf(then.issuerModels.develops).sort()).toEqual([ids.model, ids.child].sort());
  expect(idsOf(now.issuerModels.develops).sort()).toEqual([ids.model, ids.child, ids.later].sort());
  expect(then.issuerModels.byPolicy[0]?.offeredModels).toEqual([{ name: `${p} One` }]);
  expect(now.issuerModels.byPolicy[0]).toMatchObject({ decision: 'NOT_OFFERED', offeredModels: [] });
  expect(then.subModels.byPolicy[0]).toMatchObject({ decision: 'BLOCKED', verdict: { verdict: 'COVERED' } });
  expect(now.subModels.byPolicy[0]?.decision).toBe('NOT_OFFERED');
  // Connections: one stake then, the corrected one and the new one now; the channel offered the model then,
  // and now meets it only through their developer.
  expect(then.connections.map((c) => c.steps.map((s) => s.share.exact))).toEqual([[60]]);
  expect(now.connections.map((c) => c.steps.map((s) => s.share.exact)).sort()).toEqual([[30], [40]]);
  expect(then.connections[0]?.steps[0]?.description).toContain(`${p} Parent`);
  expect(now.connections[0]?.steps[0]?.description).toContain(`${p} Holdings`);
  expect(then.channelToModel.map((c) => c.steps.map((s) => s.type))).toEqual([['OFFERS']]);
  expect(now.channelToModel.map((c) => c.steps.map((s) => s.type))).toEqual([
    ['OPERATED_BY', 'DEVELOPED_BY'],
  ]);
});

it('answers fields under a knownAsOf root as of the root, while a sibling root reads the current graph', async () => {
  const both = await h.as(
    'reader',
    `query($k: DateTime) {
      then: organization(id: "${ids.sub}", knownAsOf: $k) { owners { owner { name } share { exact } } }
      now: organization(id: "${ids.sub}") { owners { owner { name } share { exact } } }
      thenModel: model(id: "${ids.child}", knownAsOf: $k) { derivedFrom { parent { name offerings { id } } } }
      nowModel: model(id: "${ids.child}") { derivedFrom { parent { name offerings { id } } } }
    }`,
    { k: capturedAt },
  );
  expect(both.errors).toBeUndefined();
  expect(both.data.then.owners).toEqual([{ owner: { name: `${p} Parent` }, share: { exact: 60 } }]);
  expect(both.data.now.owners).toEqual([
    { owner: { name: `${p} Holdings` }, share: { exact: 40 } },
    { owner: { name: `${p} Holdings` }, share: { exact: 30 } },
  ]);
  expect(both.data.thenModel.derivedFrom).toEqual([
    { parent: { name: `${p} One`, offerings: [{ id: ids.offering }] } },
  ]);
  expect(both.data.nowModel.derivedFrom).toEqual([{ parent: { name: `${p} One (renamed)`, offerings: [] } }]);
});

it('knows nothing at an instant before the first load', async () => {
  const long = '2000-01-01T00:00:00Z';
  const empty = await h.as('reader', `query($k: DateTime) {${RECORD_READS}}`, { k: long });
  expect(empty.errors).toBeUndefined();
  expect(empty.data).toMatchObject({
    sub: null,
    parent: null,
    model: null,
    policy: null,
    organizations: { totalCount: 0, nodes: [] },
    search: [],
  });
  const lineage = await h.as(
    'reader',
    `{ lineage(model: "${ids.model}", knownAsOf: "${long}") { root { id } } }`,
  );
  expect(lineage.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'model' });
  const sorted = [...before.data.organizations.nodes].sort(byName);
  expect(idsOf(sorted)).toEqual([ids.issuer, ids.parent, ids.sub]);
});

describe('an invalid knownAsOf', () => {
  it('in the future is refused, naming the argument', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const result = await h.as(
      'reader',
      `query($k: DateTime) { organization(id: "${ids.sub}", knownAsOf: $k) { id } }`,
      {
        k: future,
      },
    );
    expect(result.data?.organization ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'knownAsOf' });
    expect(result.errors?.[0]?.message).toContain('must not be in the future');
  });

  it('that is not a date-time is refused, naming the variable and the type', async () => {
    const result = await h.as(
      'reader',
      `query($k: DateTime) { organizations(knownAsOf: $k) { totalCount } }`,
      {
        k: '2026-02-30',
      },
    );
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/\$k.*DateTime|DateTime.*\$k/s);
  });
});
