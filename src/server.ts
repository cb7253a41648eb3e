import path from 'node:path';
import { createApp } from './app';
import { ConfigError, PROJECT_ROOT, loadConfig } from './config';
import { connect } from './db/connect';
import { EmbeddedNeo4jUnavailable } from './db/embeddedNeo4j';
import { applyMigrations } from './db/migrations';
import { createLogger } from './log';
import { DataSetError } from './seed/dataSetError';
import { loadFolder } from './seed/loadDataSet';

/**
 * `npm start`: validate the settings, connect to Neo4j (starting the embedded one when NEO4J_URI is unset),
 * apply migrations, load the seed into an empty database, serve GraphQL. SIGINT/SIGTERM stop taking
 * requests, finish those in flight, close the driver and stop the embedded Neo4j.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const connection = await connect(config, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const began = performance.now();
    log.info('Shutting down', { signal });
    await app?.stop(config.SHUTDOWN_TIMEOUT_MS).catch(() => undefined);
    log.info('HTTP server drained', { ms: Math.round(performance.now() - began) });
    await connection.close().catch(() => undefined);
    log.info('Stopped', { ms: Math.round(performance.now() - began) });
    process.exit(0);
  };
  // eslint-disable-next-line prefer-const -- declared before the signal handlers that read it, assigned later
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await applyMigrations(connection.db);
  if (config.SEED_ON_EMPTY) {
    const rows = await connection.db.readRows<{ count: number }>('MATCH (n:Record) RETURN count(n) AS count');
    if ((rows[0]?.count ?? 0) === 0) {
      const folder = path.resolve(PROJECT_ROOT, config.SEED_FOLDER);
      const report = await loadFolder(connection.db, folder);
      log.info('Loaded the seed into the empty database', { folder, created: report.created });
    }
  }
  app = await createApp(connection.db, config, log);
  await new Promise<void>((resolve, reject) => {
    app.http.once('error', reject);
    app.http.listen(config.PORT, config.HOST, resolve);
  });
  const address = app.http.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info(`GraphQL server ready at http://localhost:${port}/ (Apollo Sandbox in a browser)`, {
    startMs: Math.round(performance.now() - started),
    embeddedNeo4j: connection.embedded?.uri ?? null,
  });
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedNeo4jUnavailable ||
    error instanceof DataSetError
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
