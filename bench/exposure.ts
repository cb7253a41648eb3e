/**
 * Not public API: `npm run bench:exposure [-- --size 1000000]`, the benchmark of issue #4. On a synthetic
 * ownership graph (bench/generateOwnershipGraph.ts) it measures, end to end with Cypher, exactly what the API
 * runs: single-entity verdicts (fetchUpstream + policyVerdict), the whole-graph sweep (fetchDownstream +
 * coveredEntities), and the same single-entity question answered by naive variable-length path enumeration
 * in Cypher. Prints a table and writes bench/results/exposure-<size>.json. Figures are reported, never asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import type { Database } from '../src/db/database';
import { fetchDownstream, fetchUpstream } from '../src/queries/ownershipSubgraph';
import { fetchPolicyRules } from '../src/queries/policyRules';
import type { PolicyRule } from '../src/reasoning';
import { coveredEntities, inForce, policyVerdict } from '../src/reasoning';
import { openBenchDatabase, parseArgs } from './benchDatabase';
import { BENCH_AS_OF, BENCH_POLICY_ID, prng } from './generateOwnershipGraph';
import { percentile, round, say, summary } from './stats';

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
  /** Diamond-rich entities compared with the naive query, plus as many chain ends and cycle members. */
  naive: 20,
  naiveTimeoutMs: 10000,
  /** The naive query's variable-length cap, `[:OWNS*1..depth]`. */
  naiveDepth: 12,
};

const ms = (started: number) => performance.now() - started;
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
  const verdictCounts: Record<string, number> = {};
  for (const r of runs) verdictCounts[r.verdict.verdict] = (verdictCounts[r.verdict.verdict] ?? 0) + 1;
  const single = {
    count: runs.length,
    totalMs: summary(runs.map((r) => r.totalMs)),
    fetchMs: summary(runs.map((r) => r.fetchMs)),
    reasonMs: summary(runs.map((r) => r.reasonMs)),
    upstreamEntities: summary(runs.map((r) => r.upstream)),
    verdicts: verdictCounts,
  };

  // The sweep, as the coveredEntities resolver runs it.
  const sweeps: Array<{
    fetchMs: number;
    reasonMs: number;
    totalMs: number;
    fetchedEntities: number;
    fetchedOwnerships: number;
    listed: number;
    covered: number;
    rssAfterFetchMb: number;
    heapAfterFetchMb: number;
    rssAfterReasonMb: number;
    heapAfterReasonMb: number;
  }> = [];
  for (let i = 0; i < args.sweeps; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    const graph = await db.read((query) =>
      fetchDownstream(query, { designated, targets: rule.targetCountries, basis: rule.countryBasis }),
    );
    const t1 = performance.now();
    const afterFetch = process.memoryUsage();
    const result = coveredEntities(graph, rule, { asOf: BENCH_AS_OF });
    const t2 = performance.now();
    const afterReason = process.memoryUsage();
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    sweeps.push({
      fetchMs: round(t1 - t0),
      reasonMs: round(t2 - t1),
      totalMs: round(t2 - t0),
      fetchedEntities: graph.entities.size,
      fetchedOwnerships: graph.ownerships.length,
      listed: result.value.entities.length,
      covered: result.value.entities.filter((e) => e.verdict === 'COVERED').length,
      rssAfterFetchMb: mb(afterFetch.rss),
      heapAfterFetchMb: mb(afterFetch.heapUsed),
      rssAfterReasonMb: mb(afterReason.rss),
      heapAfterReasonMb: mb(afterReason.heapUsed),
    });
    say(
      `sweep ${i + 1}: ${round(t2 - t0)} ms (fetch ${round(t1 - t0)}, reason ${round(t2 - t1)}), ${graph.entities.size} entities fetched, ${result.value.entities.length} listed`,
    );
  }
  const warm =
    sweeps.length > 1 ? sweeps.slice(1).reduce((a, b) => (b.totalMs < a.totalMs ? b : a)) : sweeps[0]!;

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
    ['  fetch p50 / p99 (ms)', `${single.fetchMs.p50} / ${single.fetchMs.p99}`, 'fetchUpstream'],
    ['  reason p50 / p99 (ms)', `${single.reasonMs.p50} / ${single.reasonMs.p99}`, 'policyVerdict'],
    [
      '  upstream size p50 / p99 / max',
      `${single.upstreamEntities.p50} / ${single.upstreamEntities.p99} / ${single.upstreamEntities.max}`,
      'entities fetched',
    ],
    ['sweep warm (ms)', `${warm.totalMs}`, `fetch ${warm.fetchMs} + reason ${warm.reasonMs}; target < 5000`],
    [
      'sweep cold (ms)',
      `${sweeps[0]!.totalMs}`,
      `${warm.fetchedEntities} entities fetched, ${warm.listed} listed`,
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
  say(`\nwrote ${path.relative(process.cwd(), out)} (run ${report.runSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
