import { loadConfig } from '../config';
import { connect, type Connection } from '../db/connect';
import { readPassword, runningNeo4j } from '../db/dataFolder';
import { applyMigrations } from '../db/migrations';
import { createLogger } from '../log';

/**
 * The configured Neo4j for a command-line tool (seed:check --database, import, export): NEO4J_URI when set;
 * else the embedded Neo4j that `npm start` is running (its launcher wrote `running.json`, and it holds the
 * data folder's lock, so a second one could not start there); else one started for the command. Migrated.
 */
export async function openConfiguredDatabase(): Promise<Connection> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const running = config.NEO4J_URI ? null : runningNeo4j(config.EMBEDDED_NEO4J_DATA);
  if (running)
    process.stderr.write(`Using the running embedded Neo4j at ${running.bolt} (npm start is up).\n`);
  const connection = await connect(
    running
      ? {
          ...config,
          NEO4J_URI: running.bolt,
          NEO4J_PASSWORD: readPassword(config.EMBEDDED_NEO4J_DATA) ?? undefined,
        }
      : config,
    log,
  );
  await applyMigrations(connection.db);
  return connection;
}
