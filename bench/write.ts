/**
 * Not public API: `npm run bench:write [-- --size 100000]`, the write benchmark of issue 12. On the synthetic
 * bench graph (bench/generateOwnershipGraph.ts, reused from .data/bench-<size>) it measures, through
 * GraphQL (apollo.executeOperation, so resolvers, validation and the write layer, without HTTP):
 * - single-record mutations per second with `clients` concurrent clients (createRecord of an organization);
 * - applyDataSet of a `batch`-record batch (organizations and stakes), records per second, created and then
 *   updated (the update also archives every replaced version), in `rounds` rounds of fresh records: the first
 *   in a cold process, reported apart;
 * - policyVerdict latency with and without knownAsOf, interleaved (A, B, A, B) on the same entities.
 * Prints the figures with the load average and writes bench/results/write-<size>.json. Reported, never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../src/app';
import type { Principal } from '../src/auth/principal';
import { createLogger } from '../src/log';
import { openBenchDatabase, parseArgs } from './benchDatabase';
import { BENCH_AS_OF, BENCH_POLICY_ID, prng } from './generateOwnershipGraph';
import { round, say, summary } from './stats';

const DEFAULTS = {
  size: 10000,
  seed: 42,
  heap: '4g',
  pageCache: '4g',
  clients: 8,
  /** Single-record mutations, over all clients. */
  mutations: 400,
  batch: 10000,
  /**
   * applyDataSet rounds, each a fresh batch created then sent again changed. The first runs in a cold JVM and
   * node (the JIT has compiled neither side's paths yet) and is reported apart from the rest, as a server
   * that has been up a while runs the later ones.
   */
  rounds: 3,
  verdicts: 200,
};

const EDITOR: Principal = { id: 'bench:editor', name: 'Bench editor', role: 'editor', via: 'api-key' };
const SOURCE = 'src:bench-writes';

async function run(app: App, query: string, variables: Record<string, unknown> = {}) {
  const contextValue = app.context();
  contextValue.principal = EDITOR;
  const response = await app.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  if (errors) throw new Error(JSON.stringify(errors));
  return data as Record<string, { written?: boolean; problems?: unknown[] } & Record<string, unknown>>;
}

const APPLY = `mutation($input: JSONObject!) { applyDataSet(input: $input, reason: "bench batch") {
  written created updated unchanged problems { path message } } }`;

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const bench = await openBenchDatabase(args, say);
  const app = await createApp(
    bench.db,
    { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: false, REQUEST_TIMEOUT_MS: 600_000 },
    createLogger('warn'),
  );
  const load = () => os.loadavg().map((x) => round(x, 2));
  const runId = Date.now().toString(36);
  try {
    // Idempotent: a later run finds the source unchanged.
    await run(app, APPLY, {
      input: {
        sources: [
          { id: SOURCE, url: 'https://example.org/bench', publisher: 'Bench', title: 'Bench writes' },
        ],
      },
    });

    // 1. Single-record mutations, `clients` at a time.
    const loadBefore1 = load();
    let next = 0;
    const started1 = performance.now();
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: args.clients }, async () => {
        while (next < args.mutations) {
          const i = next++;
          const t = performance.now();
          const data = await run(
            app,
            `mutation($r: JSONObject!) { createRecord(kind: ORGANIZATION, record: $r, reason: "bench single") { written } }`,
            {
              r: {
                id: `org:bench-w-${runId}-${i}`,
                name: `Bench write ${i}`,
                type: 'COMPANY',
                sources: [SOURCE],
              },
            },
          );
          if (!data.createRecord?.written) throw new Error(`not written: ${JSON.stringify(data)}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const single = {
      clients: args.clients,
      mutations: args.mutations,
      perSecond: round(args.mutations / ((performance.now() - started1) / 1000), 1),
      latencyMs: summary(latencies),
      loadAverage: [loadBefore1, load()],
    };
    say(
      `single-record mutations, ${args.clients} clients: ${single.perSecond}/s, latency ${JSON.stringify(single.latencyMs)} ms`,
    );

    // 2. applyDataSet: half organizations, half stakes from a bench entity into them; then the same batch changed.
    const half = Math.floor(args.batch / 2);
    const batch = (round: number, share: number) => ({
      organizations: Array.from({ length: half }, (_, i) => ({
        id: `org:bench-b-${runId}-${round}-${i}`,
        name: `Bench batch ${round} ${i}`,
        type: 'COMPANY',
        sources: [SOURCE],
      })),
      ownerships: Array.from({ length: args.batch - half }, (_, i) => ({
        id: `own:bench-b-${runId}-${round}-${i}`,
        owner: `org:bench-b-${runId}-${round}-${(i + 1) % half}`,
        owned: `org:bench-b-${runId}-${round}-${i % half}`,
        share: { exact: share },
        startDate: '2024-01-01',
        sources: [SOURCE],
      })),
    });
    const batches: Array<Record<string, unknown>> = [];
    for (let r = 0; r < Math.max(1, args.rounds); r++) {
      for (const [what, share] of [
        ['created', 10],
        ['updated', 20],
      ] as const) {
        const input = batch(r, share);
        const loadBefore = load();
        const t = performance.now();
        const data = await run(app, APPLY, { input });
        const seconds = (performance.now() - t) / 1000;
        const result = data.applyDataSet!;
        if (!result.written) throw new Error(JSON.stringify(result.problems?.slice(0, 5)));
        batches.push({
          round: r,
          cold: r === 0,
          what,
          records: args.batch,
          seconds: round(seconds, 2),
          recordsPerSecond: round(args.batch / seconds, 0),
          result,
          loadAverage: [loadBefore, load()],
        });
        say(
          `applyDataSet ${args.batch} records (round ${r}${r === 0 ? ', cold' : ''}, ${what}): ${round(seconds, 2)} s, ${round(args.batch / seconds, 0)} records/s, load ${load()[0]}`,
        );
      }
    }

    // 3. policyVerdict with and without knownAsOf, interleaved on the same entities.
    const samples = [...bench.meta.samples.diamond, ...bench.meta.samples.chain, ...bench.meta.samples.cycle];
    const random = prng(args.seed);
    const entities = Array.from(
      { length: args.verdicts },
      () => samples[Math.floor(random() * samples.length)]!,
    );
    const knownAsOf = new Date().toISOString();
    const VERDICT = `query($e: ID!, $k: DateTime) { policyVerdict(entity: $e, policy: "${BENCH_POLICY_ID}", asOf: "${BENCH_AS_OF}", knownAsOf: $k) { verdict aggregate { lower upper } } }`;
    const current: number[] = [];
    const known: number[] = [];
    let differ = 0;
    const loadBefore3 = load();
    for (const entity of entities) {
      let t = performance.now();
      const a = await run(app, VERDICT, { e: entity });
      current.push(performance.now() - t);
      t = performance.now();
      const b = await run(app, VERDICT, { e: entity, k: knownAsOf });
      known.push(performance.now() - t);
      if (JSON.stringify(a) !== JSON.stringify(b)) differ++;
    }
    const verdicts = {
      entities: entities.length,
      withoutKnownAsOfMs: summary(current),
      withKnownAsOfMs: summary(known),
      answersThatDiffer: differ,
      loadAverage: [loadBefore3, load()],
    };
    say(`policyVerdict without knownAsOf: ${JSON.stringify(verdicts.withoutKnownAsOfMs)} ms`);
    say(
      `policyVerdict with knownAsOf:    ${JSON.stringify(verdicts.withKnownAsOfMs)} ms (answers that differ: ${differ})`,
    );

    const out = {
      size: args.size,
      cpus: os.cpus().length,
      at: new Date().toISOString(),
      single,
      batches,
      verdicts,
    };
    const file = path.join(__dirname, 'results', `write-${args.size}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    say(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    await app.stop(1000);
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
