/** Stops the shared embedded Neo4j and deletes its folder, whether the tests passed or not. */
export default async function globalTeardown(): Promise<void> {
  const neo4j = (globalThis as { __TEST_NEO4J__?: { dispose(): Promise<void> } }).__TEST_NEO4J__;
  await neo4j?.dispose();
}
