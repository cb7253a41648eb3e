import { createApp, type App } from '../src/app';
import { Database, RequestBudgetEnded, createDriver } from '../src/db/database';
import { startBudget } from '../src/db/requestBudget';
import { applyMigrations } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { listen, postGraphQL } from './support/http';
import { startTestNeo4j } from './support/testNeo4j';

const config = { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true };

describe('Server: health, readiness and recovery when Neo4j goes away', () => {
  // A Neo4j of its own: this test stops and restarts it underneath a running server.
  let neo4j: Awaited<ReturnType<typeof startTestNeo4j>>;
  let db: Database;
  let app: App;
  let baseUrl: string;

  beforeAll(async () => {
    neo4j = await startTestNeo4j();
    db = new Database(createDriver(neo4j.uri, neo4j.user, neo4j.password), 'neo4j', createLogger('silent'));
    await applyMigrations(db);
    app = await createApp(db, config, createLogger('silent'));
    baseUrl = await listen(app);
  });

  afterAll(async () => {
    await app?.stop(1000);
    await db?.close();
    await neo4j?.dispose();
  });

  it('answers /healthz with 200 while the process is alive', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 once Neo4j is reachable and migrated', async () => {
    // Polled as an orchestrator would: on a loaded machine the very first connection may take longer than
    // READINESS_TIMEOUT_MS, and that probe honestly answers 503.
    let res = await fetch(`${baseUrl}/readyz`);
    for (let attempt = 0; attempt < 10 && res.status !== 200; attempt++)
      res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('serves the Apollo Sandbox landing page to a browser', async () => {
    const res = await fetch(`${baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/sandbox/i);
  });

  it('answers a GraphQL query over HTTP', async () => {
    const res = await postGraphQL(baseUrl, '{ countries { code } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ countries: [] });
  });

  it('names the argument and the value in a bad-input error', async () => {
    const res = await postGraphQL(baseUrl, '{ organizations(first: 5000) { totalCount } }');
    expect(res.errors?.[0]?.message).toBe('Argument "first" must be between 1 and 100, got 5000.');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers 404 with a hint on unknown paths', async () => {
    const res = await fetch(`${baseUrl}/nope`);
    expect(res.status).toBe(404);
  });

  // A query that would run for minutes: counting through ten billion numbers.
  const ENDLESS = 'UNWIND range(1, 10000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n';
  const running = async () =>
    (
      await db.readRows<{ query: string }>('SHOW TRANSACTIONS YIELD currentQuery AS query RETURN query')
    ).filter((r) => r.query.includes('range(1, 10000000000)'));

  it.each([
    ['its time budget ends', 'timeout', (_: AbortController) => undefined],
    ['its client goes away', 'client-gone', (gone: AbortController) => setTimeout(() => gone.abort(), 300)],
  ])('stops the Cypher on Neo4j when %s', async (_name, why, end) => {
    const gone = new AbortController();
    const budget = startBudget(why === 'timeout' ? 500 : 60_000, 4, gone.signal);
    end(gone);
    const started = performance.now();
    const outcome = await db
      .within(budget)
      .readRows(ENDLESS)
      .catch((error: unknown) => error);
    budget.dispose();
    expect(outcome).toBeInstanceOf(RequestBudgetEnded);
    expect((outcome as RequestBudgetEnded).why).toBe(why);
    expect(performance.now() - started).toBeLessThan(2000);
    // Nothing keeps running for a request that is over (the session reset terminates the transaction).
    let left = await running();
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await running();
    }
    expect(left).toEqual([]);
  });

  it('reports 503 and a clear GraphQL error while Neo4j is down, and recovers without a restart', async () => {
    const port = Number(new URL(neo4j.uri.replace('bolt:', 'http:')).port);
    await neo4j.stop();

    let started = performance.now();
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toMatch(/unreachable|unavailable/i);
    // READINESS_TIMEOUT_MS (2 s) at most, plus slack for a loaded machine.
    expect(performance.now() - started).toBeLessThan(3000);

    started = performance.now();
    const down = await postGraphQL(baseUrl, '{ countries { code } }');
    expect(down.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    // Within the request's budget (REQUEST_TIMEOUT_MS, 15 s), not the driver's retry time.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(down.errors?.[0]?.message).toBe('The database is unavailable; try again shortly.');
    expect(JSON.stringify(down)).not.toMatch(/at .*\.js|stacktrace|Neo4jError/);

    // Same folder, same port: what a supervisor (or docker compose's restart policy) would do.
    const again = await startTestNeo4j({ port, dataDir: neo4j.dataDir });
    neo4j = again;
    let status = 0;
    for (let attempt = 0; attempt < 30 && status !== 200; attempt++) {
      status = (await fetch(`${baseUrl}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
    const up = await postGraphQL(baseUrl, '{ countries { code } }');
    expect(up.errors).toBeUndefined();
  });
});
