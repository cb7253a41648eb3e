import { applyChange } from '../src/write/applyChange';
import { baseGraph, useWriteHarness } from './support/writeHarness';

/**
 * Issue 12, history: a correction supersedes the wrong version, which stays readable with who corrected it,
 * when and why; a new stake ends the old one as a dated change; and `knownAsOf` reproduces the verdict the
 * API gave before a correction, while the current verdict follows the correction.
 */

const h = useWriteHarness();
const p = 'hist';
const own = `own:${p}-parent-sub`;
const src = `src:${p}-filing`;
const entity = `org:${p}-sub`;
const policy = `policy:${p}-cn-50`;

const VERDICT = `query($knownAsOf: DateTime) {
  policyVerdict(entity: "${entity}", policy: "${policy}", asOf: "2026-01-01", knownAsOf: $knownAsOf) {
    verdict aggregate { lower upper verdict }
    explanation { sentence paths { steps { from { id } to { id } share { exact } sources { id } } } }
  }
}`;

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeAll(() => h.load(baseGraph(p)));

it('reproduces with knownAsOf the verdict given before a correction, while the current verdict follows it', async () => {
  const given = await h.as('reader', VERDICT);
  expect(given.errors).toBeUndefined();
  expect(given.data.policyVerdict.verdict).toBe('COVERED');
  await pause();
  const saidOn = new Date().toISOString();
  await pause();

  const correction = await h.as(
    'editor',
    `mutation { correctShare(id: "${own}", share: {exact: 40}, expectedVersion: 1, reason: "The registry says 40%, not 60%",
       newSources: [{id: "src:${p}-registry-2025", url: "https://example.org/registry", publisher: "Registry", title: "Extract"}]) {
       written changeSet { id at } } }`,
  );
  expect(correction.data.correctShare.written).toBe(true);

  const now = await h.as('reader', VERDICT);
  expect(now.data.policyVerdict).toMatchObject({
    verdict: 'NOT_COVERED',
    aggregate: { lower: 40, upper: 40 },
  });
  const then = await h.as('reader', VERDICT, { knownAsOf: saidOn });
  expect(then.errors).toBeUndefined();
  expect(then.data).toEqual(given.data);
  // The sweep and the screen, asked with the same instant, agree with the verdict given that day.
  const sweep = `query($k: DateTime) { coveredEntities(policy: "${policy}", asOf: "2026-01-01", knownAsOf: $k) { nodes { party { id } verdict } } }`;
  const screen = `query($k: DateTime) { screen(customers: {ids: ["${entity}"]}, policies: ["${policy}"], asOf: "2026-01-01", knownAsOf: $k) { results { match { id } verdicts { verdict } } } }`;
  expect((await h.as('reader', sweep, { k: saidOn })).data.coveredEntities.nodes).toEqual([
    { party: { id: `org:${p}-parent` }, verdict: 'COVERED' },
    { party: { id: entity }, verdict: 'COVERED' },
  ]);
  expect((await h.as('reader', sweep)).data.coveredEntities.nodes).toEqual([
    { party: { id: `org:${p}-parent` }, verdict: 'COVERED' },
  ]);
  expect((await h.as('reader', screen, { k: saidOn })).data.screen.results).toEqual([
    { match: { id: entity }, verdicts: [{ verdict: 'COVERED' }] },
  ]);
  expect((await h.as('reader', screen)).data.screen.results).toEqual([
    { match: { id: entity }, verdicts: [{ verdict: 'NOT_COVERED' }] },
  ]);
  // An instant after the correction sees it, the same as the current answer.
  const after = await h.as('reader', VERDICT, { knownAsOf: new Date().toISOString() });
  expect(after.data).toEqual(now.data);

  const history = await h.as(
    'reader',
    `{ history(id: "${own}") { version kind retracted recordedAt supersededAt properties
        changeSet { reason author { id } } supersededBy { id reason author { id name } sources { id } } } }`,
  );
  const [wrong, corrected] = history.data.history;
  expect(history.data.history).toHaveLength(2);
  expect(wrong).toMatchObject({
    version: 1,
    kind: 'OWNS',
    retracted: false,
    properties: { shareExact: 60, sourceIds: [src] },
    changeSet: { reason: 'Loaded data-set file fixture.json', author: { id: 'system:loader' } },
    supersededBy: {
      id: correction.data.correctShare.changeSet.id,
      reason: 'The registry says 40%, not 60%',
      author: { id: 'key:test-editor', name: 'Test editor' },
      sources: [{ id: src }, { id: `src:${p}-registry-2025` }],
    },
  });
  expect(wrong.supersededAt).toBe(correction.data.correctShare.changeSet.at);
  expect(corrected).toMatchObject({
    version: 2,
    supersededAt: null,
    supersededBy: null,
    properties: { shareExact: 40, sourceIds: [src, `src:${p}-registry-2025`] },
  });
  expect(corrected.recordedAt).toBe(wrong.supersededAt);
});

it('ends the old stake when a new one is recorded, both kept in history with their dates', async () => {
  const newStake = `own:${p}-parent-sub-2025`;
  const { data } = await h.as(
    'editor',
    `mutation { recordStake(input: {id: "${newStake}", owner: "org:${p}-parent", owned: "${entity}", share: {exact: 25},
        startDate: "2025-06-01", confidence: REPORTED}, reason: "Parent sold down to 25%", sources: ["${src}"]) {
        written created updated recordIds } }`,
  );
  expect(data.recordStake).toEqual({ written: true, created: 1, updated: 1, recordIds: [newStake, own] });
  const stakes = await h.as(
    'reader',
    `{ organization(id: "${entity}") { owners { id share { exact } startDate endDate } } }`,
  );
  expect(stakes.data.organization.owners).toEqual([
    { id: own, share: { exact: 40 }, startDate: '2020-01-01', endDate: '2025-06-01' },
    { id: newStake, share: { exact: 25 }, startDate: '2025-06-01', endDate: null },
  ]);
  const history = await h.as(
    'reader',
    `{ history(id: "${own}") { version properties supersededBy { reason } } }`,
  );
  expect(history.data.history.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
  expect(history.data.history[1]).toMatchObject({
    properties: { shareExact: 40 },
    supersededBy: { reason: 'Parent sold down to 25%' },
  });
  expect(history.data.history[2].properties).toMatchObject({ shareExact: 40, endDate: '2025-06-01' });
});

it('keeps a retracted record readable in history and in questions asked with an earlier knownAsOf', async () => {
  const before = new Date().toISOString();
  await pause();
  const retracted = await h.as(
    'editor',
    `mutation { retractRecord(id: "${own}", reason: "Filed against the wrong company", sources: ["${src}"]) {
        written retracted recordIds } }`,
  );
  expect(retracted.data.retractRecord).toEqual({ written: true, retracted: 1, recordIds: [own] });
  const owners = `query($k: DateTime) { policyVerdict(entity: "${entity}", policy: "${policy}", asOf: "2025-01-01", knownAsOf: $k) {
    explanation { paths { steps { from { id } } } } aggregate { lower } } }`;
  expect((await h.as('reader', owners)).data.policyVerdict.aggregate.lower).toBe(0);
  expect((await h.as('reader', owners, { k: before })).data.policyVerdict.aggregate.lower).toBe(40);
  const history = await h.as(
    'reader',
    `{ history(id: "${own}") { version retracted supersededBy { reason } } }`,
  );
  expect(history.data.history.at(-1)).toEqual({
    version: 3,
    retracted: true,
    supersededBy: { reason: 'Filed against the wrong company' },
  });
});

it('retracts an organization nothing refers to, and refuses one that stakes still refer to, naming them', async () => {
  const lone = `org:${p}-lone`;
  const created = await h.as(
    'editor',
    `mutation { createRecord(kind: ORGANIZATION, record: {id: "${lone}", name: "${p} Lone", type: "COMPANY",
       headquarters: "US", sources: ["${src}"]}, reason: "Listed", sources: ["${src}"]) { written } }`,
  );
  expect(created.data.createRecord.written).toBe(true);
  const refused = await h.as(
    'editor',
    `mutation { retractRecord(id: "org:${p}-parent", reason: "Wrong", sources: ["${src}"]) {
        written problems { field message } } }`,
  );
  expect(refused.errors).toBeUndefined();
  expect(refused.data.retractRecord.written).toBe(false);
  expect(refused.data.retractRecord.problems[0]).toMatchObject({
    field: 'id',
    message: expect.stringContaining('is still referred to by'),
  });
  const retracted = await h.as(
    'editor',
    `mutation { retractRecord(id: "${lone}", reason: "Entered in error", sources: ["${src}"]) {
        written retracted recordIds } }`,
  );
  expect(retracted.errors).toBeUndefined();
  expect(retracted.data.retractRecord).toEqual({ written: true, retracted: 1, recordIds: [lone] });
  expect((await h.as('reader', `{ organization(id: "${lone}") { id } }`)).data.organization).toBeNull();
  const history = await h.as('reader', `{ history(id: "${lone}") { version retracted } }`);
  expect(history.data.history.at(-1)).toEqual({ version: 1, retracted: true });
});

it('answers NOT_FOUND for an entity the database did not know yet at knownAsOf', async () => {
  const { errors } = await h.as('reader', VERDICT, { knownAsOf: '2001-01-01T00:00:00Z' });
  expect(errors?.[0]).toMatchObject({
    extensions: { code: 'NOT_FOUND', argument: 'entity' },
    message: expect.stringContaining('known at 2001-01-01T00:00:00.000Z'),
  });
});

it("keeps a past version's own kind: a policy's kind survives its correction in history and in knownAsOf", async () => {
  const before = await h.as('reader', `{ policy(id: "${policy}") { name kind } }`);
  expect(before.data.policy.kind).toBe('PROVIDER_RESTRICTION');
  await pause();
  const saidOn = new Date().toISOString();
  await pause();
  const renamed = await h.as(
    'editor',
    `mutation { updateRecord(id: "${policy}", changes: {name: "Renamed restriction"}, reason: "Official title",
       sources: ["${src}"]) { written } }`,
  );
  expect(renamed.data.updateRecord.written).toBe(true);

  const then = await h.as(
    'reader',
    `query($k: DateTime) { policy(id: "${policy}", knownAsOf: $k) { name kind } }`,
    {
      k: saidOn,
    },
  );
  expect(then.errors).toBeUndefined();
  expect(then.data.policy).toEqual(before.data.policy);
  const history = await h.as('reader', `{ history(id: "${policy}") { version kind properties } }`);
  const [past, current] = history.data.history as Array<{
    kind: string;
    properties: Record<string, unknown>;
  }>;
  // `kind` of a history entry is what the record is; the policy's own kind stays among its properties.
  expect(past).toMatchObject({
    kind: 'Policy',
    properties: { kind: 'PROVIDER_RESTRICTION', name: before.data.policy.name },
  });
  expect(current).toMatchObject({
    kind: 'Policy',
    properties: { kind: 'PROVIDER_RESTRICTION', name: 'Renamed restriction' },
  });
});

it('records one change set for a call that both writes and retracts, listing every record it touched', async () => {
  const q = 'mix';
  await h.load(baseGraph(q));
  const outcome = await applyChange(h.db, {
    author: { id: 'key:editor', name: 'editor' },
    reason: 'A new holder, and a stake that never was',
    records: {
      organizations: [
        {
          id: `org:${q}-newcomer`,
          name: `${q} Newcomer`,
          type: 'COMPANY',
          headquarters: 'US',
          sources: [`src:${q}-filing`],
        },
      ],
    },
    retract: [`own:${q}-parent-sub`],
  });
  expect(outcome.problems).toEqual([]);
  expect(outcome).toMatchObject({ written: true, created: 1, retracted: 1 });
  const changes = await h.as('reader', `query($id: ID!) { changes(entity: $id) { id recordIds } }`, {
    id: `org:${q}-newcomer`,
  });
  expect(changes.errors).toBeUndefined();
  const [change] = changes.data.changes as Array<{ id: string; recordIds: string[] }>;
  expect(change?.id).toBe(outcome.changeSet?.id);
  expect([...change!.recordIds].sort()).toEqual([`org:${q}-newcomer`, `own:${q}-parent-sub`].sort());
});

it('lists every change set that touched a record, from its creation to its retraction, newest first', async () => {
  const q = 'life';
  await h.load(baseGraph(q));
  const stake = `own:${q}-parent-sub`;
  const editor = { id: 'key:editor', name: 'editor' };
  const [created] = baseGraph(q).ownerships!;
  const steps = [
    { reason: 'Corrected share', records: { ownerships: [{ ...created!, share: { exact: 45 } }] } },
    {
      reason: 'Stake ended',
      records: { ownerships: [{ ...created!, share: { exact: 45 }, endDate: '2025-06-30' }] },
    },
    { reason: 'Never was', retract: [stake] },
    {
      reason: 'Unrelated',
      records: { organizations: [{ ...baseGraph(q).organizations![0]!, name: 'Other' }] },
    },
  ];
  for (const step of steps) {
    await pause();
    const outcome = await applyChange(h.db, { author: editor, sourceIds: [`src:${q}-filing`], ...step });
    expect(outcome.problems).toEqual([]);
  }
  const answer = await h.as('reader', `query($id: ID!) { changes(entity: $id, first: 100) { id reason } }`, {
    id: stake,
  });
  expect(answer.errors).toBeUndefined();
  const listed = answer.data.changes as Array<{ id: string; reason: string }>;
  // The change sets whose list of records names the stake: what `changes(entity:)` must give.
  const expected = await h.db.readRows<{ id: string }>(
    'MATCH (c:ChangeSet) WHERE $id IN c.recordIds RETURN c.id AS id ORDER BY c.at DESC, c.id',
    { id: stake },
  );
  expect(listed.map((c) => c.id)).toEqual(expected.map((c) => c.id));
  expect(listed.map((c) => c.reason).slice(0, 3)).toEqual(['Never was', 'Stake ended', 'Corrected share']);
  expect(listed).toHaveLength(4);
});
