/**
 * Not public API: `npx tsx bench/writeProfile.ts [-- --batch 10000 --rounds 2]`, where one `applyChange` of the
 * write bench's batch (bench/write.ts: half organizations, half stakes between them) spends its time. Every
 * statement is timed by an observer on the Database; the commit is the time from the last statement's end to
 * the call's return. Each round writes a new batch (created) and sends it again with every share changed
 * (updated, old versions archived).
 *
 * A/B: `--variants before=/tmp/old/src/write/applyChange.ts,after=src/write/applyChange.ts` loads each
 * module's `applyChange` and runs them interleaved in one process on one Neo4j, the order reversed every
 * round (A, B, B, A, ...). `--floor` measures instead what Neo4j itself gives: a bare `UNWIND $rows … CREATE` of
 * `:Record:Organization` nodes (one transaction) and of `OWNS` relationships between them (another), with the
 * properties the write layer stores, interleaved with the first variant's `applyChange` of the same batch.
 * The same for `--singles` one-organization writes from `--clients` concurrent clients
 * (each its own transaction, as `createRecord`), to tell what the graph-version counter's lock costs. Prints per-statement times and writes bench/results/write-profile-<batch>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database, Params } from '../src/db/database';
import type { ChangeOutcome, ChangeRequest } from '../src/write/applyChange';
import { toProps } from '../src/seed/storage';
import { openBenchDatabase, parseArgs } from './benchDatabase';
import { concurrently, round, say, summary } from './stats';

const DEFAULTS = {
  size: 10000,
  seed: 42,
  heap: '2g',
  pageCache: '1g',
  batch: 10000,
  rounds: 2,
  /** Single-record writes per variant and round, from `clients` concurrent clients (0: skip that phase). */
  singles: 200,
  clients: 8,
  variants: 'current=src/write/applyChange.ts',
  /** Instead of the profile: bare `UNWIND … CREATE` against the write layer, batch sizes `floorSizes`. */
  floor: false,
  floorSizes: '1000,10000,50000',
};

type Apply = (db: Database, request: ChangeRequest) => Promise<ChangeOutcome>;

const SOURCE = 'src:bench-writes';
const AUTHOR = { id: 'bench:editor', name: 'Bench editor' };

function batch(tag: string, size: number, share: number) {
  const half = Math.floor(size / 2);
  return {
    organizations: Array.from({ length: half }, (_, i) => ({
      id: `org:bench-p-${tag}-${i}`,
      name: `Bench batch ${i}`,
      type: 'COMPANY',
      sources: [SOURCE],
    })),
    ownerships: Array.from({ length: size - half }, (_, i) => ({
      id: `own:bench-p-${tag}-${i}`,
      owner: `org:bench-p-${tag}-${(i + 1) % half}`,
      owned: `org:bench-p-${tag}-${i % half}`,
      share: { exact: share },
      startDate: '2024-01-01',
      sources: [SOURCE],
    })),
  };
}

/** A statement's first words after UNWIND/MATCH boilerplate: enough to tell the write layer's statements apart. */
function label(cypher: string): string {
  return cypher.replace(/\s+/g, ' ').trim().slice(0, 110);
}

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const variants = await Promise.all(
    args.variants.split(',').map(async (pair) => {
      const [name, file] = pair.split('=') as [string, string];
      const module = (await import(path.resolve(file))) as { applyChange: Apply };
      return { name, apply: module.applyChange };
    }),
  );
  const bench = await openBenchDatabase(args, say);
  try {
    await variants[0]!.apply(bench.db, {
      author: AUTHOR,
      reason: 'bench source',
      records: {
        sources: [
          { id: SOURCE, url: 'https://example.org/bench', publisher: 'Bench', title: 'Bench writes' },
        ],
      },
    });
  } catch (error) {
    await bench.close();
    throw error;
  }
  if (args.floor) {
    try {
      await floor(bench.db, variants[0]!.apply, args.floorSizes.split(',').map(Number), args.rounds);
    } finally {
      await bench.close();
    }
    return;
  }
  const load = () => round(os.loadavg()[0]!, 2);
  const runId = Date.now().toString(36);
  const results: Array<Record<string, unknown>> = [];
  try {
    for (let r = 0; r < args.rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const tag = `${runId}-${r}-${variant.name}`;
        if (args.singles > 0) {
          const loadBefore = load();
          const { ms, wallMs } = await concurrently(args.clients, args.singles, async (i) => {
            const outcome = await variant.apply(bench.db, {
              author: AUTHOR,
              reason: 'bench single',
              records: {
                organizations: [
                  { id: `org:bench-s-${tag}-${i}`, name: `Single ${i}`, type: 'COMPANY', sources: [SOURCE] },
                ],
              },
            });
            if (!outcome.written) throw new Error(JSON.stringify(outcome.problems));
          });
          const entry = {
            round: r,
            variant: variant.name,
            what: `single x${args.clients}`,
            perSecond: round(args.singles / (wallMs / 1000), 1),
            latencyMs: summary(ms),
            load: [loadBefore, load()],
          };
          results.push(entry);
          say(
            `round ${r} ${variant.name.padEnd(8)} single, ${args.clients} clients: ${entry.perSecond}/s, ` +
              `p50 ${entry.latencyMs.p50} ms, p90 ${entry.latencyMs.p90} ms, load ${entry.load.join(' -> ')}`,
          );
        }
        if (args.batch === 0) continue;
        for (const [what, share] of [
          ['created', 10],
          ['updated', 20],
        ] as const) {
          const statements: Array<{ cypher: string; ms: number; rows: number }> = [];
          let lastEnd = 0;
          const observed = bench.db.observed({
            onQuery(cypher: string, params: Params, ms: number) {
              lastEnd = performance.now();
              const rows = Array.isArray(params.rows)
                ? params.rows.length
                : Array.isArray(params.ids)
                  ? params.ids.length
                  : 0;
              statements.push({ cypher: label(cypher), ms: round(ms, 1), rows });
            },
          });
          const loadBefore = load();
          const t0 = performance.now();
          const outcome = await variant.apply(observed, {
            author: AUTHOR,
            reason: 'bench profile',
            records: batch(tag, args.batch, share),
          });
          const tEnd = performance.now();
          const total = tEnd - t0;
          if (!outcome.written) throw new Error(JSON.stringify(outcome.problems.slice(0, 3)));
          const inStatements = statements.reduce((a, s) => a + s.ms, 0);
          const entry = {
            round: r,
            variant: variant.name,
            what,
            totalS: round(total / 1000, 2),
            recordsPerSecond: round(args.batch / (total / 1000), 0),
            statementsS: round(inStatements / 1000, 2),
            commitS: round((tEnd - lastEnd) / 1000, 2),
            load: [loadBefore, load()],
            statements,
          };
          results.push(entry);
          say(
            `round ${r} ${variant.name.padEnd(8)} ${what.padEnd(7)} ${entry.totalS} s (${entry.recordsPerSecond}/s), ` +
              `statements ${entry.statementsS} s, commit ${entry.commitS} s, load ${entry.load.join(' -> ')}`,
          );
          for (const s of statements) if (s.ms >= 20) say(`    ${String(s.ms).padStart(8)} ms  ${s.cypher}`);
        }
      }
    }
    const file = path.join(__dirname, 'results', `write-profile-${args.batch}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, results }, null, 2)}\n`,
    );
    say(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    await bench.close();
  }
}

/**
 * What Neo4j gives on this machine with our schema, against what the write layer makes of it: per batch size,
 * bare creates of the batch's organizations and then of its stakes (each one transaction, commit included),
 * and `applyChange` of the same batch, in the order bare, layer, layer, bare, ...
 */
async function floor(db: Database, apply: Apply, sizes: number[], rounds: number): Promise<void> {
  const load = () => round(os.loadavg()[0]!, 2);
  const runId = Date.now().toString(36);
  const stamp = { version: 1, recordedAt: new Date().toISOString(), changeSetId: 'change:bench-floor' };
  const results: Array<Record<string, unknown>> = [];
  // Warm-up, not reported: the first statement of each shape in a process pays planning and JIT.
  for (let r = -1; r < rounds; r++) {
    for (const size of r < 0 ? [200] : sizes) {
      for (const what of r % 2 !== 1 ? ['bare', 'layer'] : ['layer', 'bare']) {
        const data = batch(`${runId}-f${r}-${size}-${what}`, size, 10);
        const loadBefore = load();
        if (what === 'bare') {
          const nodes = data.organizations.map((o) => ({ ...toProps(o), ...stamp }));
          const stakes = data.ownerships.map((o) => ({
            from: o.owner,
            to: o.owned,
            props: { ...toProps(o), ...stamp },
          }));
          let t = performance.now();
          await db.write((q) =>
            q('UNWIND $rows AS row CREATE (n:Record:Organization) SET n = row', { rows: nodes }),
          );
          const nodesMs = performance.now() - t;
          t = performance.now();
          await db.write((q) =>
            q(
              `UNWIND $rows AS row MATCH (a:Record {id: row.from}), (b:Record {id: row.to})
               CREATE (a)-[r:OWNS]->(b) SET r = row.props`,
              { rows: stakes },
            ),
          );
          const stakesMs = performance.now() - t;
          const entry = {
            round: r,
            size,
            what,
            nodesPerSecond: round(nodes.length / (nodesMs / 1000), 0),
            stakesPerSecond: round(stakes.length / (stakesMs / 1000), 0),
            recordsPerSecond: round(size / ((nodesMs + stakesMs) / 1000), 0),
            load: [loadBefore, load()],
          };
          if (r >= 0) results.push(entry);
          say(
            `round ${r} ${String(size).padStart(6)} bare : ${entry.recordsPerSecond}/s (nodes ` +
              `${entry.nodesPerSecond}/s in ${round(nodesMs / 1000, 2)} s, stakes ${entry.stakesPerSecond}/s in ` +
              `${round(stakesMs / 1000, 2)} s), load ${entry.load.join(' -> ')}`,
          );
        } else {
          const t = performance.now();
          const outcome = await apply(db, { author: AUTHOR, reason: 'bench floor', records: data });
          const ms = performance.now() - t;
          if (!outcome.written) throw new Error(JSON.stringify(outcome.problems.slice(0, 3)));
          const entry = {
            round: r,
            size,
            what,
            recordsPerSecond: round(size / (ms / 1000), 0),
            load: [loadBefore, load()],
          };
          if (r >= 0) results.push(entry);
          say(
            `round ${r} ${String(size).padStart(6)} layer: ${entry.recordsPerSecond}/s in ${round(ms / 1000, 2)} s, ` +
              `load ${entry.load.join(' -> ')}`,
          );
        }
      }
    }
  }
  const file = path.join(__dirname, 'results', 'write-floor.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, results }, null, 2)}\n`,
  );
  say(`written ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
