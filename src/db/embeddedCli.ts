import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { embeddedOptions } from './connect';
import { createLogger } from '../log';
import { EmbeddedNeo4jUnavailable, startEmbeddedNeo4j } from './embeddedNeo4j';

/**
 * `npm run neo4j`: the embedded Neo4j alone, on the same data folder and port as `npm start`, for
 * cypher-shell, a Neo4j desktop client or `NEO4J_URI` in another shell. Ctrl-C stops it.
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
    `Neo4j ${neo4j.version} on ${neo4j.uri} (no authentication; loopback only). Ctrl-C stops it.\n`,
  );
  const stop = () => void neo4j.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof EmbeddedNeo4jUnavailable ? error.message : (error as Error).stack}\n`,
  );
  process.exit(1);
});
