import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import { Database, createDriver } from '../../src/db/database';
import { applyMigrations } from '../../src/db/migrations';
import { createLogger } from '../../src/log';
import { loadFolder } from '../../src/seed/loadDataSet';

export const SEED_FOLDER = path.join(PROJECT_ROOT, 'seed');
export const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');

/** A connection to the shared test Neo4j started by the global setup. */
export function testDatabase(): Database {
  const uri = process.env.TEST_NEO4J_URI;
  if (!uri)
    throw new Error('TEST_NEO4J_URI is not set: integration tests run through the global setup (npm test).');
  return new Database(
    createDriver(uri, 'neo4j', process.env.TEST_NEO4J_PASSWORD),
    'neo4j',
    createLogger('warn'),
  );
}

/** An empty, migrated database: the known state every integration test file starts from. */
export async function resetDatabase(db: Database): Promise<void> {
  await db.write((query) => query('MATCH (n) DETACH DELETE n'));
  await applyMigrations(db);
}

/** The curated seed, freshly loaded. */
export async function seededDatabase(db: Database): Promise<void> {
  await resetDatabase(db);
  await loadFolder(db, SEED_FOLDER);
}

export async function countGraph(db: Database): Promise<{ nodes: number; relationships: number }> {
  const [row] = await db.readRows<{ nodes: number; relationships: number }>(
    'CALL () { MATCH (n:Record) RETURN count(n) AS nodes } CALL () { MATCH (:Record)-[r]->(:Record) RETURN count(r) AS relationships } RETURN nodes, relationships',
  );
  return row!;
}
