import { rmSync } from 'node:fs';
import { generateKey } from '../src/auth/apiKeys';
import { readPassword } from '../src/db/dataFolder';
import { Database, createDriver } from '../src/db/database';
import { NEO4J_STOP_TIMEOUT_MS } from '../src/db/embeddedNeo4j';
import { createLogger } from '../src/log';
import {
  SHUTDOWN_TIMEOUT_MS,
  embeddedNeo4jPids,
  killTree,
  startServer,
  waitGone,
  type ServerProcess,
} from './support/serverProcess';
import { testFolder } from './support/testNeo4j';

/**
 * Issue 10, faults: the embedded Neo4j's JVM killed (SIGKILL: no clean shutdown, as the OOM killer does) under
 * a running `npm start`. Clients in flight get UNAVAILABLE with a retry hint within their budget, `/readyz`
 * answers 503 within its own timeout while Neo4j is down, the server restarts Neo4j by itself, and later
 * requests are answered; a write cut short leaves nothing half-written and runs again to the full data.
 *
 * One server for both cases (a JVM start costs 10 to 80 s on a busy machine); each case kills its JVM and
 * waits for the server to bring Neo4j back before it ends.
 */

/**
 * The request budget is raised from its default (15 s) so that the load below, thousands of records in one
 * transaction (about 200 records/s measured at load 28), fits in it when it runs again; the promises below are
 * measured against it. Readiness keeps its default.
 */
const REQUEST_TIMEOUT_MS = 60_000;
const READINESS_TIMEOUT_MS = 2000;
/** A loaded machine (load 25 and more, as seen) delays answers by a second or two beyond any budget. */
const SLACK_MS = 3000;
/**
 * Restart: the supervisor's first back-off (1 s) and a JVM start on the same data folder, with recovery of
 * the killed store: 10 to 80 s measured on a busy machine, past 165 s at load 40-46 (2 cores, eight
 * engineers' suites). There the start may even overrun its own 180 s bound and be retried once.
 */
const RECOVERY_BOUND_MS = 420_000;
const CASE_TIMEOUT_MS = 720_000;

const editor = generateKey('faults-editor', 'editor');

let dataDir: string;
let server: ServerProcess | undefined;

beforeAll(async () => {
  dataDir = testFolder('faults-neo4j');
  server = await startServer(dataDir, {
    API_KEYS: JSON.stringify({ keys: [editor.record] }),
    // The write case finds the moment to kill the JVM in the server's log of its Cypher.
    LOG_LEVEL: 'debug',
    RATE_LIMIT_PER_SECOND: '0',
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  if (server) {
    process.kill(server.npm.pid!, 'SIGTERM');
    const pids = [...server.pids, ...javaPids(server)];
    if ((await waitGone(pids, SHUTDOWN_TIMEOUT_MS + NEO4J_STOP_TIMEOUT_MS)) === null) killTree(pids);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, CASE_TIMEOUT_MS);

/** The JVMs the server started: the first, and the one running now (restarted after a kill). */
function javaPids(s: ServerProcess): number[] {
  return [...new Set([s.javaPid, ...embeddedNeo4jPids(s.npm.pid!)])];
}

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

async function ask(query: string, variables: Record<string, unknown> = {}, key?: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${server!.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Answer['body'];
  return {
    status: res.status,
    ms: performance.now() - started,
    retryAfter: res.headers.get('retry-after'),
    body,
  };
}

async function probe(path: '/readyz' | '/healthz'): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${server!.baseUrl}${path}`);
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

/** Polls `/readyz` until 200; every 503 on the way must come within the probe's own timeout. */
async function waitReady(
  since: number,
): Promise<{ recoveryMs: number; slowest503Ms: number; probes503: number }> {
  let slowest503Ms = 0;
  let probes503 = 0;
  while (performance.now() - since < RECOVERY_BOUND_MS) {
    const ready = await probe('/readyz');
    if (ready.status === 200) return { recoveryMs: performance.now() - since, slowest503Ms, probes503 };
    expect(ready.status).toBe(503);
    probes503++;
    slowest503Ms = Math.max(slowest503Ms, ready.ms);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Neo4j not back within ${RECOVERY_BOUND_MS} ms:\n${server!.output().slice(-4000)}`);
}

/** Resolves when the server's log gets a line matching `pattern` after this call. */
function nextLogLine(pattern: RegExp, withinMs = 120_000): Promise<void> {
  const s = server!;
  const from = s.output().length;
  return new Promise((resolve, reject) => {
    // A statement whose text changed would otherwise leave the case waiting until its own timeout.
    const timer = setTimeout(() => {
      s.npm.stdout!.off('data', look);
      reject(new Error(`no log line matched ${pattern} within ${withinMs} ms`));
    }, withinMs);
    const look = () => {
      if (pattern.test(s.output().slice(from))) {
        clearTimeout(timer);
        s.npm.stdout!.off('data', look);
        resolve();
      }
    };
    s.npm.stdout!.on('data', look);
  });
}

/** Kills the JVM serving now (the first one, or the one restarted since). */
function killNeo4j(): number {
  const [pid, ...more] = embeddedNeo4jPids(server!.npm.pid!);
  expect({ pid, more }).toEqual({ pid: expect.any(Number), more: [] });
  process.kill(pid!, 'SIGKILL');
  return pid!;
}

async function census(prefix: string) {
  const db = new Database(
    createDriver(server!.bolt, 'neo4j', readPassword(dataDir) ?? undefined),
    'neo4j',
    createLogger('silent'),
  );
  try {
    const [row] = await db.readRows<{ records: number; rels: number; mine: number; myStakes: number }>(
      `CALL () { MATCH (n:Record) RETURN count(n) AS records }
       CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
       CALL () { MATCH (n:Record) WHERE n.id STARTS WITH $org RETURN count(n) AS mine }
       CALL () { MATCH ()-[r:OWNS]->() WHERE r.id STARTS WITH $own RETURN count(r) AS myStakes }
       RETURN records, rels, mine, myStakes`,
      { org: `org:${prefix}-`, own: `own:${prefix}-` },
    );
    return row!;
  } finally {
    await db.close();
  }
}

function expectUnavailable(answer: Answer) {
  const [error] = answer.body.errors ?? [];
  expect(error?.extensions?.code).toBe('UNAVAILABLE');
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  // Masked: no driver message, stack or address reaches the client.
  expect(JSON.stringify(answer.body)).not.toMatch(/Neo4jError|ECONNREFUSED|bolt:|at .*\.[jt]s:\d+/);
}

/** Questions that take a while on the seed: whole-policy sweeps and verdicts through many owners. */
const SLOW = [
  '{ coveredEntities(policy: "policy:ofac-50-percent-rule", first: 100) { totalCount nodes { verdict } } }',
  '{ policyVerdict(entity: "org:tiktok-usds-jv", policy: "policy:ofac-50-percent-rule") { verdict } }',
  '{ exposure(entity: "org:tiktok-usds-jv") { ultimateOwners { share { lower upper } } } }',
  '{ organizations(first: 100) { nodes { id name owners { owner { __typename } } } } }',
];

/**
 * The same questions as known at an instant each request gives afresh: none can be answered from the response
 * cache, the sweep cache's kept rows or a kept policy (which would answer the repeats of SLOW with one short
 * read, over before the kill lands), so each is still reading the graph when Neo4j dies.
 */
const UNCACHED = [
  'query($k: DateTime) { coveredEntities(policy: "policy:ofac-50-percent-rule", first: 100, knownAsOf: $k) { totalCount nodes { verdict } } }',
  'query($k: DateTime) { policyVerdict(entity: "org:tiktok-usds-jv", policy: "policy:ofac-50-percent-rule", knownAsOf: $k) { verdict } }',
  'query($k: DateTime) { exposure(entity: "org:tiktok-usds-jv", knownAsOf: $k) { ultimateOwners { share { lower upper } } } }',
  'query($k: DateTime) { organizations(first: 100, knownAsOf: $k) { nodes { id name owners { owner { __typename } } } } }',
];
let instants = 0;
/** A past instant no earlier request asked for. */
const freshInstant = () => new Date(Date.now() - 1000 - instants++).toISOString();

describe('Faults: the embedded Neo4j killed under a running server', () => {
  it(
    'answers requests in flight UNAVAILABLE within their budget, readiness 503 while down, and recovers by itself',
    async () => {
      const before = await Promise.all(SLOW.map((q) => ask(q)));
      for (const answer of before) expect(answer.body.errors).toBeUndefined();

      // In flight: sent, their first Cypher run, no answer yet.
      const firstCypher = nextLogLine(/"msg":"cypher"/);
      const inFlight = UNCACHED.flatMap((q) => [
        ask(q, { k: freshInstant() }),
        ask(q, { k: freshInstant() }),
      ]);
      await firstCypher;
      const killedAt = performance.now();
      killNeo4j();

      const answers = await Promise.all(inFlight);
      for (const answer of answers) {
        expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
        if (answer.body.errors) expectUnavailable(answer);
      }
      // At least one was cut (the rest may have finished between the kill and their last query).
      expect(answers.filter((a) => a.body.errors).length).toBeGreaterThan(0);

      // While Neo4j is down: asked afresh, UNAVAILABLE within the budget; liveness unaffected.
      const down = await ask(SLOW[0]!);
      if (down.body.errors) expectUnavailable(down);
      expect(down.ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
      const health = await probe('/healthz');
      expect(health).toMatchObject({ status: 200 });
      expect(health.ms).toBeLessThan(1000 + SLACK_MS);

      const recovery = await waitReady(killedAt);
      expect(recovery.probes503).toBeGreaterThan(0);
      expect(recovery.slowest503Ms).toBeLessThan(READINESS_TIMEOUT_MS + SLACK_MS);
      process.stdout.write(
        `Neo4j killed mid-request: ${answers.filter((a) => a.body.errors).length} of ${answers.length} cut, ` +
          `recovered in ${Math.round(recovery.recoveryMs)} ms, slowest 503 ${Math.round(recovery.slowest503Ms)} ms\n`,
      );

      // Recovered: the same questions, the same answers.
      const after = await Promise.all(SLOW.map((q) => ask(q)));
      for (const [i, answer] of after.entries()) {
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual(before[i]!.body);
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'leaves nothing half-written when killed in the middle of a large applyDataSet, and the rerun converges',
    async () => {
      const prefix = 'killed-load';
      const size = 1500;
      const src = `src:${prefix}-filing`;
      const input = {
        sources: [
          { id: src, url: 'https://example.org/killed', publisher: 'Example registry', title: 'A filing' },
        ],
        organizations: [
          { id: `org:${prefix}-parent`, name: 'Parent', type: 'COMPANY', sources: [src] },
          ...Array.from({ length: size }, (_, i) => ({
            id: `org:${prefix}-${i}`,
            name: `Killed load ${i}`,
            type: 'COMPANY',
            sources: [src],
          })),
        ],
        ownerships: Array.from({ length: size }, (_, i) => ({
          id: `own:${prefix}-${i}`,
          owner: `org:${prefix}-parent`,
          owned: `org:${prefix}-${i}`,
          share: { exact: 51 },
          sources: [src],
        })),
      };
      const APPLY = `mutation($input: JSONObject!) {
        applyDataSet(input: $input, reason: "a load cut short") { written created } }`;
      // Whatever the case before left behind, this one starts from a ready server.
      await waitReady(performance.now());
      const before = await census(prefix);
      expect(before).toMatchObject({ mine: 0, myStakes: 0 });

      // Killed right after the organizations' MERGE, before the stakes and the change set are written.
      const organizationsWritten = nextLogLine(
        // Logged (on one line, after it ran) as the write layer sends it; pino writes `msg` after the fields.
        /MERGE \(n:Record \{id: row\.id\}\) WITH n, row, CASE WHEN NOT row\.existed THEN n\.version END AS raced SET n = row\.props, n:Organization/,
      );
      const load = ask(APPLY, { input }, editor.key);
      await organizationsWritten;
      const killedAt = performance.now();
      killNeo4j();
      const cut = await load;
      expectUnavailable(cut);
      expect(cut.ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);

      const recovery = await waitReady(killedAt);
      process.stdout.write(`Neo4j killed mid-load: recovered in ${Math.round(recovery.recoveryMs)} ms\n`);
      // Nothing of the batch: the transaction never committed, and Neo4j's recovery rolled it back.
      expect(await census(prefix)).toEqual(before);

      const rerun = await ask(APPLY, { input }, editor.key);
      expect(rerun.body.errors).toBeUndefined();
      expect(rerun.body.data).toMatchObject({ applyDataSet: { written: true } });
      const full = await census(prefix);
      expect(full).toMatchObject({ mine: size + 1, myStakes: size });
      expect(full.records).toBe(before.records + size + 2);

      // Once more: converged, nothing twice.
      const again = await ask(APPLY, { input }, editor.key);
      expect(again.body.errors).toBeUndefined();
      expect(await census(prefix)).toEqual(full);
    },
    CASE_TIMEOUT_MS,
  );
});
