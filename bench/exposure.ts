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
import type { Database } from '../src/db/database';
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
import { concurrentFigures, percentile, round, say, summary, type ConcurrentFigures } from './stats';

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
async function timedVerdict(db: Database, rule: PolicyRule, entityId: string) {
  const t0 = performance.now();
  const graph = await db.read((query) => fetchUpstream(query, [entityId]));
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
  let concurrent: ConcurrentFigures | null = null;
  if (args.clients > 0 && args.concurrentVerdicts > 0) {
    say(`measuring ${args.concurrentVerdicts} verdicts from ${args.clients} concurrent clients`);
    const entities = Array.from({ length: args.concurrentVerdicts }, randomEntity);
    concurrent = await concurrentFigures(args.clients, entities.length, (i) =>
      timedVerdict(db, rule, entities[i]!),
    );
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
  say(`load average ${report.machine.loadAverage.join(' ')} (2 shared cores)`);
  say(`\nwrote ${path.relative(process.cwd(), out)} (run ${report.runSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
