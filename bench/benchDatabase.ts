/**
 * Not public API: the embedded Neo4j the benchmarks run against, one persistent folder per graph size
 * (.data/bench-<size>), so a generated graph is loaded once and reused by later runs.
 */
import { PROJECT_ROOT } from '../src/config';
import { createDriver, Database } from '../src/db/database';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { applyMigrations, MIGRATIONS } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { ensureBenchGraph, type BenchMeta } from './generateOwnershipGraph';

export interface BenchArgs {
  size: number;
  seed: number;
  heap: string;
  pageCache: string;
  [key: string]: number | string | boolean;
}

/** `--name value` and `--flag` pairs over defaults; numbers stay numbers (1e6 and 1000000 both work). */
export function parseArgs<T extends Record<string, number | string | boolean>>(
  argv: string[],
  defaults: T,
): T {
  const out: Record<string, number | string | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const key = arg.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(key in defaults))
      throw new Error(
        `Unknown option ${arg}; known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    const next = argv[i + 1];
    if (typeof defaults[key] === 'boolean') out[key] = true;
    else {
      if (next === undefined) throw new Error(`Option ${arg} needs a value.`);
      out[key] = typeof defaults[key] === 'number' ? Number(next) : next;
      i++;
    }
  }
  return out as T;
}

export interface BenchDatabase {
  db: Database;
  neo4j: EmbeddedNeo4j;
  meta: BenchMeta & { reused: boolean };
  close(): Promise<void>;
}

export async function openBenchDatabase(
  args: BenchArgs,
  say: (line: string) => void,
): Promise<BenchDatabase> {
  const log = createLogger('warn');
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir: `.data/bench-${args.size}`,
    port: 0,
    heap: args.heap,
    pageCache: args.pageCache,
    txMemory: '2g',
    log,
    // A bench graph on a machine shared with test runs can take minutes to open.
    startTimeoutMs: 600_000,
  });
  const db = new Database(createDriver(neo4j.uri, neo4j.user, neo4j.password), 'neo4j', log);
  try {
    // Only the id constraint before loading (edges find their ends through it); the other indexes, the
    // full-text index on names above all, are built after the load in one population pass, which is far
    // cheaper than updating them in every write transaction.
    await db.write((query) => query(MIGRATIONS[0]!));
    const meta = await ensureBenchGraph(db, args.size, args.seed, say);
    const started = performance.now();
    await applyMigrations(db);
    if (!meta.reused) say(`indexes built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      db,
      neo4j,
      meta,
      async close() {
        await db.close();
        await neo4j.stop();
      },
    };
  } catch (error) {
    await db.close();
    await neo4j.stop();
    throw error;
  }
}
