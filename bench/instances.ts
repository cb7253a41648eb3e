/**
 * Not public API: `npm run bench:instances`, issue 15 item 4: one API instance against two, over one embedded
 * Neo4j on this machine, as a stateless deployment would scale out behind a load balancer. Two server
 * processes (`npm start`'s entry, rate limit and response cache off) run on the curated seed; autocannon
 * drives the README's query mix (test/readmeQueries.ts, with the variables its tests use) at `--connections`:
 * with one instance all connections go to it (the other idles), with two they are split evenly (what a
 * round-robin balancer does). Runs interleave (one, two, two, one, …) so neither side gains from a quieter
 * minute. Prints a table with the load average and writes bench/results/instances.json.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../src/config';
import { createDriver, Database } from '../src/db/database';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { applyMigrations } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { loadFolder } from '../src/seed/loadDataSet';
import { README_QUERIES } from '../test/readmeQueries';
import { parseArgs } from './benchDatabase';
import { startServerProcess } from './serverProcess';
import { round, say } from './stats';

const DEFAULTS = {
  seed: 42,
  heap: '1g',
  pageCache: '512m',
  seconds: 10,
  rounds: 2,
  connections: 16,
};

/** The README's questions with the variables its tests ask them with. */
const MIX: Array<{ name: string; query: string; variables: Record<string, unknown> }> = [
  {
    name: 'whoOwns',
    query: README_QUERIES.whoOwns,
    variables: { ids: ['org:bytedance', 'org:tencent', 'org:alibaba'], asOf: '2026-03-01' },
  },
  {
    name: 'whoMakesWhichModels',
    query: README_QUERIES.whoMakesWhichModels,
    variables: { ids: ['org:deepseek', 'org:alibaba', 'org:anthropic'] },
  },
  { name: 'lineage', query: README_QUERIES.lineage, variables: {} },
  { name: 'anthropicRestriction', query: README_QUERIES.anthropicRestriction, variables: {} },
  { name: 'whereToBuyClaude', query: README_QUERIES.whereToBuyClaude, variables: { asOf: '2026-05-01' } },
];

interface Instance {
  url: string;
  process: ChildProcess;
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: unknown; errors?: unknown };
}

function startInstance(neo4j: EmbeddedNeo4j): Promise<Instance> {
  return startServerProcess({
    neo4j,
    env: {
      MAX_QUERY_COST: '100000000',
      RESPONSE_CACHE_ENTRIES: '0',
      // A cold instance on a loaded machine may take long over its first answers; the bench reports latency.
      REQUEST_TIMEOUT_MS: '120000',
    },
  });
}

/** `connections` autocannon connections on one instance, cycling through the mix; counts errors of any kind. */
async function drive(url: string, connections: number, seconds: number) {
  let graphqlErrors = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: MIX.map(({ query, variables }) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      onResponse: (_status: number, body: string) => {
        if (body.includes('"errors"')) graphqlErrors++;
      },
    })),
  });
  return {
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
  };
}

interface Run {
  instances: 1 | 2;
  round: number;
  reqPerSec: number;
  /** The slower instance's p50 and p99 (a client sees either). */
  p50Ms: number;
  p99Ms: number;
  errors: number;
  loadAverage: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const started = performance.now();
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir: '.data/bench-instances-seed',
    port: 0,
    heap: args.heap,
    pageCache: args.pageCache,
    txMemory: '512m',
    startTimeoutMs: 900_000,
    log: createLogger('warn'),
  });
  const db = new Database(createDriver(neo4j.uri, neo4j.user, neo4j.password), 'neo4j', createLogger('warn'));
  const instances: Instance[] = [];
  try {
    // Every migration first: the seed's identifiers are checked through their full-text index while loading.
    await applyMigrations(db);
    const report = await loadFolder(db, path.join(PROJECT_ROOT, 'seed'));
    say(
      `bench:instances on the curated seed (${report.created + report.updated + report.unchanged} records)`,
    );
    instances.push(await startInstance(neo4j), await startInstance(neo4j));
    // Every question answers without errors on both instances before anything is timed.
    for (const instance of instances)
      for (const q of MIX) {
        const answer = await post(instance.url, { query: q.query, variables: q.variables });
        if (answer.errors || !answer.data) throw new Error(`${q.name}: ${JSON.stringify(answer.errors)}`);
      }
    // Warm-up: each instance's JIT and Neo4j's page cache.
    await Promise.all(instances.map((i) => drive(i.url, 4, Math.min(5, args.seconds))));

    const runs: Run[] = [];
    for (let r = 0; r < args.rounds; r++) {
      for (const count of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
        const per = Math.max(1, Math.round(args.connections / count));
        const results = await Promise.all(
          instances.slice(0, count).map((i) => drive(i.url, per, args.seconds)),
        );
        const run: Run = {
          instances: count,
          round: r + 1,
          reqPerSec: round(results.reduce((a, x) => a + x.requests, 0) / args.seconds),
          p50Ms: Math.max(...results.map((x) => x.p50Ms)),
          p99Ms: Math.max(...results.map((x) => x.p99Ms)),
          errors: results.reduce((a, x) => a + x.errors, 0),
          loadAverage: round(os.loadavg()[0]!, 2),
        };
        runs.push(run);
        say(
          `round ${run.round}, ${count} instance(s): ${run.reqPerSec} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ${run.errors} errors, load ${run.loadAverage}`,
        );
      }
    }
    const side = (count: 1 | 2) => {
      const xs = runs.filter((r) => r.instances === count);
      const mean = (f: (r: Run) => number) => round(xs.reduce((a, r) => a + f(r), 0) / xs.length);
      return {
        reqPerSec: mean((r) => r.reqPerSec),
        p50Ms: mean((r) => r.p50Ms),
        p99Ms: mean((r) => r.p99Ms),
      };
    };
    const one = side(1);
    const two = side(2);
    const out = {
      machine: { cores: os.cpus().length, node: process.version, neo4j: neo4j.version },
      connections: args.connections,
      seconds: args.seconds,
      mix: MIX.map((q) => q.name),
      runs,
      one,
      two,
      ratio: round(two.reqPerSec / one.reqPerSec, 2),
      runSeconds: round((performance.now() - started) / 1000),
    };
    const file = path.join(__dirname, 'results', 'instances.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    say('');
    say('| instances | req/s | p50 ms | p99 ms | load |');
    say('| --- | --- | --- | --- | --- |');
    for (const [n, s] of [
      [1, one],
      [2, two],
    ] as const) {
      const loads = runs.filter((r) => r.instances === n).map((r) => r.loadAverage);
      say(
        `| ${n} | ${s.reqPerSec} | ${s.p50Ms} | ${s.p99Ms} | ${Math.min(...loads)}-${Math.max(...loads)} |`,
      );
    }
    say(
      `two / one: ${out.ratio}x (${args.connections} connections, ${args.rounds} rounds of ${args.seconds} s)`,
    );
  } finally {
    for (const i of instances) i.process.kill('SIGTERM');
    await db.close();
    await neo4j.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
