import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../src/config';
import type { Database } from '../src/db/database';
import { countGraph, resetDatabase, seededDatabase, testDatabase } from './support/database';
import { seedFileCount, seedIds } from './support/seedFacts';

/**
 * Faults: `npm run seed` killed halfway (SIGKILL, as the OOM killer or a closed terminal would) and run
 * again converges to the full data set: each file is written in one transaction, so a kill leaves whole
 * files or none, and loading is idempotent, so the rerun adds what is missing and nothing twice.
 */
const LOAD_TIMEOUT_MS = 600_000;

let db: Database;

beforeAll(() => {
  db = testDatabase();
});

afterAll(async () => {
  // The next test file starts from the curated seed, as every file does; leave it whole.
  await seededDatabase(db);
  await db?.close();
});

/** Runs the seed CLI against the shared test Neo4j; `killAfterFiles` SIGKILLs it after that many file lines. */
function runSeed(
  killAfterFiles?: number,
): Promise<{ code: number | null; signal: string | null; files: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NEO4J_URI: process.env.TEST_NEO4J_URI,
        NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let files = 0;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      files += lines.filter((l) => /\.json: \d+ created/.test(l)).length;
      if (killAfterFiles !== undefined && files >= killAfterFiles) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, files }));
  });
}

async function labelCounts(): Promise<Record<string, number>> {
  const rows = await db.readRows<{ label: string; count: number }>(
    `MATCH (n:Record) UNWIND labels(n) AS label WITH label WHERE label <> 'Record'
     RETURN label, count(*) AS count ORDER BY label`,
  );
  return Object.fromEntries(rows.map((r) => [r.label, r.count]));
}

describe('Faults: npm run seed killed halfway', () => {
  it(
    'converges to the full data set when run again, with every record once',
    async () => {
      // The reference: the whole seed loaded in one go.
      await seededDatabase(db);
      const full = await countGraph(db);
      const fullLabels = await labelCounts();

      await resetDatabase(db);
      const half = Math.floor(seedFileCount() / 2);
      const killed = await runSeed(half);
      expect(killed).toMatchObject({ signal: 'SIGKILL' });
      const partial = await countGraph(db);
      expect(partial.nodes).toBeGreaterThan(0);
      expect(partial.nodes).toBeLessThan(full.nodes);

      const rerun = await runSeed();
      expect(rerun).toMatchObject({ code: 0, files: seedFileCount() });
      expect(await countGraph(db)).toEqual(full);
      expect(await labelCounts()).toEqual(fullLabels);
      // Counts from the seed's own files, not from another load.
      expect(fullLabels.Organization).toBe(seedIds('organizations').length);
      expect(fullLabels.Person).toBe(seedIds('persons').length);
      expect(fullLabels.AIModel).toBe(seedIds('models').length);
      expect(fullLabels.Policy).toBe(seedIds('policies').length);
    },
    LOAD_TIMEOUT_MS,
  );
});
