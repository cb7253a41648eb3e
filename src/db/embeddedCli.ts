import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { embeddedOptions } from './connect';
import { createLogger } from '../log';
import { EmbeddedNeo4jInUse, EmbeddedNeo4jUnavailable, startEmbeddedNeo4j } from './embeddedNeo4j';

/**
 * `npm run neo4j`: the embedded Neo4j alone, on the same data folder and port as `npm start`, for
 * cypher-shell, a Neo4j desktop client or `NEO4J_URI` in another shell; prints how to log in. Ctrl-C (or
 * SIGTERM/SIGHUP) stops it; so does a signal sent to the JVM itself.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run neo4j\n\n' +
        'Runs the embedded Neo4j alone, on the same data folder (EMBEDDED_NEO4J_DATA) and Bolt port\n' +
        '(EMBEDDED_NEO4J_PORT) as `npm start`, without authentication and on loopback only, for cypher-shell or\n' +
        'another client (NEO4J_URI in another shell). Builds the launcher with Maven on first use. Ctrl-C stops it.\n\n' +
        'Options:\n  -h, --help  show this help\n',
    );
    return;
  }
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const neo4j = await startEmbeddedNeo4j(embeddedOptions(config, log));
  process.stdout.write(
    `Neo4j ${neo4j.version} on ${neo4j.uri} (loopback only). Ctrl-C stops it.\n` +
      `  user:     ${neo4j.user}\n` +
      `  password: ${neo4j.password}   (kept in ${neo4j.passwordFile}, readable by you alone)\n` +
      `  e.g. NEO4J_URI=${neo4j.uri} NEO4J_PASSWORD="$(cat ${neo4j.passwordFile})" npm start\n`,
  );
  let stopping = false;
  const stop = () => {
    stopping = true;
    void neo4j.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  // Stopped or killed from outside: nothing left to do here.
  void neo4j.exited.then((code) => stopping || process.exit(code === 0 ? 0 : 1));
}

main().catch((error: unknown) => {
  const known = error instanceof EmbeddedNeo4jUnavailable || error instanceof EmbeddedNeo4jInUse;
  process.stderr.write(`${known ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
