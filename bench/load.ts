/**
 * `npm run bench:load`: autocannon on loopback against three README queries, sent in turn on every
 * connection: a steady phase (60 s at 64 connections), a burst (256 connections), and the steady phase again
 * (so that RSS after the first steady phase and after the second tell a leak from a working set). The server runs as its
 * own process (`npm start`'s entry, against an embedded Neo4j of its own, seeded), so its RSS is its own.
 * The rate limit is off for the run (RATE_LIMIT_PER_SECOND=0): loopback is one client, and the point is
 * what the server sustains. Prints and writes bench/results/load.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../src/config';
import { README_QUERIES } from '../test/readmeQueries';
import { startTestNeo4j } from '../test/support/testNeo4j';
import { parseArgs } from './benchDatabase';
import { startServerProcess } from './serverProcess';

const args = parseArgs(process.argv.slice(2), {
  duration: 60,
  connections: 64,
  burst: 256,
  burstDuration: 15,
});

const QUERIES = [
  { query: README_QUERIES.whoOwns, variables: { ids: ['org:bytedance', 'org:tencent', 'org:alibaba'] } },
  { query: README_QUERIES.lineage, variables: {} },
  { query: README_QUERIES.whereToBuyClaude, variables: { asOf: '2026-05-01' } },
];

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function phase(url: string, connections: number, duration: number) {
  // autocannon counts statuses; a 200 whose body carries GraphQL errors (a budget ended) is counted here.
  let graphqlErrors = 0;
  const onResponse = (_status: number, body: string) => {
    if (body.includes('"errors"')) graphqlErrors++;
  };
  const result = await autocannon({
    url,
    connections,
    duration,
    timeout: 30,
    requests: QUERIES.map((q) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(q),
      onResponse,
    })),
  });
  return {
    connections,
    seconds: duration,
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    graphqlErrors,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main(): Promise<void> {
  const neo4j = await startTestNeo4j();
  const started = await startServerProcess({
    neo4j,
    // This bench seeds the empty database through the server itself, and waits until it is ready (seeded).
    env: { SEED_ON_EMPTY: 'true', NODE_ENV: process.env.NODE_ENV ?? 'development' },
    ready: 'readyz',
    stdout: 'inherit',
  });
  const server = started.process;
  const url = started.url;
  try {
    // Each query once, to check it answers, then a short warm-up.
    for (const q of QUERIES) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(q),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (!res.ok || body.errors)
        throw new Error(`warm-up query failed: ${res.status} ${JSON.stringify(body.errors)}`);
    }
    await phase(url, 8, 5);
    const rssStart = rssMb(server.pid!);
    const steady = await phase(url, args.connections, args.duration);
    const rssAfterSteady = rssMb(server.pid!);
    const burst = await phase(url, args.burst, args.burstDuration);
    const rssAfterBurst = rssMb(server.pid!);
    // The steady phase once more: growth from the first steady phase's end to this one's tells a leak (it keeps
    // growing) from a working set that 64 requests in flight need once (it levels off).
    const steadyAgain = await phase(url, args.connections, args.duration);
    const rssEnd = rssMb(server.pid!);
    const summary = {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      note: 'loopback, server and autocannon on the same shared machine; rate limit off',
      steady,
      burst,
      steadyAgain,
      rssMb: {
        start: rssStart,
        afterSteady: rssAfterSteady,
        afterBurst: rssAfterBurst,
        end: rssEnd,
        growthPercent: Math.round(((rssEnd - rssStart) / rssStart) * 1000) / 10,
        growthAfterFirstSteadyPercent: Math.round(((rssEnd - rssAfterSteady) / rssAfterSteady) * 1000) / 10,
      },
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(
      path.join(PROJECT_ROOT, 'bench/results/load.json'),
      `${JSON.stringify(summary, null, 2)}\n`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await neo4j.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
