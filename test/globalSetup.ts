import { removeAbandonedTestFolders, startTestNeo4j } from './support/testNeo4j';

/**
 * Starts the one embedded Neo4j the integration tests share, on a free port in a temporary folder, after
 * deleting the folders of earlier runs that were interrupted. Its JVM exits by itself if Jest dies (it
 * watches its standard input and its parent), and on Ctrl-C it gets the same SIGINT as Jest.
 */
export default async function globalSetup(): Promise<void> {
  removeAbandonedTestFolders();
  const neo4j = await startTestNeo4j();
  process.env.TEST_NEO4J_URI = neo4j.uri;
  process.env.TEST_NEO4J_PASSWORD = neo4j.password;
  process.env.TEST_NEO4J_DATA = neo4j.dataDir;
  (globalThis as { __TEST_NEO4J__?: unknown }).__TEST_NEO4J__ = neo4j;
}
