/**
 * Not public API: `npm run bench:access [-- --size 1000000 --models 100000]`, the benchmark of issue #5: on the
 * synthetic ownership graph of the exposure benchmark with models, channels, offerings, derivations and model
 * policies added (bench/generateModels.ts), it times the `accessCheck` query end to end through Apollo
 * (executeOperation with a request context, as tests do: parsing, validation, record loader, one read
 * transaction of fetchOffers + fetchCoveringPolicies + fetchUpstream, policyVerdict per policy, accessByChannel)
 * for random (customer, model) pairs. Prints a table and writes bench/results/access-<size>.json. Figures are
 * reported, never asserted.
 *
 * It runs on its own copy of the ownership graph, .data/bench-access-<size>: an embedded Neo4j folder can be
 * opened by one process only, and the exposure benchmark keeps using .data/bench-<size>.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../src/app';
import { PROJECT_ROOT } from '../src/config';
import { createDriver, Database, type Query, type QueryObserver } from '../src/db/database';
import { startEmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { applyMigrations, MIGRATIONS } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { parseArgs } from './benchDatabase';
import { ensureBenchGraph, prng } from './generateOwnershipGraph';
import { ensureBenchModels } from './generateModels';
import { concurrentFigures, round, say, summary, type ConcurrentFigures } from './stats';

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
};

/** Which part of an access check a Cypher query is, recognised by its text. */
const PARTS = ['records', 'offers', 'policies', 'upstream', 'other'] as const;
type Part = (typeof PARTS)[number];
function partOf(cypher: string): Part {
  if (/MATCH \(n:Record\) WHERE n\.id IN \$ids/.test(cypher)) return 'records';
  if (/\[o:OFFERS\]/.test(cypher)) return 'offers';
  if (/MATCH \(p:Policy\)/.test(cypher)) return 'policies';
  if (/<-\[:OWNS\|CONTROLS\*0\.\.\]-/.test(cypher)) return 'upstream';
  return 'other';
}

/**
 * The app's Database, whose per-request copies (context.ts calls `observed`) also report each query's time
 * (tx.run to all rows received) here, so a check splits into its queries without touching src/. With
 * `rewrite` set, the per-request copies send rewritten Cypher: the what-if run of a query change.
 */
class TimedDatabase extends Database {
  rewrite: ((cypher: string) => string) | null = null;
  constructor(
    driver: Database['driver'],
    private readonly sink: (cypher: string, ms: number) => void,
  ) {
    super(driver, 'neo4j', createLogger('silent'));
  }
  override observed(observer: QueryObserver): Database {
    const rewrite = this.rewrite;
    const onQuery: QueryObserver['onQuery'] = (cypher, params, ms) => {
      observer.onQuery(cypher, params, ms);
      this.sink(cypher, ms);
    };
    const silent = createLogger('silent');
    if (!rewrite) return new Database(this.driver, this.databaseName, silent, { onQuery });
    return new (class extends Database {
      override read<R>(work: (query: Query) => Promise<R>): Promise<R> {
        return super.read((query) => work((cypher, params) => query(rewrite(cypher), params)));
      }
    })(this.driver, this.databaseName, silent, { onQuery });
  }
}

/**
 * The what-if that found the label scan: fetchOffers matched `(m:AIModel {id: $model})`, which no index
 * serves, so the planner scanned every AIModel. src/ now matches `(m:Record:AIModel {id: $model})` (the
 * unique :Record(id) index), so this rewrite no longer changes anything: the two rows must agree, which
 * keeps guarding against the scan coming back.
 */
const OFFERS_BY_RECORD_ID = (cypher: string) =>
  cypher.replace('(m:AIModel {id: $model})', '(m:Record:AIModel {id: $model})');

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

    const app = await createApp(
      db,
      { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true },
      createLogger('silent'),
    );
    const rand = prng(args.seed + 3);
    const pair = () => {
      const i = Math.floor(rand() * graph.nodes);
      const customer = i < persons ? `person:bench-${i}` : `org:bench-${i - persons}`;
      return { customer, model: `model:bench-${Math.floor(rand() * args.models)}` };
    };
    const check = async (p: { customer: string; model: string }) => {
      timings = [];
      const contextValue = app.context();
      const started = performance.now();
      const response = await app.apollo.executeOperation(
        { query: CHECK, variables: { ...p, asOf: args.asOf } },
        { contextValue },
      );
      const totalMs = performance.now() - started;
      if (response.body.kind !== 'single' || response.body.singleResult.errors) {
        throw new Error(`accessCheck failed for ${JSON.stringify(p)}: ${JSON.stringify(response.body)}`);
      }
      const data = response.body.singleResult.data as {
        accessCheck: { decision: string; channels: Array<{ decision: string }> };
      };
      const byPart = Object.fromEntries(
        PARTS.map((part) => [part, timings.filter((t) => t.part === part).reduce((a, t) => a + t.ms, 0)]),
      ) as Record<Part, number>;
      const cypherMs = timings.reduce((a, t) => a + t.ms, 0);
      return {
        ...p,
        totalMs,
        queries: contextValue.queries.length,
        byPart,
        restMs: totalMs - cypherMs,
        decision: data.accessCheck.decision,
        channels: data.accessCheck.channels.map((c) => c.decision),
      };
    };

    say(`warm-up: ${args.warmup} checks`);
    for (let i = 0; i < args.warmup; i++) await check(pair());
    // Each pair is checked as shipped and with the what-if fetchOffers, in alternating order, so that neither
    // variant profits more from pages the other brought into the page cache.
    say(`measuring ${args.checks} checks, as shipped and with the what-if fetchOffers (alternating)`);
    const runs: Awaited<ReturnType<typeof check>>[] = [];
    const whatIf: Awaited<ReturnType<typeof check>>[] = [];
    for (let i = 0; i < args.checks; i++) {
      const p = pair();
      for (const fixed of i % 2 === 0 ? [false, true] : [true, false]) {
        db.rewrite = fixed ? OFFERS_BY_RECORD_ID : null;
        const r = await check(p);
        (fixed ? whatIf : runs).push(r);
      }
      db.rewrite = null;
      const [a, b] = [runs[runs.length - 1]!, whatIf[whatIf.length - 1]!];
      if (a.decision !== b.decision || a.channels.join() !== b.channels.join())
        throw new Error(`What-if answer differs for ${JSON.stringify(p)}`);
    }

    // The same checks from several clients at once (the per-query split is not kept: queries interleave).
    let concurrent: ConcurrentFigures | null = null;
    if (args.clients > 0 && args.concurrentChecks > 0) {
      say(`measuring ${args.concurrentChecks} checks from ${args.clients} concurrent clients`);
      const pairs = Array.from({ length: args.concurrentChecks }, pair);
      concurrent = await concurrentFigures(args.clients, pairs.length, async (i) => {
        const response = await app.apollo.executeOperation(
          { query: CHECK, variables: { ...pairs[i]!, asOf: args.asOf } },
          { contextValue: app.context() },
        );
        if (response.body.kind !== 'single' || response.body.singleResult.errors)
          throw new Error(
            `accessCheck failed for ${JSON.stringify(pairs[i])}: ${JSON.stringify(response.body)}`,
          );
      });
    }

    const tally = (xs: string[]) =>
      xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
    const queryCounts = tally(runs.map((r) => String(r.queries)));
    const split = Object.fromEntries(
      PARTS.filter((part) => runs.some((r) => r.byPart[part] > 0)).map((part) => [
        part,
        summary(runs.map((r) => r.byPart[part])),
      ]),
    );
    const plans = await profile(db, runs[0]!.customer, runs[0]!.model);
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
      checks: {
        count: runs.length,
        warmup: args.warmup,
        totalMs: summary(runs.map((r) => r.totalMs)),
        cypherQueriesPerCheck: queryCounts,
        split: { ...split, restMs: summary(runs.map((r) => r.restMs)) },
        decisions: tally(runs.map((r) => r.decision)),
        channelDecisions: tally(runs.flatMap((r) => r.channels)),
        channelsPerCheck: summary(runs.map((r) => r.channels.length)),
        concurrent,
      },
      whatIfOffersByRecordId: {
        change:
          'fetchOffers matching (m:Record:AIModel {id: $model}) instead of (m:AIModel {id: $model}); in src/ since the access benchmark found it, so both rows must agree',
        totalMs: summary(whatIf.map((r) => r.totalMs)),
        offersMs: summary(whatIf.map((r) => r.byPart.offers)),
        restMs: summary(whatIf.map((r) => r.restMs)),
        sameAnswers: true,
      },
      plans,
      slowest: [...runs]
        .sort((a, b) => b.totalMs - a.totalMs)
        .slice(0, 5)
        .map((r) => ({
          customer: r.customer,
          model: r.model,
          totalMs: round(r.totalMs),
          byPart: Object.fromEntries(Object.entries(r.byPart).map(([k, v]) => [k, round(v)])),
        })),
      runSeconds: round((performance.now() - runStarted) / 1000),
    };
    await app.apollo.stop();

    const out = path.join(__dirname, 'results', `access-${args.size}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

    const t = report.checks.totalMs;
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
      ['access check p50 / p99 (ms)', `${t.p50} / ${t.p99}`, `target p50 < 30; p90 ${t.p90}, max ${t.max}`],
      [
        `  with ${args.clients} clients p50 / p99 (ms)`,
        concurrent ? `${concurrent.totalMs.p50} / ${concurrent.totalMs.p99}` : '-',
        concurrent ? `${concurrent.perSecond} checks/s, ${concurrent.count} checks` : 'skipped',
      ],
      [
        'cypher queries per check',
        Object.entries(queryCounts)
          .map(([q, n]) => `${q} (x${n})`)
          .join(', '),
        'ctx.queries.length',
      ],
      ...PARTS.filter((part) => split[part]).map((part): [string, string, string] => [
        `  ${part} p50 / p99 (ms)`,
        `${split[part]!.p50} / ${split[part]!.p99}`,
        'tx.run to last row',
      ]),
      [
        '  rest p50 / p99 (ms)',
        `${report.checks.split.restMs.p50} / ${report.checks.split.restMs.p99}`,
        'transactions, GraphQL, reasoning',
      ],
      [
        'what-if p50 / p99 (ms)',
        `${report.whatIfOffersByRecordId.totalMs.p50} / ${report.whatIfOffersByRecordId.totalMs.p99}`,
        `fetchOffers on :Record(id) (now in src/; must match): offers ${report.whatIfOffersByRecordId.offersMs.p50} / ${report.whatIfOffersByRecordId.offersMs.p99}`,
      ],
      [
        'decisions',
        JSON.stringify(report.checks.decisions),
        `channels ${JSON.stringify(report.checks.channelDecisions)}`,
      ],
    ];
    const w0 = Math.max(...lines.map((l) => l[0].length));
    const w1 = Math.max(...lines.map((l) => l[1].length));
    say('');
    for (const [a, b, c] of lines) say(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
    say(`load average ${report.machine.loadAverage.join(' ')} (2 shared cores: timings are noisy)`);
    say(`\nwrote ${path.relative(process.cwd(), out)} (run ${report.runSeconds} s)`);
  } finally {
    await db.close();
    await neo4j.stop();
  }
}

/** PROFILE of the three transaction queries for one pair: operators and db hits, to show where the time goes. */
async function profile(db: Database, customer: string, model: string) {
  const { fetchOffers, fetchCoveringPolicies } = await import('../src/queries/modelAccess');
  const { fetchUpstream } = await import('../src/queries/ownershipSubgraph');
  const captured: Array<{ cypher: string; params: Record<string, unknown> }> = [];
  const capture = <T>(cypher: string, params: Record<string, unknown> = {}): Promise<T[]> => {
    captured.push({ cypher, params });
    return Promise.resolve([]);
  };
  await fetchOffers(capture, model);
  captured.push({ cypher: OFFERS_BY_RECORD_ID(captured[0]!.cypher), params: captured[0]!.params });
  await fetchCoveringPolicies(capture, { ids: [model], developers: ['org:bench-0'] });
  await fetchUpstream(capture, [customer]).catch(() => undefined);
  const session = db.driver.session({ database: 'neo4j' });
  try {
    const out: Array<{ part: string; dbHits: number; rows: number; operators: string[] }> = [];
    for (const { cypher, params } of captured) {
      const result = await session.run(`PROFILE ${cypher}`, params);
      const plan = result.summary.profile;
      const operators: string[] = [];
      let dbHits = 0;
      type Plan = { operatorType: string; dbHits: number; children: Plan[] };
      const visit = (p: Plan) => {
        operators.push(`${p.operatorType.replace(/@neo4j$/, '')}${p.dbHits ? ` (${p.dbHits} hits)` : ''}`);
        dbHits += p.dbHits;
        for (const c of p.children) visit(c);
      };
      if (plan) visit(plan);
      out.push({
        part: out.length === 1 ? 'offers (what-if)' : partOf(cypher),
        dbHits,
        rows: result.records.length,
        operators,
      });
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
