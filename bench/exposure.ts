/**
 * Not public API: `npm run bench:exposure [-- --size 1000000]`, the benchmark of issue #4. On a synthetic
 * ownership graph (bench/generateOwnershipGraph.ts) it measures, end to end with Cypher, exactly what the API
 * runs: single-entity verdicts (fetchUpstream + policyVerdict), the whole-graph sweep (fetchDownstream +
 * coveredEntities), and the same single-entity question answered by naive variable-length path enumeration
 * in Cypher. Prints a table and writes bench/results/exposure-<size>.json. Figures are reported, never asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import neo4j from 'neo4j-driver';
import { Database, type Params, type QueryObserver } from '../src/db/database';
import { createHash } from 'node:crypto';
import { createApp } from '../src/app';
import { createSweepCache } from '../src/cache/sweepCache';
import { createLogger } from '../src/log';
import { fetchDownstream, fetchUpstream } from '../src/queries/ownershipSubgraph';
import { fetchPolicyRules } from '../src/queries/policyRules';
import type { PolicyRule } from '../src/reasoning';
import { coveredEntities, inForce, policyVerdict } from '../src/reasoning';
import { openBenchDatabase, parseArgs } from './benchDatabase';
import { BENCH_AS_OF, BENCH_POLICY_ID, prng } from './generateOwnershipGraph';
import {
  concurrentFigures,
  concurrently,
  percentile,
  round,
  say,
  summary,
  type ConcurrentFigures,
} from './stats';
import {
  meterCpu,
  poolRounds,
  profileJs,
  profileJvm,
  type CpuPerRequest,
  type PooledRounds,
} from './cpuTime';
import { PROJECT_ROOT } from '../src/config';

const DEFAULTS = {
  size: 10000,
  seed: 42,
  heap: '4g',
  pageCache: '4g',
  /** Measured single-entity verdicts, after `warmup` unmeasured ones. */
  verdicts: 500,
  warmup: 100,
  /** Sweeps run; the first is reported as cold, the best of the others as warm. */
  sweeps: 3,
  /**
   * Sweeps without the cache (fetchDownstream every time), interleaved with the warm ones (warm, uncached,
   * warm, uncached, ...) so both see the same machine; 0: none.
   */
  uncachedSweeps: 2,
  /** The sweep cache's bound (SWEEP_CACHE_MAX_RECORDS) for the sweeps through the cache and the API; 0: off. */
  sweepCacheRecords: 2_000_000,
  /** Verdicts asked by `clients` concurrent clients (each waits for its answer before the next); 0: skip. */
  clients: 8,
  concurrentVerdicts: 1000,
  /** Diamond-rich entities compared with the naive query, plus as many chain ends and cycle members. */
  naive: 20,
  naiveTimeoutMs: 10000,
  /** The naive query's variable-length cap, `[:OWNS*1..depth]`. */
  naiveDepth: 12,
  /**
   * Verdicts asked through the API (Apollo's executeOperation, as a client's request runs: the entity, the
   * policy and the upstream subgraph read, then the reasoning), one at a time and from `clients` clients.
   */
  apiVerdicts: 300,
  /**
   * Another checkout's root (holding src/ and schema/, e.g. made with `git archive <commit> src schema`): its
   * fetchUpstream and app are measured against this one's, interleaved (before, shipped, shipped, before, ...)
   * in `rounds` rounds, and every answer must be equal. Empty: no comparison.
   */
  before: '',
  rounds: 2,
  /** Sampled profiles (JavaScript and JFR) of the concurrent API verdicts, written to .data/profiles/. */
  profile: false,
};

const ms = (started: number) => performance.now() - started;

/**
 * A full garbage collection, so that the heap figures are live data, not garbage not yet collected. Node does
 * not take --expose-gc in NODE_OPTIONS; the flag set at run time exposes \`gc\` to a new context.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const mb = (bytes: number) => round(bytes / 2 ** 20, 0);

/** What the policyVerdict resolver does for one entity, timed in its two halves. */
async function timedVerdict(db: Database, rule: PolicyRule, entityId: string, fetch = fetchUpstream) {
  const t0 = performance.now();
  const graph = await db.read((query) => fetch(query, [entityId]));
  const t1 = performance.now();
  const result = policyVerdict(graph, rule, entityId, { asOf: BENCH_AS_OF });
  const t2 = performance.now();
  if (!result || !result.ok) throw new Error(`No verdict for ${entityId}: ${JSON.stringify(result)}`);
  return {
    fetchMs: t1 - t0,
    reasonMs: t2 - t1,
    totalMs: t2 - t0,
    upstream: graph.entities.size,
    verdict: result.value,
  };
}

/**
 * The single-entity question as path enumeration: every ownership path of at most `depth` edges from a policy
 * root to the entity, not passing through another root (a root counts whole), shares multiplied along the
 * path and summed: the MULT lower bound, as a Cypher user would first write it.
 */
const NAIVE_CYPHER = (depth: number) => `
  MATCH (t:Record {id: $id})
  MATCH p = (root:Record)-[:OWNS*1..${depth}]->(t)
  WHERE (coalesce(root.headquarters, root.residence) IN $targets OR root.id IN $designated)
    AND none(x IN nodes(p)[1..-1] WHERE coalesce(x.headquarters, x.residence) IN $targets OR x.id IN $designated)
    AND all(r IN relationships(p) WHERE (r.startDate IS NULL OR r.startDate <= $asOf) AND (r.endDate IS NULL OR r.endDate >= $asOf))
  RETURN coalesce(sum(reduce(s = 1.0, r IN relationships(p) |
           s * CASE WHEN r.shareUnknown THEN 0.0 ELSE coalesce(r.shareExact, r.shareMinimum, r.shareExclusiveMinimum, 0) / 100.0 END)), 0.0) AS share,
         count(p) AS paths`;

async function naiveShare(
  db: Database,
  rule: PolicyRule,
  designated: string[],
  entityId: string,
  depth: number,
  timeoutMs: number,
) {
  // Database.read cannot bound a transaction's time; a path explosion must not hang the bench, so this one
  // query runs in its own auto-commit transaction with a server-side timeout (and a wall-clock cap behind it).
  const session = db.driver.session({ database: 'neo4j', defaultAccessMode: neo4j.session.READ });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = session.run(
      NAIVE_CYPHER(depth),
      { id: entityId, targets: rule.targetCountries, designated, asOf: BENCH_AS_OF },
      { timeout: timeoutMs },
    );
    const cap = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('wall-clock cap'), { code: 'WallClockCap' })),
        timeoutMs + 5000,
      );
    });
    const result = await Promise.race([run, cap]);
    const row = result.records[0]!;
    return {
      ms: ms(started),
      timedOut: false,
      share: row.get('share') as number,
      paths: row.get('paths') as number,
    };
  } catch (error) {
    const code = String((error as { code?: string }).code ?? '');
    if (/TimedOut|Terminated|WallClockCap/i.test(code + String((error as Error).message))) {
      return { ms: ms(started), timedOut: true, share: NaN, paths: NaN };
    }
    throw error;
  } finally {
    clearTimeout(timer);
    await session.close().catch(() => {});
  }
}

interface NaiveCase {
  id: string;
  kind: 'diamond' | 'chain' | 'cycle';
  oursMs: number;
  naiveMs: number;
  timedOut: boolean;
  paths: number;
  /** naive / ours; a lower bound when the naive query timed out. */
  ratio: number;
  ratioIsLowerBound: boolean;
  oursLookThroughLower: number;
  naiveShare: number | null;
  oursVerdict: string;
  oursLookThroughVerdict: string;
  naiveVerdict: string | null;
  /** Whether the naive sum equals our MULT lower bound (1e-6); null on timeout. */
  shareAgrees: boolean | null;
}

/** Peak resident memory of a process so far (Linux VmHWM), in MiB; null elsewhere. */
function peakRssOf(pid: number | 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? round(Number(kb) / 1024, 0) : null;
  } catch {
    return null;
  }
}

/** What a client asks of a verdict: the verdict, the policy's status and both methods' bounds. */
const VERDICT = `query Verdict($entity: ID!, $policy: ID!, $asOf: Date) {
  policyVerdict(entity: $entity, policy: $policy, asOf: $asOf) {
    verdict method policyStatus { status } aggregate { lower upper verdict } lookThrough { lower upper verdict }
  }
}`;

type App = Awaited<ReturnType<typeof createApp>>;

/** A build measured: this checkout's (shipped) or another's (`--before`), each with its own app. */
interface Side {
  label: string;
  fetch: typeof fetchUpstream;
  app: App;
}

/** One logger for every request's copy: pino's constructor reads its caller's stack, a few percent of a verdict. */
const SILENT = createLogger('silent');

/**
 * The bench's Database as the apps see it: per request (`observed`) a copy that also records the Cypher and
 * parameters sent while `recording` is on, for the PROFILE of one verdict's queries.
 */
class RecordingDatabase extends Database {
  recording = false;
  readonly sent: Array<{ cypher: string; params: Params }> = [];
  override observed(observer: QueryObserver): Database {
    return new Database(this.driver, this.databaseName, SILENT, {
      onQuery: (cypher, params, ms) => {
        observer.onQuery(cypher, params, ms);
        if (this.recording) this.sent.push({ cypher, params });
      },
    });
  }
}

/** PROFILE of each query sent: db hits, rows and operators, to show where a request's database time goes. */
async function profileQueries(db: Database, sent: Array<{ cypher: string; params: Params }>) {
  const session = db.driver.session({ database: db.databaseName, defaultAccessMode: neo4j.session.READ });
  try {
    const out: Array<{ query: string; dbHits: number; rows: number; operators: string[] }> = [];
    for (const { cypher, params } of sent) {
      const result = await session.run(`PROFILE ${cypher}`, params);
      type Plan = { operatorType: string; dbHits: number; rows: number; children: Plan[] };
      const operators: string[] = [];
      let dbHits = 0;
      const visit = (p: Plan) => {
        operators.push(
          `${p.operatorType.replace(/@neo4j$/, '')} (${p.rows} rows${p.dbHits ? `, ${p.dbHits} hits` : ''})`,
        );
        dbHits += p.dbHits;
        for (const c of p.children) visit(c);
      };
      if (result.summary.profile) visit(result.summary.profile);
      out.push({
        query: cypher.replace(/\s+/g, ' ').trim().slice(0, 90),
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

async function apiVerdict(side: Side, entity: string): Promise<{ ms: number; answer: string }> {
  const started = performance.now();
  const response = await side.app.apollo.executeOperation(
    { query: VERDICT, variables: { entity, policy: BENCH_POLICY_ID, asOf: BENCH_AS_OF } },
    { contextValue: side.app.context() },
  );
  const ms = performance.now() - started;
  if (response.body.kind !== 'single' || response.body.singleResult.errors)
    throw new Error(`policyVerdict failed for ${entity} (${side.label}): ${JSON.stringify(response.body)}`);
  return { ms, answer: JSON.stringify(response.body.singleResult.data) };
}

/**
 * Verdicts through the API and through fetchUpstream + policyVerdict, for this checkout and, with `--before`,
 * another one, interleaved so that both see the same machine: one client at a time (each entity asked of each
 * side in turn, the order alternating), then `clients` clients at once in `rounds` rounds (before, shipped,
 * shipped, before, ...), with the CPU each verdict cost in this process and in the JVM. Every answer of one
 * side must equal the other's.
 */
async function measureSides(
  args: typeof DEFAULTS,
  bench: Awaited<ReturnType<typeof openBenchDatabase>>,
  rule: PolicyRule,
): Promise<{ sides: SideFigures[]; plans: Record<string, Awaited<ReturnType<typeof profileQueries>>> }> {
  const { db, meta } = bench;
  const recording = new RecordingDatabase(db.driver, db.databaseName, createLogger('silent'));
  const config = { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: false };
  const sides: Side[] = [];
  if (args.before) {
    const root = path.resolve(PROJECT_ROOT, args.before);
    const theirs = (await import(path.join(root, 'src/app.ts'))) as { createApp: typeof createApp };
    const queries = (await import(path.join(root, 'src/queries/ownershipSubgraph.ts'))) as {
      fetchUpstream: typeof fetchUpstream;
    };
    sides.push({
      label: `before (${args.before})`,
      fetch: queries.fetchUpstream,
      app: await theirs.createApp(recording, config, createLogger('silent')),
    });
  }
  sides.push({
    label: 'shipped',
    fetch: fetchUpstream,
    app: await createApp(recording, config, createLogger('silent')),
  });
  const rand = prng(args.seed + 5);
  const persons = Math.round(args.size * 0.1);
  const randomEntity = () => {
    const i = Math.floor(rand() * meta.nodes);
    return i < persons ? `person:bench-${i}` : `org:bench-${i - persons}`;
  };
  const figures = sides.map(() => ({
    apiMs: [] as number[],
    fetchMs: [] as number[],
    answers: createHash('sha1'),
    apiConcurrent: poolRounds(args.clients),
    fetchConcurrent: poolRounds(args.clients),
  }));
  const warmup = Array.from({ length: Math.min(args.warmup, args.apiVerdicts) }, randomEntity);
  say(
    `API verdicts: ${warmup.length} warm-up and ${args.apiVerdicts} measured per side (${sides.length} sides)`,
  );
  for (const side of sides) for (const e of warmup) await apiVerdict(side, e);
  for (let i = 0; i < args.apiVerdicts; i++) {
    const entity = randomEntity();
    const order = i % 2 === 0 ? sides.keys() : [...sides.keys()].reverse();
    const answers: string[] = [];
    const verdicts: string[] = [];
    for (const k of order) {
      const { ms, answer } = await apiVerdict(sides[k]!, entity);
      figures[k]!.apiMs.push(ms);
      answers[k] = answer;
      const fetched = await timedVerdict(db, rule, entity, sides[k]!.fetch);
      figures[k]!.fetchMs.push(fetched.totalMs);
      verdicts[k] = JSON.stringify(fetched.verdict);
    }
    for (const [k, answer] of answers.entries()) figures[k]!.answers.update(`${entity}\n${answer}\n`);
    if (new Set(answers).size > 1 || new Set(verdicts).size > 1)
      throw new Error(`Sides answer differently for ${entity}: ${JSON.stringify({ answers, verdicts })}`);
  }
  if (args.clients > 0 && args.concurrentVerdicts > 0) {
    for (let r = 0; r < args.rounds; r++) {
      const order = r % 2 === 0 ? [...sides.keys()] : [...sides.keys()].reverse();
      for (const k of order) {
        const side = sides[k]!;
        const entities = Array.from({ length: args.concurrentVerdicts }, randomEntity);
        let cpu = meterCpu(bench.neo4j.pid);
        const apiRun = await concurrently(args.clients, entities.length, (i) =>
          apiVerdict(side, entities[i]!),
        );
        const api = figures[k]!.apiConcurrent.add(apiRun, cpu(apiRun.ms.length));
        cpu = meterCpu(bench.neo4j.pid);
        const fetchRun = await concurrently(args.clients, entities.length, (i) =>
          timedVerdict(db, rule, entities[i]!, side.fetch),
        );
        const fetched = figures[k]!.fetchConcurrent.add(fetchRun, cpu(fetchRun.ms.length));
        const [a, f] = [api.cpu, fetched.cpu];
        say(
          `round ${r + 1} ${side.label}, ${args.clients} clients: API p50 ${api.totalMs.p50} / p99 ${api.totalMs.p99} ms, ${api.perSecond}/s, CPU node ${a.nodeMs} + JVM ${a.jvmMs} ms; fetch+reason p50 ${fetched.totalMs.p50} / p99 ${fetched.totalMs.p99} ms, ${fetched.perSecond}/s, CPU node ${f.nodeMs} + JVM ${f.jvmMs} ms (load ${f.load})`,
        );
      }
    }
  }
  // The Cypher one verdict sends, each query PROFILEd.
  const plans: Record<string, Awaited<ReturnType<typeof profileQueries>>> = {};
  const probe = randomEntity();
  for (const side of sides) {
    recording.sent.length = 0;
    recording.recording = true;
    await apiVerdict(side, probe);
    recording.recording = false;
    plans[side.label] = await profileQueries(db, [...recording.sent]);
  }
  if (args.profile) {
    const dir = path.join(PROJECT_ROOT, '.data', 'profiles');
    mkdirSync(dir, { recursive: true });
    for (const side of sides) {
      const name = `exposure-api-verdicts-${side.label.split(' ')[0]}`;
      const entities = Array.from({ length: args.concurrentVerdicts }, randomEntity);
      let js: Awaited<ReturnType<typeof profileJs>> | null = null;
      const jvm = await profileJvm(
        bench.neo4j.pid,
        async () => {
          js = await profileJs(
            () => concurrentFigures(args.clients, entities.length, (i) => apiVerdict(side, entities[i]!)),
            path.join(dir, `${name}.cpuprofile`),
          );
        },
        path.join(dir, `${name}.jfr`),
      );
      writeFileSync(
        path.join(dir, `${name}.json`),
        JSON.stringify({ js, jvm: jvm && { byPackage: jvm.byPackage } }, null, 2) + '\n',
      );
      if (jvm) writeFileSync(path.join(dir, `${name}-hot-methods.txt`), jvm.hotMethods);
      say(`profiles written to ${path.relative(PROJECT_ROOT, dir)}/${name}.*`);
    }
  }
  for (const side of sides) await side.app.stop(1000);
  return {
    sides: sides.map((side, k) => {
      const f = figures[k]!;
      return {
        label: side.label,
        api: { sequential: summary(f.apiMs), concurrent: f.apiConcurrent.result() },
        fetch: { sequential: summary(f.fetchMs), concurrent: f.fetchConcurrent.result() },
        answersDigest: f.answers.digest('hex'),
      };
    }),
    plans,
  };
}

/** A side's figures: one client at a time, and `clients` clients at once (pooled over the rounds). */
interface SideFigures {
  label: string;
  api: { sequential: ReturnType<typeof summary>; concurrent: PooledRounds | null };
  fetch: { sequential: ReturnType<typeof summary>; concurrent: PooledRounds | null };
  /** sha1 of the API's answers to the sequential verdicts, in order: equal builds give equal digests. */
  answersDigest: string;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const runStarted = performance.now();
  say(
    `bench:exposure size=${args.size} seed=${args.seed} (neo4j heap ${args.heap}, page cache ${args.pageCache})`,
  );
  const bench = await openBenchDatabase(args, say);
  const { db, meta } = bench;
  const rules = await db.read((query) => fetchPolicyRules(query, [BENCH_POLICY_ID]));
  const rule = rules.get(BENCH_POLICY_ID)!;
  const designated = rule.designations.filter((d) => inForce(d, BENCH_AS_OF)).map((d) => d.entityId);

  // Single-entity verdicts on random entities (organizations and persons alike, as the API receives them).
  const rand = prng(args.seed + 1);
  const randomEntity = () => {
    const i = Math.floor(rand() * meta.nodes);
    const persons = Math.round(args.size * 0.1);
    return i < persons ? `person:bench-${i}` : `org:bench-${i - persons}`;
  };
  say(`warm-up: ${args.warmup} verdicts`);
  for (let i = 0; i < args.warmup; i++) await timedVerdict(db, rule, randomEntity());
  say(`measuring ${args.verdicts} verdicts`);
  const runs: Awaited<ReturnType<typeof timedVerdict>>[] = [];
  for (let i = 0; i < args.verdicts; i++) runs.push(await timedVerdict(db, rule, randomEntity()));
  // The same question from several clients at once: latency as a user waits for it under that load.
  let concurrent: (ConcurrentFigures & { cpu: CpuPerRequest }) | null = null;
  if (args.clients > 0 && args.concurrentVerdicts > 0) {
    say(`measuring ${args.concurrentVerdicts} verdicts from ${args.clients} concurrent clients`);
    const entities = Array.from({ length: args.concurrentVerdicts }, randomEntity);
    const cpu = meterCpu(bench.neo4j.pid);
    const figures = await concurrentFigures(args.clients, entities.length, (i) =>
      timedVerdict(db, rule, entities[i]!),
    );
    concurrent = { ...figures, cpu: cpu(figures.count) };
  }
  const verdictCounts: Record<string, number> = {};
  for (const r of runs) verdictCounts[r.verdict.verdict] = (verdictCounts[r.verdict.verdict] ?? 0) + 1;
  const single = {
    count: runs.length,
    totalMs: summary(runs.map((r) => r.totalMs)),
    fetchMs: summary(runs.map((r) => r.fetchMs)),
    reasonMs: summary(runs.map((r) => r.reasonMs)),
    upstreamEntities: summary(runs.map((r) => r.upstream)),
    verdicts: verdictCounts,
    concurrent,
  };

  const sides = await measureSides(args, bench, rule);

  // The sweep, as the coveredEntities resolver runs it: the first through an empty sweep cache (the fetch
  // fills it), the others through the filled cache (a graph version read, then the reasoning alone).
  const roots = { designated, targets: rule.targetCountries, basis: rule.countryBasis };
  const sweepCache = createSweepCache(args.sweepCacheRecords);
  const digestOf = (ids: string[]) => createHash('sha1').update(ids.sort().join('\n')).digest('hex');
  type SweepMode = 'cold' | 'cached' | 'uncached';
  const sweeps: Array<{
    mode: SweepMode;
    cached: boolean;
    fetchMs: number;
    reasonMs: number;
    totalMs: number;
    fetchedEntities: number;
    fetchedOwnerships: number;
    listed: number;
    covered: number;
    coveredDigest: string;
    rssAfterFetchMb: number;
    heapAfterFetchMb: number;
    rssAfterReasonMb: number;
    heapAfterReasonMb: number;
  }> = [];
  // Cold first (through the empty cache, or uncached when it is off), then the warm sweeps with the uncached
  // ones interleaved between them, so that a change in the machine's load falls on both.
  const modes: SweepMode[] = ['cold'];
  const warmCount = Math.max(0, args.sweeps - 1);
  for (let i = 0; i < Math.max(warmCount, args.uncachedSweeps); i++) {
    if (i < warmCount) modes.push(sweepCache ? 'cached' : 'uncached');
    if (i < args.uncachedSweeps) modes.push('uncached');
  }
  for (const [i, mode] of modes.entries()) {
    collectGarbage();
    const cached = sweepCache !== null && mode === 'cached';
    const t0 = performance.now();
    const graph = await db.read((query) =>
      sweepCache && mode !== 'uncached' ? sweepCache.downstream(query, roots) : fetchDownstream(query, roots),
    );
    const t1 = performance.now();
    const afterFetch = process.memoryUsage();
    const result = coveredEntities(graph, rule, { asOf: BENCH_AS_OF });
    const t2 = performance.now();
    const afterReason = process.memoryUsage();
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const covered = result.value.entities.filter((e) => e.verdict === 'COVERED').map((e) => e.entityId);
    sweeps.push({
      mode,
      cached,
      fetchMs: round(t1 - t0),
      reasonMs: round(t2 - t1),
      totalMs: round(t2 - t0),
      fetchedEntities: graph.entities.size,
      fetchedOwnerships: graph.ownerships.length,
      listed: result.value.entities.length,
      covered: covered.length,
      coveredDigest: digestOf(covered),
      rssAfterFetchMb: mb(afterFetch.rss),
      heapAfterFetchMb: mb(afterFetch.heapUsed),
      rssAfterReasonMb: mb(afterReason.rss),
      heapAfterReasonMb: mb(afterReason.heapUsed),
    });
    say(
      `sweep ${i + 1} (${mode}): ${round(t2 - t0)} ms (fetch ${round(t1 - t0)}, reason ${round(t2 - t1)}), ${graph.entities.size} entities fetched, ${result.value.entities.length} listed, covered sha1 ${sweeps.at(-1)!.coveredDigest.slice(0, 12)}; load ${(await import('node:os')).loadavg()[0]!.toFixed(2)}`,
    );
  }
  const best = (xs: typeof sweeps) => xs.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  const warmSweeps = sweeps.filter((s) => s.mode === (sweepCache ? 'cached' : 'uncached'));
  const warm = warmSweeps.length > 0 ? best(warmSweeps) : sweeps[0]!;
  const uncachedSweeps = sweeps.filter((s) => s.mode === 'uncached');
  const uncached = uncachedSweeps.length > 0 ? best(uncachedSweeps) : null;
  if (new Set(sweeps.map((s) => s.coveredDigest)).size > 1)
    throw new Error('Sweeps disagree on the covered set');
  const cacheWeight = sweepCache?.weight() ?? 0;
  collectGarbage();
  const heapWithCacheMb = mb(process.memoryUsage().heapUsed);
  sweepCache?.clear();
  collectGarbage();
  const heapWithoutCacheMb = mb(process.memoryUsage().heapUsed);

  // The whole question through the API (the resolver also writes a reason per covered entity and sorts them):
  // a cold request fills the app's sweep cache, the warm ones find it.
  const app = await createApp(
    db,
    {
      MAX_PAGE_SIZE: 100,
      MAX_DEPTH: 25,
      GRAPHQL_INTROSPECTION: false,
      SWEEP_CACHE_MAX_RECORDS: args.sweepCacheRecords,
    },
    createLogger('silent'),
  );
  const apiSweepMs: number[] = [];
  let apiTotalCount = -1;
  for (let i = 0; i < Math.max(2, args.sweeps); i++) {
    const t0 = performance.now();
    const response = await app.apollo.executeOperation(
      {
        query: 'query($p: ID!, $d: Date) { coveredEntities(policy: $p, asOf: $d, first: 10) { totalCount } }',
        variables: { p: BENCH_POLICY_ID, d: BENCH_AS_OF },
      },
      { contextValue: app.context() },
    );
    apiSweepMs.push(round(performance.now() - t0));
    if (response.body.kind !== 'single' || response.body.singleResult.errors)
      throw new Error(`coveredEntities failed: ${JSON.stringify(response.body)}`);
    apiTotalCount = (response.body.singleResult.data as { coveredEntities: { totalCount: number } })
      .coveredEntities.totalCount;
    say(`API coveredEntities ${i + 1}: ${apiSweepMs.at(-1)} ms, totalCount ${apiTotalCount}`);
  }
  await app.stop(1000);
  const apiSweep = {
    coldMs: apiSweepMs[0]!,
    warmMs: Math.min(...apiSweepMs.slice(1)),
    totalCount: apiTotalCount,
  };

  // Naive path enumeration against ours, on diamond-rich entities, and for correctness on chains and cycles.
  const take = (ids: string[], k: number) => {
    const r = prng(args.seed + 2);
    const pool = [...ids];
    const out: string[] = [];
    while (out.length < k && pool.length > 0) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
    return out;
  };
  const naiveCases = [
    ...take(meta.samples.diamond, args.naive).map((id) => ({ id, kind: 'diamond' as const })),
    ...take(meta.samples.chain, Math.ceil(args.naive / 2)).map((id) => ({ id, kind: 'chain' as const })),
    ...take(meta.samples.cycle, Math.ceil(args.naive / 2)).map((id) => ({ id, kind: 'cycle' as const })),
  ];
  say(`naive baseline on ${naiveCases.length} entities (timeout ${args.naiveTimeoutMs} ms each)`);
  const naive: NaiveCase[] = [];
  for (const c of naiveCases) {
    const ours = [];
    for (let i = 0; i < 3; i++) ours.push(await timedVerdict(db, rule, c.id));
    const oursMs = summary(ours.map((o) => o.totalMs)).p50;
    const v = ours[0]!.verdict;
    const n = await naiveShare(db, rule, designated, c.id, args.naiveDepth, args.naiveTimeoutMs);
    const shareDiff = n.timedOut ? null : Math.abs(n.share - v.lookThrough.lower);
    const naiveVerdict = n.timedOut ? null : n.share >= rule.threshold - 1e-12 ? 'COVERED' : 'NOT_COVERED';
    naive.push({
      ...c,
      oursMs,
      naiveMs: round(n.ms, 1),
      timedOut: n.timedOut,
      paths: n.paths,
      ratio: round(n.ms / oursMs, 1),
      ratioIsLowerBound: n.timedOut,
      oursLookThroughLower: round(v.lookThrough.lower, 6),
      naiveShare: n.timedOut ? null : round(n.share, 6),
      oursVerdict: v.verdict,
      oursLookThroughVerdict: v.lookThrough.verdict,
      naiveVerdict,
      shareAgrees: shareDiff === null ? null : shareDiff < 1e-6,
    });
  }
  const byKind = (kind: string) => {
    const rows = naive.filter((r) => r.kind === kind);
    const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b);
    return {
      entities: rows.length,
      timeouts: rows.filter((r) => r.timedOut).length,
      medianRatio: percentile(ratios, 50),
      minRatio: ratios[0] ?? NaN,
      naiveMedianMs: percentile(
        rows.map((r) => r.naiveMs).sort((a, b) => a - b),
        50,
      ),
      oursMedianMs: percentile(
        rows.map((r) => r.oursMs).sort((a, b) => a - b),
        50,
      ),
      naiveWrong: rows.filter((r) => r.shareAgrees === false).length,
      naiveWrongVerdict: rows.filter(
        (r) => r.naiveVerdict !== null && r.naiveVerdict !== r.oursLookThroughVerdict,
      ).length,
    };
  };
  const naiveSummary = { diamond: byKind('diamond'), chain: byKind('chain'), cycle: byKind('cycle') };

  const report = {
    size: args.size,
    machine: {
      cores: (await import('node:os')).cpus().length,
      loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 2)),
      node: process.version,
      neo4j: bench.neo4j.version,
      neo4jHeap: args.heap,
      pageCache: args.pageCache,
    },
    graph: {
      entities: meta.nodes,
      ownerships: meta.owns,
      controls: meta.controls,
      reused: meta.reused,
      generateSeconds: round(meta.generateSeconds),
      loadSeconds: round(meta.loadSeconds),
    },
    single,
    sides,
    sweep: {
      cold: sweeps[0],
      warm,
      uncached,
      all: sweeps,
      cacheRecords: cacheWeight,
      heapWithCacheMb,
      heapWithoutCacheMb,
      api: apiSweep,
      nodePeakRssMb: peakRssOf('self'),
      nodePeakRssIncludesGeneration: !meta.reused,
      jvmPeakRssMb: peakRssOf(bench.neo4j.pid),
    },
    naive: { depthCap: args.naiveDepth, timeoutMs: args.naiveTimeoutMs, summary: naiveSummary, cases: naive },
    runSeconds: round(ms(runStarted) / 1000),
  };
  await bench.close();

  const out = path.join(__dirname, 'results', `exposure-${args.size}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

  const t = single.totalMs;
  const lines: Array<[string, string, string]> = [
    [
      'graph',
      `${meta.nodes} entities, ${meta.owns} ownerships`,
      meta.reused ? 'reused' : `loaded in ${round(meta.loadSeconds)} s`,
    ],
    ['verdict p50 / p99 (ms)', `${t.p50} / ${t.p99}`, 'target < 20 / < 100'],
    [
      `  with ${args.clients} clients p50 / p99 (ms)`,
      concurrent ? `${concurrent.totalMs.p50} / ${concurrent.totalMs.p99}` : '-',
      concurrent ? `${concurrent.perSecond} verdicts/s, ${concurrent.count} verdicts` : 'skipped',
    ],
    [
      '  CPU per verdict, 8 clients (ms)',
      concurrent ? `node ${concurrent.cpu.nodeMs} + JVM ${concurrent.cpu.jvmMs}` : '-',
      'this process and the Neo4j JVM, from /proc',
    ],
    ['  fetch p50 / p99 (ms)', `${single.fetchMs.p50} / ${single.fetchMs.p99}`, 'fetchUpstream'],
    ['  reason p50 / p99 (ms)', `${single.reasonMs.p50} / ${single.reasonMs.p99}`, 'policyVerdict'],
    [
      '  upstream size p50 / p99 / max',
      `${single.upstreamEntities.p50} / ${single.upstreamEntities.p99} / ${single.upstreamEntities.max}`,
      'entities fetched',
    ],
    [
      'sweep warm (ms)',
      `${warm.totalMs}`,
      `${warm.cached ? 'cached subgraph' : 'uncached'}: fetch ${warm.fetchMs} + reason ${warm.reasonMs}; target < 5000`,
    ],
    [
      'sweep uncached, best (ms)',
      uncached ? `${uncached.totalMs}` : '-',
      uncached
        ? `fetch ${uncached.fetchMs} + reason ${uncached.reasonMs}; ${uncachedSweeps.length} runs interleaved with the warm ones`
        : 'skipped',
    ],
    [
      'API sweep cold / warm (ms)',
      `${apiSweep.coldMs} / ${apiSweep.warmMs}`,
      `totalCount ${apiSweep.totalCount}`,
    ],
    [
      'sweep cache (records, heap MiB)',
      `${cacheWeight}`,
      `heap ${heapWithCacheMb} with it, ${heapWithoutCacheMb} without`,
    ],
    [
      'sweep cold (ms)',
      `${sweeps[0]!.totalMs}`,
      `fetch ${sweeps[0]!.fetchMs} + reason ${sweeps[0]!.reasonMs}; ${warm.fetchedEntities} entities fetched, ${warm.listed} listed`,
    ],
    [
      'node memory (MiB)',
      `heap ${warm.heapAfterReasonMb}, rss ${warm.rssAfterReasonMb}`,
      `peak rss ${report.sweep.nodePeakRssMb}${meta.reused ? '' : ' (incl. generation)'}; JVM peak rss ${report.sweep.jvmPeakRssMb}`,
    ],
  ];
  const rounds = (c: PooledRounds | null) =>
    c
      ? `${c.totalMs.p50} / ${c.totalMs.p99} ms, ${c.perSecond}/s, cpu ${c.cpu.nodeMs}+${c.cpu.jvmMs} (rounds: ${c.rounds
          .map((r) => `${r.totalMs.p50}/${r.totalMs.p99} ${r.perSecond}/s`)
          .join(', ')})`
      : '-';
  for (const side of sides.sides) {
    lines.push(
      [
        `[${side.label}] API verdict, 1 client`,
        `${side.api.sequential.p50} / ${side.api.sequential.p99}`,
        `answers sha1 ${side.answersDigest.slice(0, 12)}`,
      ],
      [`  ${args.clients} clients`, rounds(side.api.concurrent), 'p50 / p99, CPU ms node+JVM per verdict'],
      [
        `[${side.label}] fetch+reason, 1 client`,
        `${side.fetch.sequential.p50} / ${side.fetch.sequential.p99}`,
        'as the first rows, interleaved',
      ],
      [`  ${args.clients} clients`, rounds(side.fetch.concurrent), 'p50 / p99, CPU ms node+JVM per verdict'],
    );
  }
  for (const kind of ['diamond', 'chain', 'cycle'] as const) {
    const s = naiveSummary[kind];
    lines.push([
      `naive/ours, ${kind} (x)`,
      `median ${s.medianRatio}, min ${s.minRatio}`,
      `${s.entities} entities, ${s.timeouts} timeouts, naive wrong on ${s.naiveWrong} (verdict ${s.naiveWrongVerdict})`,
    ]);
  }
  const w0 = Math.max(...lines.map((l) => l[0].length));
  const w1 = Math.max(...lines.map((l) => l[1].length));
  say('');
  for (const [a, b, c] of lines) say(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  for (const [label, queries] of Object.entries(sides.plans)) {
    say(`[${label}] one API verdict sends ${queries.length} queries (PROFILE):`);
    for (const q of queries) say(`  ${q.dbHits} db hits, ${q.rows} rows: ${q.query}`);
  }
  say(`load average ${report.machine.loadAverage.join(' ')} (2 shared cores)`);
  say(`\nwrote ${path.relative(process.cwd(), out)} (run ${report.runSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
