import { loadConfig } from '../config';
import { embeddedOptions } from './connect';
import { createLogger } from '../log';
import { EmbeddedNeo4jUnavailable, startEmbeddedNeo4j } from './embeddedNeo4j';

/**
 * `npm run neo4j`: the embedded Neo4j alone, on the same data folder and port as `npm start`, for
 * cypher-shell, a Neo4j desktop client or `NEO4J_URI` in another shell. Ctrl-C stops it.
 */
async function main(): Promise<void> {
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
