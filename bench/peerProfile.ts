/**
 * Not public API: how many Cypher queries one request sends, and the database hits of each (PROFILE), for
 * our API and for @neo4j/graphql, both run in this process on the bench's Neo4j: ours through Apollo's
 * executeOperation with a Database that records every query and its parameters, the peer through graphql-js
 * `execute` with an explicit transaction as its execution context whose `run` records the same.
 */
import { Neo4jGraphQL } from '@neo4j/graphql';
import { execute, parse, type GraphQLSchema } from 'graphql';
import type { Transaction } from 'neo4j-driver';
import { createApp } from '../src/app';
import { Database, type Params, type QueryObserver } from '../src/db/database';
import { createLogger } from '../src/log';
import { PEER_TYPE_DEFS } from './peerTypeDefs';
import type { Variables } from './peerQuestions';

export interface QueryCount {
  queries: number;
  dbHits: number;
  /** Sequential rounds of queries are not visible here; the query texts are kept for the report. */
  cypher: string[];
}

interface Sent {
  cypher: string;
  params: Params;
}

/** PROFILE of each query; `CYPHER …` option lines stay first, as Neo4j requires. */
async function profile(db: Database, sent: Sent[]): Promise<number> {
  let hits = 0;
  const session = db.driver.session({ database: db.databaseName, defaultAccessMode: 'READ' });
  try {
    for (const { cypher, params } of sent) {
      const options = /^(\s*CYPHER[^\n]*\n)/.exec(cypher)?.[1] ?? '';
      const result = await session.run(`${options}PROFILE ${cypher.slice(options.length)}`, params);
      type Plan = { dbHits: number; children: Plan[] };
      const visit = (p: Plan): number => p.dbHits + p.children.reduce((n, c) => n + visit(c), 0);
      if (result.summary.profile) hits += visit(result.summary.profile);
    }
  } finally {
    await session.close();
  }
  return hits;
}

class RecordingDatabase extends Database {
  readonly sent: Sent[] = [];
  override observed(observer: QueryObserver): Database {
    return new Database(this.driver, this.databaseName, createLogger('silent'), {
      onQuery: (cypher, params, ms) => {
        observer.onQuery(cypher, params, ms);
        this.sent.push({ cypher, params });
      },
    });
  }
}

export async function countOurQueries(
  db: Database,
  query: string,
  variables: Variables,
  { readAhead = true }: { readAhead?: boolean } = {},
): Promise<QueryCount> {
  const recording = new RecordingDatabase(db.driver, db.databaseName, createLogger('silent'));
  const app = await createApp(
    recording,
    {
      MAX_PAGE_SIZE: 100,
      MAX_DEPTH: 25,
      GRAPHQL_INTROSPECTION: true,
      MAX_QUERY_COST: 100_000_000,
      READ_AHEAD: readAhead,
    },
    createLogger('silent'),
  );
  try {
    const response = await app.apollo.executeOperation({ query, variables }, { contextValue: app.context() });
    if (response.body.kind !== 'single' || response.body.singleResult.errors)
      throw new Error(`our query failed: ${JSON.stringify(response.body)}`);
  } finally {
    await app.apollo.stop();
  }
  return {
    queries: recording.sent.length,
    dbHits: await profile(db, recording.sent),
    cypher: recording.sent.map((s) => s.cypher),
  };
}

let peerSchema: Promise<GraphQLSchema> | undefined;

export async function countPeerQueries(
  db: Database,
  query: string,
  variables: Variables,
): Promise<QueryCount> {
  const schema = await (peerSchema ??= new Neo4jGraphQL({
    typeDefs: PEER_TYPE_DEFS,
    driver: db.driver,
  }).getSchema());
  // The first request also asks Neo4j for its version (CALL dbms.components()); a warm server does not.
  await execute({ schema, document: parse(query), variableValues: variables, contextValue: {} });
  const session = db.driver.session({ database: db.databaseName, defaultAccessMode: 'READ' });
  const sent: Sent[] = [];
  try {
    const tx: Transaction = session.beginTransaction();
    const run = tx.run.bind(tx);
    tx.run = ((cypher: string, params: Params) => {
      sent.push({ cypher, params });
      return run(cypher, params);
    }) as Transaction['run'];
    const result = await execute({
      schema,
      document: parse(query),
      variableValues: variables,
      contextValue: { executionContext: tx },
    });
    await tx.rollback();
    if (result.errors) throw new Error(`peer query failed: ${JSON.stringify(result.errors)}`);
  } finally {
    await session.close();
  }
  return { queries: sent.length, dbHits: await profile(db, sent), cypher: sent.map((s) => s.cypher) };
}
