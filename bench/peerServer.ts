/**
 * Not public API: the peer of bench/peer.ts as its own process, @neo4j/graphql (7.x) on Apollo Server's
 * standalone HTTP server, over the Neo4j at NEO4J_URI, listening on PEER_PORT. It prints "listening" when ready.
 * The same driver settings as ours where they matter (pool size, integers as JS numbers are irrelevant here:
 * the peer converts integers itself).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j from 'neo4j-driver';
import { PEER_TYPE_DEFS } from './peerTypeDefs';

async function main(): Promise<void> {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is not set');
  const driver = neo4j.driver(
    uri,
    neo4j.auth.basic(process.env.NEO4J_USER ?? 'neo4j', process.env.NEO4J_PASSWORD ?? ''),
    { maxConnectionPoolSize: 100 },
  );
  const schema = await new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver }).getSchema();
  const server = new ApolloServer({ schema });
  await startStandaloneServer(server, {
    listen: { port: Number(process.env.PEER_PORT), host: '127.0.0.1' },
  });
  process.stdout.write('listening\n');
  const stop = () => {
    void server
      .stop()
      .then(() => driver.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
