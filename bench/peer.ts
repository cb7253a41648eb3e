/**
 * Not public API: `npm run bench:peer [-- --size 100000]`, issue 15: our read API against @neo4j/graphql
 * (7.x), which compiles each GraphQL request into one Cypher query, side by side on the same embedded Neo4j
 * and the same data: the curated seed (`--size 0`, the default) or the generated ownership graph with models
 * (bench/generateOwnershipGraph.ts + bench/generateModels.ts) in .data/bench-peer-<size>.
 *
 * Each API runs as its own process (ours: `npm start`'s entry with the rate limit off; the peer:
 * bench/peerServer.ts), autocannon runs here. For every question (bench/peerQuestions.ts) the answers of both
 * are checked equal on every input before anything is timed; then, per round, connection count and question,
 * each side is loaded for `--seconds` in turn (ours, peer, then peer, ours in the next round: interleaved,
 * so neither gains from running while the machine is quieter). Cypher queries per request and database hits
 * (PROFILE of each query one request sends) are measured in this process on one input per question.
 * Prints a markdown table and writes bench/results/peer-<size>.json.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../src/config';
import { createDriver, Database } from '../src/db/database';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { applyMigrations, MIGRATIONS } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { loadFolder } from '../src/seed/loadDataSet';
import { parseArgs } from './benchDatabase';
import { ensureBenchGraph } from './generateOwnershipGraph';
import { ensureBenchModels } from './generateModels';
import { profileLines, summarizeProfile, type ProfileSummary, type Window } from './peerCpuProfile';
import { countPeerQueries, countOurQueries, type QueryCount } from './peerProfile';
import { QUESTIONS, type Question, type Variables } from './peerQuestions';
import { startServerProcess } from './serverProcess';
import { round, say } from './stats';

const DEFAULTS = {
  /** 0: the curated seed; otherwise the generated graph of this many entities (with size/10 models). */
  size: 0,
  seed: 42,
  heap: '2g',
  pageCache: '2g',
  seconds: 10,
  rounds: 2,
  connections: '8,32',
  /** Distinct inputs per question, cycled through by every connection. */
  inputs: 100,
  /**
   * Sides to load: ours as configured by default (read-ahead on, response cache off), ours reading level by
   * level (`ours-levels`: READ_AHEAD=false, as before issue 15), ours reading ahead whole records
   * (`ours-whole`: READ_AHEAD_PROJECTION=false), ours with the response cache on, the peer.
   */
  sides: 'ours,ours-levels,ours-cached,peer',
  /** Only these questions (comma-separated names), or all. */
  questions: '',
  /**
   * Writes a V8 CPU profile of each of our servers to .data/profiles/ (node --cpu-prof) and prints, per side and
   * question, where its CPU went during the timed runs (bench/peerCpuProfile.ts).
   */
  profile: false,
  /** Written to bench/results/peer-<size|seed>-<tag>.json instead, so a partial run keeps the full table. */
  tag: '',
};

/**
 * `at:<folder>`: our server from another checkout of this project (`git archive <commit> | tar -x -C <folder>`,
 * with a node_modules link), run as `ours` is, for a before/after comparison in one interleaved run;
 * `at-cached:<folder>` the same with the response cache on, as `ours-cached`.
 */
type Side =
  'ours' | 'ours-levels' | 'ours-whole' | 'ours-cached' | 'peer' | `at:${string}` | `at-cached:${string}`;

/** The other checkout an `at:` or `at-cached:` side runs from, else undefined (this one). */
const checkoutOf = (side: Side) => /^at(?:-cached)?:(.+)$/.exec(side)?.[1];

interface Server {
  side: Side;
  url: string;
  process: ChildProcess;
  /** Where the process writes its CPU profiles when it exits (`--profile`). */
  profileDir?: string;
}

/** The monotonic clock in microseconds, the clock V8 stamps CPU profile samples with. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function startNeo4j(
  args: typeof DEFAULTS,
): Promise<{ neo4j: EmbeddedNeo4j; db: Database; data: string }> {
  const dataDir = args.size === 0 ? '.data/bench-peer-seed' : `.data/bench-peer-${args.size}`;
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir,
    port: 0,
    heap: args.heap,
    pageCache: args.pageCache,
    txMemory: '1g',
    // Minutes, not seconds, on a machine shared with other engineers' test runs.
    startTimeoutMs: 900_000,
    log: createLogger('warn'),
  });
  const db = new Database(createDriver(neo4j.uri, neo4j.user, neo4j.password), 'neo4j', createLogger('warn'));
  await db.write((query) => query(MIGRATIONS[0]!));
  let data: string;
  if (args.size === 0) {
    // Loading is idempotent (records are MERGEd by id): a folder kept from an earlier run is brought up to date.
    // The seed's identifiers are checked through their full-text index, so every index exists first.
    await applyMigrations(db);
    const report = await loadFolder(db, path.join(PROJECT_ROOT, 'seed'));
    data = `the curated seed (${report.created + report.updated + report.unchanged} records)`;
  } else {
    const graph = await ensureBenchGraph(db, args.size, args.seed, say);
    const persons = Math.round(args.size * 0.1);
    const models = await ensureBenchModels(
      db,
      { models: Math.round(args.size / 10), organizations: graph.nodes - persons, seed: args.seed },
      say,
    );
    data = `generated: ${graph.nodes} entities, ${graph.owns} ownerships, ${models.models} models, ${models.derivations} derivations`;
  }
  await applyMigrations(db);
  return { neo4j, db, data };
}

async function startServer(side: Side, neo4j: EmbeddedNeo4j, cpuProfile: boolean): Promise<Server> {
  // A folder per server: node names each thread's profile itself (CPU.<date>.<time>.<pid>.<thread>.<n>); tsx's
  // loader thread writes one too, so a fixed --cpu-prof-name would leave the loader's (all idle) in place of the
  // main thread's.
  const profileDir = path.join(
    PROJECT_ROOT,
    '.data',
    'profiles',
    `${side.replace(/[^A-Za-z0-9-]+/g, '_')}-${Date.now()}`,
  );
  const started =
    side === 'peer'
      ? await startServerProcess({
          neo4j,
          name: 'peer',
          entry: 'bench/peerServer.ts',
          portVariable: 'PEER_PORT',
        })
      : await startServerProcess({
          neo4j,
          name: side,
          nodeArgs: cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
          cwd: checkoutOf(side),
          env: {
            // The 50-organization question costs more than the default budget of a query allows.
            MAX_QUERY_COST: '100000000',
            RESPONSE_CACHE_ENTRIES: side === 'ours-cached' || side.startsWith('at-cached:') ? '10000' : '0',
            READ_AHEAD: side === 'ours-levels' ? 'false' : 'true',
            // `ours-whole`: read ahead whole records, as before the projection of selected properties.
            READ_AHEAD_PROJECTION: side === 'ours-whole' ? 'false' : 'true',
            // The peer has no time budget; ours gets one long enough for a machine shared with test runs.
            REQUEST_TIMEOUT_MS: '120000',
          },
        });
  return {
    side,
    ...started,
    profileDir: cpuProfile && side !== 'peer' ? profileDir : undefined,
  };
}

async function post(url: string, body: { query: string; variables?: Variables }) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: unknown; errors?: unknown };
}

/** Every input answered by both sides, and the canonical answers equal; throws on the first difference. */
async function checkAnswers(q: Question, inputs: Variables[], ours: string, peer: string): Promise<number> {
  let compared = 0;
  for (const variables of inputs) {
    const [a, b] = await Promise.all([
      post(ours, { query: q.ours, variables }),
      post(peer, { query: q.peer, variables }),
    ]);
    if (a.errors || b.errors) {
      throw new Error(
        `${q.name} ${JSON.stringify(variables)}: errors ours ${JSON.stringify(a.errors)} peer ${JSON.stringify(b.errors)}`,
      );
    }
    const [ca, cb] = [JSON.stringify(q.canonicalOurs(a.data)), JSON.stringify(q.canonicalPeer(b.data))];
    if (ca !== cb) {
      throw new Error(`${q.name} ${JSON.stringify(variables)}: answers differ\nours ${ca}\npeer ${cb}`);
    }
    compared++;
  }
  return compared;
}

interface Run {
  question: string;
  side: Side;
  connections: number;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  loadAverage: number;
  /**
   * CPU milliseconds per answered request, of the API's process and of the Neo4j JVM (read from /proc before
   * and after the run; both serve only this side during it): unlike req/s, little moved by other processes on
   * a shared machine, so it says where a request's time goes.
   */
  apiCpuMs: number;
  dbCpuMs: number;
  /** When the run's load was on (the monotonic clock, µs), to read the server's CPU profile for it. */
  window: Window;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; 0 where there is no /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), the 12th and 13th after the command's closing bracket.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function load(
  server: Server,
  q: Question,
  inputs: Variables[],
  connections: number,
  seconds: number,
  dbPid: number,
) {
  let graphqlErrors = 0;
  const onResponse = (_status: number, body: string) => {
    if (body.includes('"errors"')) graphqlErrors++;
  };
  const query = server.side === 'peer' ? q.peer : q.ours;
  const [api0, db0] = [cpuSeconds(server.process.pid), cpuSeconds(dbPid)];
  const fromUs = nowUs();
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: inputs.map((variables) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      onResponse,
    })),
  });
  const window: Window = { fromUs, toUs: nowUs() };
  return {
    window,
    reqPerSec: round(result.requests.average, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    apiCpuMs: round(((cpuSeconds(server.process.pid) - api0) * 1000) / Math.max(1, result.requests.total), 2),
    dbCpuMs: round(((cpuSeconds(dbPid) - db0) * 1000) / Math.max(1, result.requests.total), 2),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const started = performance.now();
  const sides = args.sides.split(',') as Side[];
  const connectionCounts = args.connections.split(',').map(Number);
  const questions = QUESTIONS.filter((q) => !args.questions || args.questions.split(',').includes(q.name));
  const { neo4j, db, data } = await startNeo4j(args);
  say(`bench:peer on ${data}`);
  const servers: Server[] = [];
  try {
    for (const side of sides) servers.push(await startServer(side, neo4j, args.profile));
    const peer = servers.find((s) => s.side === 'peer')!;

    const inputs = new Map<string, Variables[]>();
    const checked: Record<string, number> = {};
    const counts: Record<string, { ours: QueryCount; levels: QueryCount; peer: QueryCount }> = {};
    for (const q of questions) {
      const qInputs = await db.read((query) => q.inputs(query, args.inputs));
      inputs.set(q.name, qInputs);
      checked[q.name] = 0;
      for (const side of servers.filter((s) => s.side !== 'peer')) {
        checked[q.name]! += await checkAnswers(q, qInputs, side.url, peer.url);
      }
      counts[q.name] = {
        ours: await countOurQueries(db, q.ours, qInputs[0]!),
        levels: await countOurQueries(db, q.ours, qInputs[0]!, { readAhead: false }),
        peer: await countPeerQueries(db, q.peer, qInputs[0]!),
      };
      say(
        `${q.name}: ${qInputs.length} inputs, answers equal (${checked[q.name]} compared); Cypher per request ours ${counts[q.name]!.ours.queries} (${counts[q.name]!.ours.dbHits} db hits), level by level ${counts[q.name]!.levels.queries} (${counts[q.name]!.levels.dbHits}), peer ${counts[q.name]!.peer.queries} (${counts[q.name]!.peer.dbHits} db hits)`,
      );
    }

    const runs: Run[] = [];
    for (let r = 0; r < args.rounds; r++) {
      for (const connections of connectionCounts) {
        for (const q of questions) {
          const order = r % 2 === 0 ? servers : [...servers].reverse();
          for (const server of order) {
            const result = await load(server, q, inputs.get(q.name)!, connections, args.seconds, neo4j.pid);
            const run: Run = {
              question: q.name,
              side: server.side,
              connections,
              round: r,
              ...result,
              loadAverage: round(os.loadavg()[0]!, 2),
            };
            runs.push(run);
            say(
              `round ${r} c=${connections} ${q.name} ${server.side}: ${run.reqPerSec} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, errors ${run.errors}, CPU ms per request API ${run.apiCpuMs} / Neo4j ${run.dbCpuMs} (load ${run.loadAverage})`,
            );
          }
        }
      }
    }

    const rows = questions.flatMap((q) =>
      connectionCounts.map((connections) => {
        const of = (side: Side) =>
          runs.filter((x) => x.question === q.name && x.side === side && x.connections === connections);
        const agg = (side: Side) => {
          const xs = of(side);
          return {
            reqPerSec: round(median(xs.map((x) => x.reqPerSec)), 0),
            p50Ms: median(xs.map((x) => x.p50Ms)),
            p99Ms: median(xs.map((x) => x.p99Ms)),
            errors: xs.reduce((n, x) => n + x.errors, 0),
            apiCpuMs: round(median(xs.map((x) => x.apiCpuMs)), 2),
            dbCpuMs: round(median(xs.map((x) => x.dbCpuMs)), 2),
          };
        };
        const bySide = Object.fromEntries(sides.map((s) => [s, agg(s)])) as Record<
          Side,
          ReturnType<typeof agg>
        >;
        const loads = runs
          .filter((x) => x.question === q.name && x.connections === connections)
          .map((x) => x.loadAverage);
        return {
          question: q.name,
          title: q.title,
          connections,
          bySide,
          load: [Math.min(...loads), Math.max(...loads)],
        };
      }),
    );

    const ratio = (a: number, b: number) => (b > 0 ? `${round(a / b, 2)}x` : '-');
    const lines = [
      `| question | conns | ${sides.map((s) => `${s} req/s, p50/p99 ms`).join(' | ')} | ${sides
        .filter((s) => s !== 'peer')
        .map((s) => `${s}/peer`)
        .join(' | ')} | errors | Cypher/request ours/levels/peer | db hits ours/levels/peer | load |`,
      `| ${['-', '-', ...sides.map(() => '-'), ...sides.filter((s) => s !== 'peer').map(() => '-'), '-', '-', '-', '-'].join(' | ')} |`,
      ...rows.map((row) => {
        const c = counts[row.question]!;
        const cells = sides.map(
          (s) => `${row.bySide[s]!.reqPerSec}, ${row.bySide[s]!.p50Ms}/${row.bySide[s]!.p99Ms}`,
        );
        const ratios = sides
          .filter((s) => s !== 'peer')
          .map((s) => ratio(row.bySide[s]!.reqPerSec, row.bySide.peer?.reqPerSec ?? 0));
        const errors = sides.map((s) => row.bySide[s]!.errors).join('/');
        return `| ${row.question} | ${row.connections} | ${cells.join(' | ')} | ${ratios.join(' | ')} | ${errors} | ${c.ours.queries}/${c.levels.queries}/${c.peer.queries} | ${c.ours.dbHits}/${c.levels.dbHits}/${c.peer.dbHits} | ${row.load[0]}-${row.load[1]} |`;
      }),
    ];
    // CPU per request, API process + Neo4j JVM, per side: where a request's time goes, whatever the load.
    const cpuLines = [
      `| question | conns | ${sides.map((s) => `${s} CPU ms/request API + Neo4j`).join(' | ')} |`,
      `| ${['-', '-', ...sides.map(() => '-')].join(' | ')} |`,
      ...rows.map(
        (row) =>
          `| ${row.question} | ${row.connections} | ${sides
            .map((s) => `${row.bySide[s]!.apiCpuMs} + ${row.bySide[s]!.dbCpuMs}`)
            .join(' | ')} |`,
      ),
    ];
    lines.push('', ...cpuLines);
    const report = {
      date: new Date().toISOString(),
      data,
      machine: { cpus: os.cpus().length, node: process.version, neo4j: neo4j.version },
      settings: args,
      questions: questions.map((q) => ({ name: q.name, title: q.title, ours: q.ours, peer: q.peer })),
      checked,
      counts,
      rows,
      runs,
      table: lines,
      runSeconds: round((performance.now() - started) / 1000, 0),
    };
    const out = path.join(
      __dirname,
      'results',
      `peer-${args.size === 0 ? 'seed' : args.size}${args.tag ? `-${args.tag}` : ''}.json`,
    );
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    say('');
    for (const line of lines) say(line);
    say(`\nwrote ${path.relative(process.cwd(), out)} (run ${report.runSeconds} s)`);
    if (args.profile) {
      await stopServers(servers);
      const profiles = summarizeProfiles(servers, runs);
      for (const p of profiles) {
        say('');
        for (const line of profileLines(`CPU profile of ${p.side}, ${p.question}`, p.summary)) say(line);
      }
      writeFileSync(out, `${JSON.stringify({ ...report, profiles }, null, 2)}\n`);
    }
  } finally {
    await stopServers(servers);
    await db.close();
    await neo4j.stop();
  }
}

async function stopServers(servers: Server[]): Promise<void> {
  for (const s of servers) {
    if (s.process.exitCode !== null || s.process.signalCode !== null) continue;
    s.process.kill('SIGTERM');
    // A server killed by a signal (its stall watchdog, the OOM killer) has no exit code but a signal code.
    if (s.process.exitCode === null && s.process.signalCode === null)
      await new Promise((r) => s.process.once('exit', r));
  }
}

/** Per profiled side and question: its CPU during that question's timed runs, at every connection count. */
function summarizeProfiles(
  servers: Server[],
  runs: Run[],
): Array<{ side: Side; question: string; summary: ProfileSummary }> {
  return servers.flatMap((server) => {
    if (!server.profileDir) return [];
    // The main thread's profile: thread id 0 in node's file name.
    const name = readdirSync(server.profileDir).find((f) =>
      /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f),
    );
    if (!name) return [];
    const file = path.join(server.profileDir, name);
    const questions = [...new Set(runs.filter((r) => r.side === server.side).map((r) => r.question))];
    return questions.map((question) => {
      const mine = runs.filter((r) => r.side === server.side && r.question === question);
      const requests = mine.reduce((n, r) => n + r.requests, 0);
      const windows = mine.map((r) => r.window);
      return {
        side: server.side,
        question,
        summary: summarizeProfile(file, windows, requests),
      };
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
