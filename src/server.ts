import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, type App } from './app';
import { ConfigError, PROJECT_ROOT, loadConfig } from './config';
import { connect, type Connection } from './db/connect';
import { EmbeddedNeo4jInUse, EmbeddedNeo4jUnavailable } from './db/embeddedNeo4j';
import { applyMigrations } from './db/migrations';
import { createLogger } from './log';
import { DataSetError } from './seed/dataSetError';
import { isDatabaseEmpty } from './queries/records';
import { loadFolder } from './seed/loadDataSet';
import { startStopWatchdog } from './stopWatchdog';
import { startWebhookWorker, type WebhookWorker } from './watch/webhookWorker';

/**
 * Room for Apollo's stop and the driver's close on top of the drain. Past it, the watchdog sends the JVM the
 * SIGTERM we would have sent and ends this process; Neo4j's own clean stop (2 to 5 s) then ends the tree.
 */
const STOP_MARGIN_MS = 3000;
/** A loop blocked this long is stalled even if SHUTDOWN_TIMEOUT_MS is smaller (a GC pause is not a hang). */
const MIN_STALL_LIMIT_MS = 5000;

/**
 * `npm start`: validate the settings, connect to Neo4j (starting the embedded one when NEO4J_URI is unset),
 * apply migrations, load the seed into an empty database, serve GraphQL.
 *
 * Stopping: SIGINT, SIGTERM and SIGHUP, the death of the parent process (npm), and a stop signal sent to the
 * embedded Neo4j's JVM all lead to the same stop: take no new requests, let those in flight finish for up to
 * SHUTDOWN_TIMEOUT_MS (then their sockets are destroyed, so a cut response fails visibly at the client rather
 * than looking complete), close the driver, stop the embedded Neo4j. A watchdog thread bounds the whole stop
 * (see stopWatchdog.ts). If this process crashes, the JVM notices (its standard input closes) and stops
 * cleanly by itself, so the next start finds no lock and a free port.
 */
const HELP = `Usage: npm start

Starts the GraphQL server: on NEO4J_URI when it is set, otherwise on an embedded Neo4j in EMBEDDED_NEO4J_DATA
(built with Maven on first use), with the schema's constraints applied and the seed loaded into an empty
database. Settings come from the environment (PORT, HOST, NEO4J_URI, LOG_LEVEL, LOG_FORMAT, ...): the README's
Settings table lists them all. Stops on SIGINT, SIGTERM or SIGHUP, finishing requests in flight for up to
SHUTDOWN_TIMEOUT_MS.

Options:
  -h, --help  show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const started = performance.now();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  // One mutable record for what the stop needs, which may come before start-up has produced any of it.
  const state: {
    phase: 'starting' | 'serving' | 'stopping';
    app?: App;
    connection?: Connection;
    webhooks?: WebhookWorker;
  } = {
    phase: 'starting',
  };

  const stop = async (reason: string) => {
    if (state.phase === 'stopping') return;
    state.phase = 'stopping';
    watchdog.stopping(reason);
    const began = performance.now();
    log.info('Shutting down', { reason });
    // Deliveries in flight go back to PENDING in Neo4j, for another instance or the next start.
    await state.webhooks?.stop().catch(() => undefined);
    await state.app?.stop(config.SHUTDOWN_TIMEOUT_MS).catch(() => undefined);
    log.info('HTTP server drained', { ms: Math.round(performance.now() - began) });
    // During start-up there may be no connection yet: exiting then makes the JVM stop by itself.
    await state.connection?.close().catch(() => undefined);
    log.info('Stopped', { reason, ms: Math.round(performance.now() - began) });
    process.exit(0);
  };
  const watchdog = startStopWatchdog({
    stopBoundMs: config.SHUTDOWN_TIMEOUT_MS + STOP_MARGIN_MS,
    stallLimitMs: Math.max(config.SHUTDOWN_TIMEOUT_MS, MIN_STALL_LIMIT_MS),
    onParentGone: () => void stop('parent process gone'),
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

  const connection = await connect(config, log, {
    onEmbeddedStopped: (code) => void stop(`embedded Neo4j stopped by a signal (exit ${code})`),
  });
  state.connection = connection;
  watchdog.setNeo4jPid(connection.embedded?.pid ?? null);
  await applyMigrations(connection.db);
  if (config.SEED_ON_EMPTY) {
    if (await connection.db.read(isDatabaseEmpty)) {
      const folder = path.resolve(PROJECT_ROOT, config.SEED_FOLDER);
      log.info(`Loading the seed from ${folder} into the empty database`);
      const report = await loadFolder(connection.db, folder, (file, done, total) =>
        log.info(`Seed: ${done} of ${total} files loaded (${file.file})`, { created: file.created }),
      );
      log.info('Loaded the seed into the empty database', { folder, created: report.created });
    }
  }
  if (state.phase === 'stopping') return;
  const app = await createApp(connection.db, config, log);
  state.app = app;
  const http = app.http;
  // A keep-alive connection whose response finishes during the stop would otherwise stay open until its
  // idle timeout; close it as soon as it is idle, so the drain ends when the last response does.
  http.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => {
      if (state.phase === 'stopping') setImmediate(() => http.closeIdleConnections());
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, resolve);
  });
  state.phase = 'serving';
  watchdog.serving();
  if (config.WEBHOOKS_ENABLED) state.webhooks = startWebhookWorker(connection.db, config, log);
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info(`GraphQL server ready at http://localhost:${port}/ (Apollo Sandbox in a browser)`, {
    startMs: Math.round(performance.now() - started),
    embeddedNeo4j: connection.embedded?.uri ?? null,
    pid: process.pid,
  });
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedNeo4jUnavailable ||
    error instanceof EmbeddedNeo4jInUse ||
    error instanceof DataSetError
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
