import type { Principal } from '../src/auth/principal';
import { createApp, type App } from '../src/app';
import { createLogger } from '../src/log';
import { TEST_CONFIG, type Answer } from './support/seededApp';
import { baseGraph, PRINCIPALS, useWriteHarness } from './support/writeHarness';

/**
 * Issue 12 item 6, "what changed for me": watchlists stored in Neo4j (who may create, change and delete them,
 * and what is refused), and `verdictChanges`, which says which watched verdicts each change set changed, with
 * the verdict and explanation just before and just after it.
 */

const h = useWriteHarness();
const p = 'watch';
const entity = `org:${p}-sub`;
const parent = `org:${p}-parent`;
const policy = `policy:${p}-cn-50`;
const own = `own:${p}-parent-sub`;
const src = `src:${p}-filing`;
const otherEditor: Principal = {
  id: 'key:other-editor',
  name: 'Other editor',
  role: 'editor',
  via: 'api-key',
};

async function asPrincipal(principal: Principal, query: string, variables: Record<string, unknown> = {}) {
  return run(h.app, principal, query, variables);
}

async function run(app: App, principal: Principal, query: string, variables: Record<string, unknown> = {}) {
  const contextValue = app.context();
  contextValue.principal = principal;
  const response = await app.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
  return { data: response.body.singleResult.data, errors: response.body.singleResult.errors } as Answer;
}

const CREATE = `mutation($input: WatchlistInput!) {
  createWatchlist(input: $input) { id name version owner { id name } entityIds entities { id } policyIds policies { id }
    webhook { url hasSecret } createdAt updatedAt }
}`;

const LIST_COUNT = `{ watchlists(first: 100) { id } }`;

async function watchlistCount(): Promise<number> {
  const answer = await h.as('reader', LIST_COUNT);
  expect(answer.errors).toBeUndefined();
  return (answer.data.watchlists as unknown[]).length;
}

async function createList(
  input: Record<string, unknown>,
  who: Principal = PRINCIPALS.editor,
): Promise<string> {
  const answer = await asPrincipal(who, CREATE, { input });
  expect(answer.errors).toBeUndefined();
  return answer.data.createWatchlist.id as string;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeAll(() => h.load(baseGraph(p)));

describe('Watchlists: who may create, change and delete them', () => {
  it('creates a list owned by the editor who asked, readable by a reader', async () => {
    const input = { name: 'Suppliers', entities: [entity, parent, entity], policies: [policy] };
    const created = await h.as('editor', CREATE, { input });
    expect(created.errors).toBeUndefined();
    expect(created.data.createWatchlist).toMatchObject({
      name: 'Suppliers',
      version: 1,
      owner: { id: PRINCIPALS.editor.id, name: PRINCIPALS.editor.name },
      entityIds: [entity, parent],
      entities: [{ id: entity }, { id: parent }],
      policyIds: [policy],
      policies: [{ id: policy }],
      webhook: null,
    });
    const id = created.data.createWatchlist.id as string;
    const read = await h.as('reader', `query($id: ID!) { watchlist(id: $id) { id name entityIds } }`, { id });
    expect(read.data.watchlist).toEqual({ id, name: 'Suppliers', entityIds: [entity, parent] });
    const mine = await h.as('reader', `query($o: ID) { watchlists(owner: $o) { id } }`, {
      o: PRINCIPALS.editor.id,
    });
    expect(mine.data.watchlists).toContainEqual({ id });
    const others = await h.as('reader', `query($o: ID) { watchlists(owner: $o) { id } }`, {
      o: otherEditor.id,
    });
    expect(others.data.watchlists).not.toContainEqual({ id });
  });

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['reader', 'FORBIDDEN'],
  ] as const)('refuses a list from %s (%s), writing nothing', async (who, code) => {
    const before = await watchlistCount();
    const answer = await h.as(who, CREATE, { input: { name: 'x', entities: [entity], policies: [policy] } });
    expect(answer.errors?.[0]?.extensions?.code).toBe(code);
    expect(answer.errors?.[0]?.message).toMatch(/editor/);
    expect(await watchlistCount()).toBe(before);
  });

  it('lets only the owner or an admin change or delete a list', async () => {
    const id = await createList({ name: 'Mine', entities: [entity], policies: [policy] });
    const update = `mutation($id: ID!, $input: WatchlistInput!) { updateWatchlist(id: $id, input: $input) { name version } }`;
    const input = { name: 'Renamed', entities: [entity], policies: [policy] };
    const refused = await asPrincipal(otherEditor, update, { id, input });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain(PRINCIPALS.editor.id);
    const deleteRefused = await asPrincipal(otherEditor, `mutation($id: ID!) { deleteWatchlist(id: $id) }`, {
      id,
    });
    expect(deleteRefused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const byOwner = await h.as('editor', update, { id, input });
    expect(byOwner.data.updateWatchlist).toEqual({ name: 'Renamed', version: 2 });
    const byAdmin = await h.as('admin', update, { id, input: { ...input, name: 'By admin' } });
    expect(byAdmin.data.updateWatchlist).toEqual({ name: 'By admin', version: 3 });
    const deleted = await h.as('admin', `mutation($id: ID!) { deleteWatchlist(id: $id) }`, { id });
    expect(deleted.data.deleteWatchlist).toBe(id);
    const gone = await h.as('reader', `query($id: ID!) { watchlist(id: $id) { id } }`, { id });
    expect(gone.data.watchlist).toBeNull();
    const again = await h.as('admin', `mutation($id: ID!) { deleteWatchlist(id: $id) }`, { id });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', argument: 'id' } });
  });

  it('refuses a stale update with CONFLICT naming both versions', async () => {
    const id = await createList({ name: 'Versioned', entities: [entity], policies: [policy] });
    const update = `mutation($id: ID!, $input: WatchlistInput!, $v: Int) { updateWatchlist(id: $id, input: $input, expectedVersion: $v) { version } }`;
    const input = { name: 'First', entities: [entity], policies: [policy] };
    expect((await h.as('editor', update, { id, input, v: 1 })).data.updateWatchlist).toEqual({ version: 2 });
    const stale = await h.as('editor', update, { id, input: { ...input, name: 'Second' }, v: 1 });
    expect(stale.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT', expectedVersion: 1, foundVersion: 2 },
    });
    const read = await h.as('reader', `query($id: ID!) { watchlist(id: $id) { name version } }`, { id });
    expect(read.data.watchlist).toEqual({ name: 'First', version: 2 });
  });
});

describe('Watchlists: what is refused, with the field named and nothing written', () => {
  it.each([
    {
      name: 'an unknown entity',
      input: { name: 'x', entities: [entity, 'org:nobody'], policies: [policy] },
      code: 'NOT_FOUND',
      argument: 'input.entities[1]',
      message: /org:nobody/,
    },
    {
      name: 'a policy given as an entity',
      input: { name: 'x', entities: [policy], policies: [policy] },
      code: 'NOT_FOUND',
      argument: 'input.entities[0]',
      message: /organization or person/,
    },
    {
      name: 'an unknown policy',
      input: { name: 'x', entities: [entity], policies: ['policy:nothing'] },
      code: 'NOT_FOUND',
      argument: 'input.policies[0]',
      message: /policy:nothing/,
    },
    {
      name: 'an empty entity list',
      input: { name: 'x', entities: [], policies: [policy] },
      code: 'BAD_USER_INPUT',
      argument: 'input.entities',
      message: /at least one party/,
    },
    {
      name: 'too many entities',
      input: { name: 'x', entities: Array.from({ length: 101 }, (_, i) => `org:n${i}`), policies: [policy] },
      code: 'BAD_USER_INPUT',
      argument: 'input.entities',
      message: /at most 100 .*WATCHLIST_MAX_ENTITIES/,
    },
    {
      name: 'a blank name',
      input: { name: '  ', entities: [entity], policies: [policy] },
      code: 'BAD_USER_INPUT',
      argument: 'input.name',
      message: /must not be empty/,
    },
    {
      name: 'a webhook URL that is not http(s)',
      input: {
        name: 'x',
        entities: [entity],
        policies: [policy],
        webhook: { url: 'ftp://example.org/x', secret: 's'.repeat(20) },
      },
      code: 'BAD_USER_INPUT',
      argument: 'input.webhook.url',
      message: /http or https URL/,
    },
  ])('$name', async ({ input, code, argument, message }) => {
    const before = await watchlistCount();
    const answer = await h.as('editor', CREATE, { input });
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code, argument } });
    expect(answer.errors?.[0]?.message).toMatch(message);
    expect(await watchlistCount()).toBe(before);
  });

  it('a short webhook secret is refused without echoing it', async () => {
    const secret = 'tooShort-s3cret';
    const answer = await h.as('editor', CREATE, {
      input: {
        name: 'x',
        entities: [entity],
        policies: [policy],
        webhook: { url: 'https://example.org/h', secret },
      },
    });
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.webhook.secret' },
    });
    expect(answer.errors?.[0]?.message).toMatch(/at least 16 characters/);
    expect(JSON.stringify(answer.errors)).not.toContain(secret);
  });

  it('shows the webhook URL to the owner only, and never the secret', async () => {
    const secret = 'a-long-enough-secret-value';
    const id = await createList({
      name: 'Hooked',
      entities: [entity],
      policies: [policy],
      webhook: { url: 'https://example.org/hook', secret },
    });
    const query = `query($id: ID!) { watchlist(id: $id) { webhook { url hasSecret } deliveries { id } } }`;
    const owner = await h.as('editor', query, { id });
    expect(owner.data.watchlist).toEqual({
      webhook: { url: 'https://example.org/hook', hasSecret: true },
      deliveries: [],
    });
    const reader = await h.as('reader', query, { id });
    expect(reader.data.watchlist).toEqual({ webhook: null, deliveries: [] });
    expect(JSON.stringify([owner, reader])).not.toContain(secret);
    // An update that leaves the webhook out keeps it; null removes it.
    const update = `mutation($id: ID!, $input: WatchlistInput!) { updateWatchlist(id: $id, input: $input) { webhook { url } } }`;
    const kept = await h.as('editor', update, {
      id,
      input: { name: 'Hooked', entities: [entity], policies: [policy] },
    });
    expect(kept.data.updateWatchlist).toEqual({ webhook: { url: 'https://example.org/hook' } });
    const removed = await h.as('editor', update, {
      id,
      input: { name: 'Hooked', entities: [entity], policies: [policy], webhook: null },
    });
    expect(removed.data.updateWatchlist).toEqual({ webhook: null });
    await h.as('editor', `mutation($id: ID!) { deleteWatchlist(id: $id) }`, { id });
  });
});

const CHANGES = `query($id: ID!, $since: DateTime!, $until: DateTime, $asOf: Date) {
  verdictChanges(watchlist: $id, since: $since, until: $until, asOf: $asOf) {
    watchlist { id } since until truncated nextSince changeSetsExamined changeSetsSkipped
    changes {
      changeSet { id at reason author { id } recordIds sources { id } }
      entityId entity { id } policyId policy { id } asOf knownBefore knownAfter changed
      before { verdict aggregate { lower upper } explanation { sentence } }
      after { verdict aggregate { lower upper } explanation { sentence } }
    }
  }
}`;

describe('verdictChanges: which watched verdicts each change set changed', () => {
  let listId: string;
  let since: string;
  let correctionId: string;
  let correctionAt: string;
  let aliasId: string;

  beforeAll(async () => {
    listId = await createList({ name: 'Sub under the CN rule', entities: [entity], policies: [policy] });
    await pause();
    since = new Date().toISOString();
    await pause();
    // Touches nothing upstream of the entity: skipped without a verdict computed.
    const unrelated = await h.as(
      'editor',
      `mutation { addSource(source: {id: "src:${p}-unrelated", url: "https://example.org/u", publisher: "P", title: "T"}, reason: "Another file") { written } }`,
    );
    expect(unrelated.data.addSource.written).toBe(true);
    // Touches the entity, but its verdict stays: examined, nothing reported.
    const alias = await h.as(
      'editor',
      `mutation { addAlias(id: "${entity}", alias: "${p} Subsidiary", reason: "Trade name", sources: ["${src}"]) { written changeSet { id } } }`,
    );
    aliasId = alias.data.addAlias.changeSet.id as string;
    // Changes the verdict: 60% -> 40% under a 50% rule.
    const correction = await h.as(
      'editor',
      `mutation { correctShare(id: "${own}", share: {exact: 40}, reason: "The registry says 40%", sources: ["${src}"]) { written changeSet { id at } } }`,
    );
    correctionId = correction.data.correctShare.changeSet.id as string;
    correctionAt = correction.data.correctShare.changeSet.at as string;
  });

  it('reports the correction with the verdict and explanation just before and just after it', async () => {
    const answer = await h.as('reader', CHANGES, { id: listId, since, until: correctionAt });
    expect(answer.errors).toBeUndefined();
    const report = answer.data.verdictChanges;
    expect(report).toMatchObject({
      watchlist: { id: listId },
      since,
      until: correctionAt,
      truncated: false,
      nextSince: null,
      changeSetsExamined: 3,
      changeSetsSkipped: 1,
    });
    expect(report.changes).toHaveLength(1);
    const [change] = report.changes;
    expect(change).toMatchObject({
      changeSet: {
        id: correctionId,
        reason: 'The registry says 40%',
        author: { id: PRINCIPALS.editor.id },
        recordIds: [own],
        sources: [{ id: src }],
      },
      entityId: entity,
      entity: { id: entity },
      policyId: policy,
      policy: { id: policy },
      changed: ['VERDICT', 'SHARE'],
      before: { verdict: 'COVERED', aggregate: { lower: 60, upper: 60 } },
      after: { verdict: 'NOT_COVERED', aggregate: { lower: 40, upper: 40 } },
    });
    expect(change.asOf).toBe(change.changeSet.at.slice(0, 10));
    expect(change.knownAfter).toBe(change.changeSet.at);
    expect(Date.parse(change.knownAfter) - Date.parse(change.knownBefore)).toBe(1);
    expect(change.before.explanation.sentence).not.toEqual(change.after.explanation.sentence);
  });

  it('gives the same before and after as policyVerdict asked with those knownAsOf instants', async () => {
    const report = (
      await h.as('reader', CHANGES, { id: listId, since, until: correctionAt, asOf: '2026-01-01' })
    ).data.verdictChanges;
    const [change] = report.changes;
    expect(change.asOf).toBe('2026-01-01');
    const verdict = `query($k: DateTime) { policyVerdict(entity: "${entity}", policy: "${policy}", asOf: "2026-01-01", knownAsOf: $k) {
      verdict aggregate { lower upper } explanation { sentence } } }`;
    const before = await h.as('reader', verdict, { k: change.knownBefore });
    const after = await h.as('reader', verdict, { k: change.knownAfter });
    expect(change.before).toEqual(before.data.policyVerdict);
    expect(change.after).toEqual(after.data.policyVerdict);
  });

  it('reports nothing for a window that ends before the correction', async () => {
    const alias = (
      await h.as('reader', `{ changes(entity: "${entity}", first: 5) { id at } }`)
    ).data.changes.find((c: { id: string }) => c.id === aliasId);
    const answer = await h.as('reader', CHANGES, { id: listId, since, until: alias.at });
    expect(answer.data.verdictChanges).toMatchObject({
      changes: [],
      changeSetsExamined: 2,
      changeSetsSkipped: 1,
    });
  });

  it('reports a policy change for every watched entity it changes', async () => {
    const watchBoth = await createList({ name: 'Both', entities: [entity, parent], policies: [policy] });
    await pause();
    const from = new Date().toISOString();
    const rule = {
      threshold: 30,
      thresholdInclusive: true,
      countryBasis: 'HEADQUARTERS',
      includesIndirect: true,
      aggregation: 'AGGREGATE',
      controlCounts: false,
    };
    const changed = await h.as(
      'editor',
      `mutation($c: JSONObject!) { updateRecord(id: "${policy}", changes: $c, reason: "Threshold lowered to 30%", sources: ["${src}"]) { written problems { field message } } }`,
      { c: { ownershipRule: rule } },
    );
    expect(changed.data.updateRecord).toEqual({ written: true, problems: [] });
    const report = (await h.as('reader', CHANGES, { id: watchBoth, since: from })).data.verdictChanges;
    // The parent is a starting point (based in CN): covered before and after, so only the subsidiary changed.
    expect(
      report.changes.map((c: { entityId: string; changed: string[] }) => [c.entityId, c.changed]),
    ).toEqual([[entity, ['VERDICT']]]);
    expect(report.changes[0].after.verdict).toBe('COVERED');
  });

  it('asks for the rest with nextSince when the change-set bound stops it', async () => {
    const bounded = await createApp(
      h.db,
      { ...TEST_CONFIG, VERDICT_CHANGES_MAX_CHANGE_SETS: 2 },
      createLogger('silent'),
    );
    try {
      const first = (await run(bounded, PRINCIPALS.reader, CHANGES, { id: listId, since })).data
        .verdictChanges;
      expect(first).toMatchObject({ truncated: true, changeSetsExamined: 2, changes: [] });
      const rest = (await run(bounded, PRINCIPALS.reader, CHANGES, { id: listId, since: first.nextSince }))
        .data.verdictChanges;
      expect(rest.changes[0].changeSet.id).toBe(correctionId);
    } finally {
      await bounded.stop(1000);
    }
  });

  it('refuses an unknown watchlist and a window that ends before it starts', async () => {
    const unknown = await h.as('reader', CHANGES, { id: 'watchlist:none', since });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', argument: 'watchlist' } });
    const backwards = await h.as('reader', CHANGES, { id: listId, since, until: '2020-01-01T00:00:00Z' });
    expect(backwards.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'until' },
    });
  });
});

describe('verdictChanges: a watched party retracted', () => {
  const gone = `org:${p}-gone`;

  it('names the party in the verdict before the retraction, as known then, with nothing after it', async () => {
    const created = await h.as(
      'editor',
      `mutation { createRecord(kind: ORGANIZATION, record: {id: "${gone}", name: "${p} Gone", type: "COMPANY",
         headquarters: "CN", sources: ["${src}"]}, reason: "Listed", sources: ["${src}"]) { written } }`,
    );
    expect(created.data.createRecord.written).toBe(true);
    const listId = await createList({ name: 'Gone', entities: [gone], policies: [policy] });
    await pause();
    const from = new Date().toISOString();
    await pause();
    const retracted = await h.as(
      'editor',
      `mutation { retractRecord(id: "${gone}", reason: "Entered in error", sources: ["${src}"]) { written } }`,
    );
    expect(retracted.errors).toBeUndefined();
    expect(retracted.data.retractRecord.written).toBe(true);
    const answer = await h.as(
      'reader',
      `query($id: ID!, $since: DateTime!) { verdictChanges(watchlist: $id, since: $since) { changes {
         entityId entity { id } changed
         before { verdict entity { name } policy { name } explanation { rootReason { kind country { code } } } }
         after { verdict }
       } } }`,
      { id: listId, since: from },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.verdictChanges.changes).toEqual([
      {
        entityId: gone,
        entity: null,
        changed: ['KNOWN'],
        before: {
          verdict: 'COVERED',
          entity: { name: `${p} Gone` },
          policy: { name: `${p} CN 50% rule` },
          explanation: { rootReason: { kind: 'HEADQUARTERS', country: { code: 'CN' } } },
        },
        after: null,
      },
    ]);
  });
});

describe('Watchlists: stored with their own keys', () => {
  it('keeps watchlist and delivery ids unique, and finds deliveries by list and status through indexes', async () => {
    const constraints = await h.db.readRows<{ name: string }>('SHOW CONSTRAINTS YIELD name RETURN name');
    expect(constraints.map((c) => c.name)).toEqual(
      expect.arrayContaining(['watchlist_id', 'webhook_delivery_id']),
    );
    const indexes = await h.db.readRows<{ name: string; properties: string[] }>(
      "SHOW INDEXES YIELD name, labelsOrTypes, properties WHERE 'WebhookDelivery' IN labelsOrTypes RETURN name, properties",
    );
    expect(indexes.map((i) => i.properties[0]).sort()).toEqual(['id', 'status', 'watchlistId']);
  });
});
