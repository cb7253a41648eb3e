import type { Config } from '../config';
import { PROJECT_ROOT } from '../config';
import type { Logger } from '../log';
import { Database, createDriver } from './database';
import { startEmbeddedNeo4j, type EmbeddedNeo4j, type EmbeddedNeo4jOptions } from './embeddedNeo4j';

/** A database connection and, when we started one, the embedded Neo4j behind it. */
export interface Connection {
  db: Database;
  /** The embedded Neo4j currently running (a restart replaces it), or null with NEO4J_URI. */
  readonly embedded: EmbeddedNeo4j | null;
  close(): Promise<void>;
}

/** The embedded Neo4j as the settings describe it (data folder, port, memory, JDK). */
export function embeddedOptions(config: Config, log: Logger): EmbeddedNeo4jOptions {
  return {
    projectRoot: PROJECT_ROOT,
    dataDir: config.EMBEDDED_NEO4J_DATA,
    port: config.EMBEDDED_NEO4J_PORT,
    heap: config.EMBEDDED_NEO4J_HEAP,
    pageCache: config.EMBEDDED_NEO4J_PAGECACHE,
    startTimeoutMs: config.EMBEDDED_NEO4J_START_TIMEOUT * 1000,
    javaHome: config.NEO4J_JAVA_HOME,
    javaHomeEnv: config.JAVA_HOME,
    log,
  };
}

/** Exit codes of a JVM that ran its clean shutdown on SIGHUP, SIGINT or SIGTERM (128 + the signal number). */
const STOPPED_BY_SIGNAL = new Set([129, 130, 143]);

export interface ConnectOptions {
  /**
   * The embedded Neo4j was told to stop (a signal sent to the JVM itself, by an operator or a process
   * manager): the caller should stop too, as for a signal of its own. Without this option it is restarted.
   */
  onEmbeddedStopped?(exitCode: number): void;
}

/**
 * NEO4J_URI set: use that server (single instance, cluster or Aura) and never start Java. Unset: start the
 * embedded Neo4j on the project-local data folder with the folder's password. If it dies (killed, crashed)
 * it is restarted on the same port, so the driver reconnects by itself (meanwhile /readyz says 503 and
 * GraphQL answers UNAVAILABLE); if it was told to stop, `onEmbeddedStopped` decides.
 */
export async function connect(
  config: Config,
  log: Logger,
  options: ConnectOptions = {},
): Promise<Connection> {
  let embedded: EmbeddedNeo4j | null = null;
  let closing = false;
  let uri = config.NEO4J_URI;
  let user = config.NEO4J_USER;
  let password = config.NEO4J_PASSWORD;
  if (!uri) {
    const embeddedSettings = embeddedOptions(config, log);
    embedded = await startEmbeddedNeo4j(embeddedSettings);
    ({ uri, user, password } = embedded);
    const port = Number(new URL(uri.replace(/^bolt:/, 'http:')).port);
    const supervise = (current: EmbeddedNeo4j) => {
      void current.exited.then(async (code) => {
        if (closing) return;
        if (code !== null && STOPPED_BY_SIGNAL.has(code) && options.onEmbeddedStopped) {
          log.warn('Embedded Neo4j was told to stop; stopping the server too', { code });
          options.onEmbeddedStopped(code);
          return;
        }
        for (let attempt = 1; !closing; attempt++) {
          log.error('Embedded Neo4j exited unexpectedly; restarting it', { code, attempt });
          await new Promise((r) => setTimeout(r, Math.min(30000, 500 * 2 ** attempt)));
          if (closing) return;
          try {
            embedded = await startEmbeddedNeo4j({ ...embeddedSettings, port });
            supervise(embedded);
            return;
          } catch (error) {
            log.error('Restarting the embedded Neo4j failed', { error: (error as Error).message });
          }
        }
      });
    };
    supervise(embedded);
  }
  const driver = createDriver(uri, user, password);
  const db = new Database(driver, config.NEO4J_DATABASE, log);
  try {
    await driver.verifyConnectivity({ database: config.NEO4J_DATABASE });
  } catch (error) {
    closing = true;
    await driver.close();
    await embedded?.stop();
    throw new Error(`Cannot connect to Neo4j at ${uri}: ${(error as Error).message}`, { cause: error });
  }
  log.info('Connected to Neo4j', { uri, database: config.NEO4J_DATABASE, embedded: embedded !== null });
  return {
    db,
    get embedded() {
      return embedded;
    },
    async close() {
      closing = true;
      await db.close();
      await embedded?.stop();
    },
  };
}
