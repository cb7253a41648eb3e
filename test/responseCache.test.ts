import { buildSchema, parse } from 'graphql';
import { createApp, type App, type AppConfig } from '../src/app';
import type { Principal } from '../src/auth/principal';
import { selectsUnversionedField } from '../src/cache/responseCache';
import { loadTypeDefs } from '../src/graphql/schema';
import { upsertReviews } from '../src/queries/importReview';
import type { Database, Query } from '../src/db/database';
import type { Context } from '../src/graphql/context';
import { createLogger } from '../src/log';
import { loadConfig } from '../src/config';
import { bumpGraphVersion } from '../src/queries/graphVersion';
import { resetDatabase, testDatabase } from './support/database';
import { TEST_CONFIG } from './support/seededApp';

/**
 * The response cache (src/cache/responseCache.ts) is keyed by the graph version counter, so it can never
 * answer from before a write: each case sets up its own organization and reads the queries a request sent.
 */

const ORG = 'org:cache-test';
const ASK = 'query One($id: ID!) { organization(id: $id) { id name } }';
const isVersionRead = (cypher: string) => cypher.includes(':GraphVersion');

let db: Database;
const apps: App[] = [];

async function appWith(config: Partial<AppConfig>): Promise<App> {
  const app = await createApp(db, { ...TEST_CONFIG, ...config }, createLogger('silent'));
  apps.push(app);
  return app;
}

const EDITOR: Principal = { id: 'key:cache-editor', name: 'Cache editor', role: 'editor', via: 'api-key' };

async function ask(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  principal?: Principal,
  contextValue: Context = app.context(undefined, principal),
) {
  const response = await app.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
  return {
    data: response.body.singleResult.data as Record<string, { name: string } | null> | undefined,
    errors: response.body.singleResult.errors,
    queries: contextValue.queries,
  };
}

/**
 * Holds the answer of every read of the graph version the context's request sends until `release()`: the read
 * has read the version (`read` resolves then) but is still in flight.
 */
function holdVersionReads(ctx: Context): { read: Promise<void>; release: () => void } {
  let release!: () => void;
  let readDone!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const read = new Promise<void>((resolve) => (readDone = resolve));
  const readAlone = ctx.db.readAlone.bind(ctx.db);
  ctx.db.readAlone = async <R>(work: (query: Query) => Promise<R>): Promise<R> => {
    const answer = await readAlone(work);
    readDone();
    await released;
    return answer;
  };
  return { read, release };
}

async function rename(name: string): Promise<void> {
  await db.write(async (query) => {
    await query('MATCH (n:Record {id: $id}) SET n.name = $name', { id: ORG, name });
    await bumpGraphVersion(query);
  });
}

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await db.write((query) =>
    query(`MERGE (n:Record {id: $id}) SET n:Organization, n.name = 'Cache Test Ltd', n.type = 'COMPANY'`, {
      id: ORG,
    }),
  );
});

afterAll(async () => {
  for (const app of apps) await app.stop(1000);
  await db?.close();
});

describe('Response cache keyed by the graph version', () => {
  it('answers a repeated question from the cache, reading only the graph version', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    const first = await ask(app, ASK, { id: ORG });
    const second = await ask(app, ASK, { id: ORG });
    expect(first.queries.filter((q) => !isVersionRead(q))).toHaveLength(1);
    expect(second.queries).toHaveLength(1);
    expect(isVersionRead(second.queries[0]!)).toBe(true);
    expect(second.data).toEqual(first.data);
  });

  it('answers anew once a write has bumped the version', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    await rename('Before Ltd');
    expect((await ask(app, ASK, { id: ORG })).data?.organization?.name).toBe('Before Ltd');
    await rename('After Ltd');
    const after = await ask(app, ASK, { id: ORG });
    expect(after.data?.organization?.name).toBe('After Ltd');
    expect(after.queries.filter((q) => !isVersionRead(q))).toHaveLength(1);
  });

  it('answers a question asked after a write anew, though a version read begun before the write is in flight', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    await rename('Held Before Ltd');
    expect((await ask(app, ASK, { id: ORG })).data?.organization?.name).toBe('Held Before Ltd');
    const held = app.context();
    const hold = holdVersionReads(held);
    const early = ask(app, ASK, { id: ORG }, undefined, held);
    await hold.read;
    await rename('Held After Ltd');
    // Arrives after the write committed, while the read of the early request (which saw the older version)
    // is still in flight: it must not be answered by that read.
    const late = ask(app, ASK, { id: ORG });
    await new Promise((resolve) => setTimeout(resolve, 50));
    hold.release();
    expect((await early).data?.organization?.name).toBe('Held Before Ltd');
    expect((await late).data?.organization?.name).toBe('Held After Ltd');
  });

  it('lets hits that arrive together share reads of the graph version', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    await rename('Shared Reads Ltd');
    await ask(app, ASK, { id: ORG });
    const hits = await Promise.all(Array.from({ length: 16 }, () => ask(app, ASK, { id: ORG })));
    expect(hits.map((h) => h.data?.organization?.name)).toEqual(hits.map(() => 'Shared Reads Ltd'));
    const queries = hits.flatMap((h) => h.queries);
    // Every request was a hit; the first read the version at once, the others shared the read after it.
    expect(queries.every(isVersionRead)).toBe(true);
    expect(queries).toHaveLength(2);
  });

  it('never answers a request that arrives after a write from before it, with requests in flight around it', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    const nameOf = (answer: Awaited<ReturnType<typeof ask>>) => answer.data?.organization?.name;
    for (let round = 0; round < 5; round++) {
      const [before, after] = [`Round ${round} Before Ltd`, `Round ${round} After Ltd`];
      await rename(before);
      const early = Array.from({ length: 8 }, () => ask(app, ASK, { id: ORG }));
      await rename(after);
      const late = Array.from({ length: 8 }, () => ask(app, ASK, { id: ORG }));
      for (const answer of await Promise.all(early)) expect([before, after]).toContain(nameOf(answer));
      for (const answer of await Promise.all(late)) expect(nameOf(answer)).toBe(after);
    }
  });

  it('keeps the answers to different variables apart', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    await ask(app, ASK, { id: ORG });
    const other = await ask(app, ASK, { id: 'org:cache-test-unknown' });
    expect(other.data?.organization).toBeNull();
    expect(other.queries.filter((q) => !isVersionRead(q))).toHaveLength(1);
  });

  it('never stores an answer that carries errors', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    const partial = `query Partial($id: ID!) { organization(id: $id) { name } search(text: " ") { score } }`;
    const first = await ask(app, partial, { id: ORG });
    const second = await ask(app, partial, { id: ORG });
    expect(first.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(second.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(second.queries.filter((q) => !isVersionRead(q))).toHaveLength(1);
  });

  it('with a version TTL (opt-in), reuses the version it read instead of reading it again', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100, RESPONSE_CACHE_VERSION_TTL_MS: 60_000 });
    await ask(app, ASK, { id: ORG });
    const cached = await ask(app, ASK, { id: ORG });
    expect(cached.queries).toEqual([]);
  });

  it('is on with the default settings against one server', async () => {
    const app = await appWith(loadConfig({}));
    await ask(app, ASK, { id: ORG });
    const cached = await ask(app, ASK, { id: ORG });
    expect(cached.queries).toHaveLength(1);
    expect(isVersionRead(cached.queries[0]!)).toBe(true);
  });

  it('is off with RESPONSE_CACHE_ENTRIES=0: no version read, every question read anew', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 0 });
    await ask(app, ASK, { id: ORG });
    const second = await ask(app, ASK, { id: ORG });
    expect(second.queries).toHaveLength(1);
    expect(isVersionRead(second.queries[0]!)).toBe(false);
  });

  it('never caches the import review list, which changes without a new graph version', async () => {
    const app = await appWith({ RESPONSE_CACHE_ENTRIES: 100 });
    const REVIEW = '{ importReview(status: OPEN) { id name } }';
    const listed = async () =>
      ((await ask(app, REVIEW, {}, EDITOR)).data as unknown as { importReview: Array<{ id: string }> })
        .importReview;
    const before = await listed();
    await db.write((query) =>
      upsertReviews(query, [
        {
          id: 'review:cache-test',
          sourceId: 'src:cache-test',
          file: 'cache.jsonl',
          line: 1,
          localId: 'cache-1',
          label: 'Organization',
          name: 'Cache Review Ltd',
          partyJson: '{}',
          derivedId: 'org:cache-review',
          candidateIds: [],
          reason: 'a test entry',
        },
      ]),
    );
    const after = await listed();
    expect(after.map((r) => r.id)).toEqual([...before.map((r) => r.id), 'review:cache-test']);
  });

  it('tells which questions select such a field, through fragments too', () => {
    const schema = buildSchema(loadTypeDefs());
    const selects = (text: string) => selectsUnversionedField(schema, parse(text));
    expect(selects('{ watchlist(id: "w") { deliveries { id } } }')).toBe(true);
    expect(
      selects('{ watchlist(id: "w") { ...L } } fragment L on Watchlist { name deliveries { status } }'),
    ).toBe(true);
    expect(selects('{ importReview { id } }')).toBe(true);
    expect(selects('{ watchlist(id: "w") { name entities { id } } organization(id: "o") { name } }')).toBe(
      false,
    );
  });
});
