import type { Config } from '../config';
import { PROJECT_ROOT } from '../config';
import type { Logger } from '../log';
import { Database, createDriver } from './database';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from './embeddedNeo4j';

/** A database connection and, when we started one, the embedded Neo4j behind it. */
export interface Connection {
  db: Database;
  embedded: EmbeddedNeo4j | null;
  close(): Promise<void>;
}

/**
 * NEO4J_URI set: use that server (single instance, cluster or Aura) and never start Java. Unset: start the
 * embedded Neo4j on the project-local data folder.
 */
export async function connect(config: Config, log: Logger): Promise<Connection> {
  let embedded: EmbeddedNeo4j | null = null;
  let uri = config.NEO4J_URI;
  if (!uri) {
    embedded = await startEmbeddedNeo4j({
      projectRoot: PROJECT_ROOT,
      dataDir: config.EMBEDDED_NEO4J_DATA,
      port: config.EMBEDDED_NEO4J_PORT,
      heap: config.EMBEDDED_NEO4J_HEAP,
      pageCache: config.EMBEDDED_NEO4J_PAGECACHE,
      javaHome: config.NEO4J_JAVA_HOME,
      javaHomeEnv: config.JAVA_HOME,
      log,
    });
    uri = embedded.uri;
  }
  const driver = createDriver(uri, config.NEO4J_USER, config.NEO4J_PASSWORD);
  const db = new Database(driver, config.NEO4J_DATABASE, log);
  try {
    await driver.verifyConnectivity({ database: config.NEO4J_DATABASE });
  } catch (error) {
    await driver.close();
    await embedded?.stop();
    throw new Error(`Cannot connect to Neo4j at ${uri}: ${(error as Error).message}`, { cause: error });
  }
  log.info('Connected to Neo4j', { uri, database: config.NEO4J_DATABASE, embedded: embedded !== null });
  return {
    db,
    embedded,
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}
