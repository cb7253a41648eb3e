/**
 * Not public API: `npm run bench:access [-- --size 1000000 --models 100000]`, the benchmark of issue #5: on the
 * synthetic ownership graph of the exposure benchmark with models, channels, offerings, derivations and model
 * policies added (bench/generateModels.ts), it times the `accessCheck` query end to end through Apollo
 * (executeOperation with a request context, as tests do: parsing, validation, the records, the model's offers
 * and covering policies and the customer's upstream, policyVerdict per policy, accessByChannel)
 * for random (customer, model) pairs, one at a time and from `--clients` clients at once, with the CPU a check
 * costs in this process and in the Neo4j JVM. With `--before <checkout>` another build's app is measured
 * against this one's, interleaved, and every answer must be equal. Prints a table and writes
 * bench/results/access-<size>.json. Figures are reported, never asserted.
 *
 * It runs on its own copy of the ownership graph, .data/bench-access-<size>: an embedded Neo4j folder can be
 * opened by one process only, and the exposure benchmark keeps using .data/bench-<size>.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../src/app';
import { PROJECT_ROOT } from '../src/config';
import { createDriver, Database, type Params, type QueryObserver } from '../src/db/database';
import { startEmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { applyMigrations, MIGRATIONS } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { parseArgs } from './benchDatabase';
import { ensureBenchGraph, prng } from './generateOwnershipGraph';
import { ensureBenchModels } from './generateModels';
import { concurrentFigures, concurrently, round, say, summary } from './stats';
import { meterCpu, poolRounds, profileJs, profileJvm } from './cpuTime';
import { createHash } from 'node:crypto';

const DEFAULTS = {
  size: 100000,
  models: 100000,
  seed: 42,
  heap: '4g',
  pageCache: '4g',
  /** Measured access checks, after `warmup` unmeasured ones (other pairs). */
  checks: 500,
  warmup: 100,
  /** Checks asked by `clients` concurrent clients after the sequential ones (each waits for its answer); 0: skip. */
  clients: 8,
  concurrentChecks: 400,
  asOf: '2025-10-15',
  /**
   * Another checkout's root (holding src/ and schema/, e.g. made with `git archive <commit> src schema`): its
   * app is measured against this one's, interleaved (each pair asked of both in turn; concurrent rounds
   * before, shipped, shipped, before, ...), and every answer must be equal. Empty: no comparison.
   */
  before: '',
  rounds: 2,
  /** Sampled profiles (JavaScript and JFR) of the concurrent checks, written to .data/profiles/. */
  profile: false,
};

/** Which part of an access check a Cypher query is, recognised by its text. */
const PARTS = [
  'records',
  'upstream+offers+policies',
  'offers+policies',
  'offers',
  'policies',
  'upstream',
  'other',
] as const;
type Part = (typeof PARTS)[number];
function partOf(cypher: string): Part {
  if (/MATCH \(n:Record\) WHERE n\.id IN \$ids/.test(cypher)) return 'records';
  const upstream = /<-\[:OWNS\|CONTROLS\*0\.\.\]-/.test(cypher);
  if (/\[o:OFFERS\]/.test(cypher) && /MATCH \(p:Policy\)/.test(cypher))
    return upstream ? 'upstream+offers+policies' : 'offers+policies';
  if (/\[o:OFFERS\]/.test(cypher)) return 'offers';
  if (/MATCH \(p:Policy\)/.test(cypher)) return 'policies';
  if (/<-\[:OWNS\|CONTROLS\*0\.\.\]-/.test(cypher)) return 'upstream';
  return 'other';
}

/** One logger for every request's copy: pino's constructor reads its caller's stack, a few percent of a check. */
const SILENT = createLogger('silent');

/**
 * The app's Database, whose per-request copies (context.ts calls `observed`) also report each query's time
 * (tx.run to all rows received) here, so a check splits into its queries without touching src/, and, while
 * `recording` is on, the Cypher and parameters sent, for the PROFILE of one check's queries.
 */
class TimedDatabase extends Database {
  recording = false;
  readonly sent: Array<{ cypher: string; params: Params }> = [];
  constructor(
    driver: Database['driver'],
    private readonly sink: (cypher: string, ms: number) => void,
  ) {
    super(driver, 'neo4j', SILENT);
  }
  override observed(observer: QueryObserver): Database {
    const onQuery: QueryObserver['onQuery'] = (cypher, params, ms) => {
      observer.onQuery(cypher, params, ms);
      this.sink(cypher, ms);
      if (this.recording) this.sent.push({ cypher, params });
    };
    return new Database(this.driver, this.databaseName, SILENT, { onQuery });
  }
}

/** Pids of processes whose command line opens this data folder (the embedded launcher's --data=). */
function processesUsing(dataDir: string): number[] {
  const needle = `--data=${path.resolve(PROJECT_ROOT, dataDir)}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Our own copy of the exposure benchmark's graph folder; copied only while no Neo4j has the original open. */
function ensureCopy(size: number): string {
  const own = `.data/bench-access-${size}`;
  const original = `.data/bench-${size}`;
  if (existsSync(path.join(PROJECT_ROOT, own))) return own;
  if (existsSync(path.join(PROJECT_ROOT, original))) {
    const busy = processesUsing(original);
    if (busy.length === 0) {
      say(`copying ${original} to ${own}`);
      cpSync(path.join(PROJECT_ROOT, original), path.join(PROJECT_ROOT, own), { recursive: true });
      return own;
    }
    // Copying a store another Neo4j has open would give a torn copy; the generator is deterministic, so
    // generating again gives the same graph, only slower.
    say(
      `${original} is open in process ${busy.join(', ')}; generating the same graph into ${own} instead of copying`,
    );
  }
  // Without a copy, ensureBenchGraph generates the ownership graph into our folder.
  return own;
}

const CHECK = `query Access($customer: ID!, $model: ID!, $asOf: Date) {
  accessCheck(customer: $customer, model: $model, asOf: $asOf) { decision channels { decision } }
}`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const runStarted = performance.now();
  say(
    `bench:access size=${args.size} models=${args.models} seed=${args.seed} (neo4j heap ${args.heap}, page cache ${args.pageCache})`,
  );
  const dataDir = ensureCopy(args.size);
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir,
    port: 0,
    heap: args.heap,
    pageCache: args.pageCache,
    txMemory: '2g',
    log: createLogger('warn'),
    // A 1M graph on a machine shared with other engineers' suites can take minutes to open (180 s did not do).
    startTimeoutMs: 600_000,
  });
  let timings: Array<{ part: Part; ms: number }> = [];
  const db = new TimedDatabase(createDriver(neo4j.uri, neo4j.user, neo4j.password), (cypher, ms) =>
    timings.push({ part: partOf(cypher), ms }),
  );
  try {
    await db.write((query) => query(MIGRATIONS[0]!));
    const graph = await ensureBenchGraph(db, args.size, args.seed, say);
    const persons = Math.round(args.size * 0.1);
    const models = await ensureBenchModels(
      db,
      { models: args.models, organizations: graph.nodes - persons, seed: args.seed },
      say,
    );
    const indexStarted = performance.now();
    await applyMigrations(db);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    say(
      `graph: ${graph.nodes} entities, ${graph.owns} ownerships; ${models.models} models, ${models.offers} offerings, ${models.derivations} derivations (${models.reused ? 'reused' : `loaded in ${round(models.loadSeconds)} s`}); migrations ${round(indexSeconds)} s`,
    );

    const config = { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true };
    type App = Awaited<ReturnType<typeof createApp>>;
    const sides: Array<{ label: string; app: App }> = [];
    if (args.before) {
      const root = path.resolve(PROJECT_ROOT, args.before);
      const theirs = (await import(path.join(root, 'src/app.ts'))) as { createApp: typeof createApp };
      sides.push({
        label: `before (${args.before})`,
        app: await theirs.createApp(db, config, createLogger('silent')),
      });
    }
    sides.push({ label: 'shipped', app: await createApp(db, config, createLogger('silent')) });
    const rand = prng(args.seed + 3);
    const pair = () => {
      const i = Math.floor(rand() * graph.nodes);
      const customer = i < persons ? `person:bench-${i}` : `org:bench-${i - persons}`;
      return { customer, model: `model:bench-${Math.floor(rand() * args.models)}` };
    };
    const ask = async (app: App, p: { customer: string; model: string }) => {
      const contextValue = app.context();
      const response = await app.apollo.executeOperation(
        { query: CHECK, variables: { ...p, asOf: args.asOf } },
        { contextValue },
      );
      if (response.body.kind !== 'single' || response.body.singleResult.errors) {
        throw new Error(`accessCheck failed for ${JSON.stringify(p)}: ${JSON.stringify(response.body)}`);
      }
      return {
        data: response.body.singleResult.data as {
          accessCheck: { decision: string; channels: Array<{ decision: string }> };
        },
        queries: contextValue.queries.length,
      };
    };
    const check = async (app: App, p: { customer: string; model: string }) => {
      timings = [];
      const started = performance.now();
      const { data, queries } = await ask(app, p);
      const totalMs = performance.now() - started;
      const byPart = Object.fromEntries(
        PARTS.map((part) => [part, timings.filter((t) => t.part === part).reduce((a, t) => a + t.ms, 0)]),
      ) as Record<Part, number>;
      const cypherMs = timings.reduce((a, t) => a + t.ms, 0);
      return {
        ...p,
        totalMs,
        queries,
        byPart,
        restMs: totalMs - cypherMs,
        answer: JSON.stringify(data),
        decision: data.accessCheck.decision,
        channels: data.accessCheck.channels.map((c) => c.decision),
      };
    };

    say(`warm-up: ${args.warmup} checks per side (${sides.length} sides)`);
    const warmup = Array.from({ length: args.warmup }, pair);
    for (const side of sides) for (const p of warmup) await check(side.app, p);
    // Each pair is checked by every side, in alternating order, so that neither profits more from pages the
    // other brought into the page cache; their answers must be equal.
    say(`measuring ${args.checks} checks per side, one at a time`);
    const runsOf = sides.map(() => [] as Array<Awaited<ReturnType<typeof check>>>);
    const digests = sides.map(() => createHash('sha1'));
    for (let i = 0; i < args.checks; i++) {
      const p = pair();
      const order = i % 2 === 0 ? [...sides.keys()] : [...sides.keys()].reverse();
      for (const k of order) runsOf[k]!.push(await check(sides[k]!.app, p));
      const answers = sides.map((_, k) => runsOf[k]!.at(-1)!.answer);
      for (const [k, answer] of answers.entries())
        digests[k]!.update(`${p.customer} ${p.model}\n${answer}\n`);
      if (new Set(answers).size > 1)
        throw new Error(`Sides answer differently for ${JSON.stringify(p)}: ${JSON.stringify(answers)}`);
    }

    // The same question from several clients at once (the per-query split is not kept: queries interleave),
    // in rounds alternating the sides, with the CPU a check cost in this process and in the JVM.
    const concurrentOf = sides.map(() => poolRounds(args.clients));
    if (args.clients > 0 && args.concurrentChecks > 0) {
      for (let r = 0; r < args.rounds; r++) {
        const order = r % 2 === 0 ? [...sides.keys()] : [...sides.keys()].reverse();
        for (const k of order) {
          const pairs = Array.from({ length: args.concurrentChecks }, pair);
          const cpu = meterCpu(neo4j.pid);
          const run = await concurrently(args.clients, pairs.length, (i) => ask(sides[k]!.app, pairs[i]!));
          const c = concurrentOf[k]!.add(run, cpu(run.ms.length));
          say(
            `round ${r + 1} ${sides[k]!.label}, ${args.clients} clients: p50 ${c.totalMs.p50} / p99 ${c.totalMs.p99} ms, ${c.perSecond} checks/s, CPU node ${c.cpu.nodeMs} + JVM ${c.cpu.jvmMs} ms (load ${c.cpu.load})`,
          );
        }
      }
    }

    // The Cypher one check sends, each query PROFILEd.
    const plans: Record<string, Awaited<ReturnType<typeof profile>>> = {};
    const probe = pair();
    for (const side of sides) {
      db.sent.length = 0;
      db.recording = true;
      await ask(side.app, probe);
      db.recording = false;
      plans[side.label] = await profile(db, [...db.sent]);
    }
    const profiles: Record<string, unknown> = {};
    if (args.profile) {
      const dir = path.join(PROJECT_ROOT, '.data', 'profiles');
      mkdirSync(dir, { recursive: true });
      for (const side of sides) {
        const name = `access-checks-${side.label.split(' ')[0]}`;
        const pairs = Array.from({ length: args.concurrentChecks }, pair);
        let js: Awaited<ReturnType<typeof profileJs>> | null = null;
        const jvm = await profileJvm(
          neo4j.pid,
          async () => {
            js = await profileJs(
              () => concurrentFigures(args.clients, pairs.length, (i) => ask(side.app, pairs[i]!)),
              path.join(dir, `${name}.cpuprofile`),
            );
          },
          path.join(dir, `${name}.jfr`),
        );
        profiles[side.label] = { js, jvm: jvm && { byPackage: jvm.byPackage } };
        writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(profiles[side.label], null, 2) + '\n');
        if (jvm) writeFileSync(path.join(dir, `${name}-hot-methods.txt`), jvm.hotMethods);
        say(`profiles written to ${path.relative(PROJECT_ROOT, dir)}/${name}.*`);
      }
    }

    const tally = (xs: string[]) =>
      xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
    const figuresOf = (k: number) => {
      const runs = runsOf[k]!;
      const split = Object.fromEntries(
        PARTS.filter((part) => runs.some((r) => r.byPart[part] > 0)).map((part) => [
          part,
          summary(runs.map((r) => r.byPart[part])),
        ]),
      );
      return {
        label: sides[k]!.label,
        count: runs.length,
        warmup: args.warmup,
        totalMs: summary(runs.map((r) => r.totalMs)),
        cypherQueriesPerCheck: tally(runs.map((r) => String(r.queries))),
        split: { ...split, restMs: summary(runs.map((r) => r.restMs)) },
        decisions: tally(runs.map((r) => r.decision)),
        channelDecisions: tally(runs.flatMap((r) => r.channels)),
        channelsPerCheck: summary(runs.map((r) => r.channels.length)),
        answersDigest: digests[k]!.digest('hex'),
        concurrent: concurrentOf[k]!.result(),
        plans: plans[sides[k]!.label],
        slowest: [...runs]
          .sort((a, b) => b.totalMs - a.totalMs)
          .slice(0, 5)
          .map((r) => ({
            customer: r.customer,
            model: r.model,
            totalMs: round(r.totalMs),
            byPart: Object.fromEntries(Object.entries(r.byPart).map(([key, v]) => [key, round(v)])),
          })),
      };
    };
    const bySide = sides.map((_, k) => figuresOf(k));
    const shipped = bySide.at(-1)!;
    const report = {
      size: args.size,
      machine: {
        cores: (await import('node:os')).cpus().length,
        loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 2)),
        node: process.version,
        neo4j: neo4j.version,
        neo4jHeap: args.heap,
        pageCache: args.pageCache,
      },
      graph: { entities: graph.nodes, ownerships: graph.owns, controls: graph.controls, dataDir },
      models: { ...models, loadSeconds: round(models.loadSeconds), migrationsSeconds: round(indexSeconds) },
      asOf: args.asOf,
      checks: shipped,
      sides: bySide,
      profiles,
      runSeconds: round((performance.now() - runStarted) / 1000),
    };
    for (const side of sides) await side.app.apollo.stop();

    const out = path.join(__dirname, 'results', `access-${args.size}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

    const lines: Array<[string, string, string]> = [
      [
        'graph',
        `${graph.nodes} entities, ${graph.owns} ownerships`,
        `${models.models} models, ${models.channels} channels, ${models.offers} offerings, ${models.derivations} derivations, ${models.policies} model policies`,
      ],
      [
        'models load (s)',
        models.reused ? 'reused' : `${round(models.loadSeconds)}`,
        `migrations/indexes ${round(indexSeconds)} s`,
      ],
    ];
    for (const side of bySide) {
      const t = side.totalMs;
      lines.push(
        [
          `[${side.label}] access check p50 / p99 (ms)`,
          `${t.p50} / ${t.p99}`,
          `target p50 < 30; p90 ${t.p90}, max ${t.max}`,
        ],
        [
          `  with ${args.clients} clients`,
          side.concurrent
            ? `${side.concurrent.totalMs.p50} / ${side.concurrent.totalMs.p99}, ${side.concurrent.perSecond}/s, cpu ${side.concurrent.cpu.nodeMs}+${side.concurrent.cpu.jvmMs} (rounds: ${side.concurrent.rounds
                .map((c) => `${c.totalMs.p50}/${c.totalMs.p99} ${c.perSecond}/s`)
                .join(', ')})`
            : '-',
          'p50 / p99 ms, checks/s, CPU ms node+JVM per check',
        ],
        [
          '  cypher queries per check',
          Object.entries(side.cypherQueriesPerCheck)
            .map(([q, n]) => `${q} (x${n})`)
            .join(', '),
          `answers sha1 ${side.answersDigest.slice(0, 12)}`,
        ],
        ...PARTS.filter((part) => (side.split as Record<string, unknown>)[part]).map(
          (part): [string, string, string] => {
            const x = (side.split as Record<string, { p50: number; p99: number }>)[part]!;
            return [`  ${part} p50 / p99 (ms)`, `${x.p50} / ${x.p99}`, 'tx.run to last row'];
          },
        ),
        [
          '  rest p50 / p99 (ms)',
          `${side.split.restMs.p50} / ${side.split.restMs.p99}`,
          'transactions, GraphQL, reasoning',
        ],
        ['  decisions', JSON.stringify(side.decisions), `channels ${JSON.stringify(side.channelDecisions)}`],
      );
    }
    const w0 = Math.max(...lines.map((l) => l[0].length));
    const w1 = Math.max(...lines.map((l) => l[1].length));
    say('');
    for (const [a, b, c] of lines) say(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
    for (const [label, queries] of Object.entries(plans)) {
      say(`[${label}] one check sends ${queries.length} queries (PROFILE):`);
      for (const q of queries) say(`  ${q.part}: ${q.dbHits} db hits, ${q.rows} rows`);
    }
    say(`load average ${report.machine.loadAverage.join(' ')} (2 shared cores: timings are noisy)`);
    say(`\nwrote ${path.relative(process.cwd(), out)} (run ${report.runSeconds} s)`);
  } finally {
    await db.close();
    await neo4j.stop();
  }
}

/** PROFILE of the queries one check sent: operators, rows and db hits, to show where its database time goes. */
async function profile(db: Database, sent: Array<{ cypher: string; params: Params }>) {
  const session = db.driver.session({ database: 'neo4j' });
  try {
    const out: Array<{ part: string; dbHits: number; rows: number; operators: string[] }> = [];
    for (const { cypher, params } of sent) {
      const result = await session.run(`PROFILE ${cypher}`, params);
      const plan = result.summary.profile;
      const operators: string[] = [];
      let dbHits = 0;
      type Plan = { operatorType: string; dbHits: number; rows: number; children: Plan[] };
      const visit = (p: Plan) => {
        operators.push(
          `${p.operatorType.replace(/@neo4j$/, '')} (${p.rows} rows${p.dbHits ? `, ${p.dbHits} hits` : ''})`,
        );
        dbHits += p.dbHits;
        for (const c of p.children) visit(c);
      };
      if (plan) visit(plan);
      out.push({ part: partOf(cypher), dbHits, rows: result.records.length, operators });
    }
    return out;
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
