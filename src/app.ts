import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Config } from './config';
import type { Database } from './db/database';
import { readinessProblem } from './db/migrations';
import { createContext, type Context } from './graphql/context';
import { DateArgumentsRule } from './graphql/dateArguments';
import { formatErrorWith } from './graphql/errors';
import { resolvers } from './graphql/resolvers';
import { loadTypeDefs } from './graphql/schema';
import { handleGraphQL } from './http/graphqlHandler';
import type { Logger } from './log';

export type AppConfig = Pick<Config, 'MAX_PAGE_SIZE' | 'MAX_DEPTH' | 'GRAPHQL_INTROSPECTION'>;

export interface App {
  apollo: ApolloServer<Context>;
  http: Server;
  /** A context as a request would get; tests use it with apollo.executeOperation to count queries. */
  context(): Context;
  /** Stops taking requests, lets those in flight finish (up to `timeoutMs`), then stops Apollo. */
  stop(timeoutMs: number): Promise<void>;
}

export function createApolloServer(log: Logger, config: AppConfig): ApolloServer<Context> {
  return new ApolloServer<Context>({
    typeDefs: loadTypeDefs(),
    resolvers: resolvers as never,
    introspection: config.GRAPHQL_INTROSPECTION,
    validationRules: [DateArgumentsRule],
    formatError: formatErrorWith(log),
    includeStacktraceInErrorResponses: false,
    // server.ts owns SIGINT/SIGTERM: it drains HTTP, then stops Apollo, then the database, in that order.
    stopOnTerminationSignals: false,
    // Sandbox (embedded Apollo Studio Explorer) at GET / in a browser.
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })],
  });
}

/**
 * The HTTP server: GraphQL at / and /graphql, `GET /healthz` (the process is alive) and `GET /readyz`
 * (Neo4j reachable and migrated, else 503 with the reason). One log line per request.
 */
export async function createApp(db: Database, config: AppConfig, log: Logger): Promise<App> {
  const apollo = createApolloServer(log, config);
  await apollo.start();
  const context = () =>
    createContext(db, { MAX_PAGE_SIZE: config.MAX_PAGE_SIZE, MAX_DEPTH: config.MAX_DEPTH }, log);

  const http = createServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    let ctx: Context | null = null;
    res.on('finish', () => {
      log.info('request', {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        ...(ctx ? { cypherQueries: ctx.queries.length } : {}),
      });
    });
    const handle = async () => {
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      } else if (path === '/readyz') {
        const problem = await readinessProblem(db);
        res
          .writeHead(problem ? 503 : 200, { 'content-type': 'application/json' })
          .end(JSON.stringify(problem ? { status: 'unavailable', reason: problem } : { status: 'ready' }));
      } else if (path === '/' || path === '/graphql') {
        await handleGraphQL(apollo, req, res, () => Promise.resolve((ctx = context())));
      } else {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: `No route ${path}; GraphQL is at /` }));
      }
    };
    handle().catch((error: unknown) => {
      log.error('request failed', { error: (error as Error).message, stack: (error as Error).stack });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
    });
  });

  return {
    apollo,
    http,
    context,
    async stop(timeoutMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          http.closeAllConnections();
          resolve();
        }, timeoutMs);
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
