import { createServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { createAuthenticator } from './auth/authenticate';
import type { Principal } from './auth/principal';
import { readAccessPlugin } from './auth/readAccess';
import { loadConfig, type Config } from './config';
import type { Database } from './db/database';
import type { RequestBudget } from './db/requestBudget';
import { responseCachePlugin } from './cache/responseCache';
import { createSweepCache } from './cache/sweepCache';
import { createContext, type Context } from './graphql/context';
import { DateArgumentsRule } from './graphql/dateArguments';
import { formatErrorWith } from './graphql/errors';
import { resolvers } from './graphql/resolvers';
import { loadTypeDefs } from './graphql/schema';
import { announceWhenListening, handleExplorerRoute, isExplorerRoute } from './http/explorerRoutes';
import { landingPagePlugin } from './http/landingPage';
import { createRouter, type RouteHandler } from './http/router';
import { KnownOperationTypesRule } from './limits/knownOperationTypes';
import { queryLimitsPlugin } from './limits/queryLimitsPlugin';
import type { Logger } from './log';
import { watchLimits, type WatchLimits } from './watch/limits';

/** Settings the app reads; those not given take their defaults from src/config.ts. */
type AppSettings = Pick<
  Config,
  | 'MAX_PAGE_SIZE'
  | 'MAX_DEPTH'
  | 'GRAPHQL_INTROSPECTION'
  | 'GRAPHQL_SUGGESTIONS'
  | 'CORS_ORIGINS'
  | 'MAX_QUERY_TOKENS'
  | 'MAX_QUERY_DEPTH'
  | 'MAX_QUERY_ALIASES'
  | 'MAX_QUERY_DIRECTIVES'
  | 'MAX_QUERY_COST'
  | 'MAX_BODY_BYTES'
  | 'MAX_RESPONSE_BYTES'
  | 'REQUEST_TIMEOUT_MS'
  | 'MAX_SESSIONS_PER_REQUEST'
  | 'READINESS_TIMEOUT_MS'
  | 'RATE_LIMIT_PER_SECOND'
  | 'RATE_LIMIT_BURST'
  | 'NODE_ENV'
  | 'LANDING_PAGE_SANDBOX'
  | 'RESPONSE_CACHE_ENTRIES'
  | 'RESPONSE_CACHE_VERSION_TTL_MS'
  | 'READ_AHEAD'
  | 'READ_AHEAD_PROJECTION'
  | 'SWEEP_CACHE_MAX_RECORDS'
  | 'API_KEYS_FILE'
  | 'API_KEYS'
  | 'READS_REQUIRE_ROLE'
  | 'JWT_JWKS_URL'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'JWT_ROLE_CLAIM'
  | 'SCREEN_UPLOAD_ROLE'
  | 'SCREEN_UPLOAD_MAX_BYTES'
  | 'SCREEN_UPLOAD_MAX_ROWS'
  | keyof WatchLimits
  | 'EXPORT_MAX_DEPTH'
  | 'EXPORT_MAX_PARTIES'
>;
export type AppConfig = Pick<AppSettings, 'MAX_PAGE_SIZE' | 'MAX_DEPTH' | 'GRAPHQL_INTROSPECTION'> &
  Partial<AppSettings>;

export interface AppOptions {
  /** Tried before the built-in routes (the explorer's pages); see RouteHandler in src/http/router.ts. */
  before?: RouteHandler;
  /** Apollo plugins added after ours (tests use one to see each request's context). */
  plugins?: ApolloServerPlugin<Context>[];
}

export interface App {
  apollo: ApolloServer<Context>;
  http: Server;
  /**
   * A context as a request would get (no time budget unless given; anonymous unless a principal is given);
   * tests use it with apollo.executeOperation.
   */
  context(budget?: RequestBudget, principal?: Principal): Context;
  /** Stops taking requests, lets those in flight finish (up to `timeoutMs`), then stops Apollo. */
  stop(timeoutMs: number): Promise<void>;
}

export function createApolloServer(
  log: Logger,
  settings: AppSettings,
  extraPlugins: ApolloServerPlugin<Context>[] = [],
): ApolloServer<Context> {
  return new ApolloServer<Context>({
    typeDefs: loadTypeDefs(),
    resolvers,
    introspection: settings.GRAPHQL_INTROSPECTION,
    // "Did you mean …?" hints name fields a client did not know about: off in production unless enabled.
    hideSchemaDetailsFromClientErrors: !settings.GRAPHQL_SUGGESTIONS,
    validationRules: [DateArgumentsRule, KnownOperationTypesRule],
    validationOptions: { maxErrors: 25 },
    // graphql-js stops parsing past this many tokens (queryLimitsPlugin reports it as LIMIT_EXCEEDED).
    parseOptions: { maxTokens: settings.MAX_QUERY_TOKENS },
    formatError: formatErrorWith(log),
    includeStacktraceInErrorResponses: false,
    // server.ts owns SIGINT/SIGTERM: it drains HTTP, then stops Apollo, then the database, in that order.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo installs its cache-control plugin unless told not to; it wraps every field resolver (a hook and a
      // cache policy per field) to compute a Cache-Control header from @cacheControl hints. The schema has none
      // (the header never carried a max-age), so for us it is only a cost per field (bench:peer, issue 15).
      ApolloServerPluginCacheControlDisabled(),
      readAccessPlugin(settings.READS_REQUIRE_ROLE),
      queryLimitsPlugin(settings, log),
      landingPagePlugin(settings),
      responseCachePlugin(settings),
      ...extraPlugins,
    ],
  });
}

/**
 * The HTTP server: GraphQL at / and /graphql, `GET /healthz` and `GET /readyz`; routing, limits and the
 * request log live in src/http/.
 */
export async function createApp(
  db: Database,
  config: AppConfig,
  log: Logger,
  options: AppOptions = {},
): Promise<App> {
  // The server passes every setting (loadConfig), the response cache's on-by-default included. An app made in
  // process from a few settings (tests, benches) answers uncached unless its config asks for the cache: such
  // callers often change the graph with plain Cypher, which does not bump the version the cache is keyed by.
  const settings: AppSettings = { ...loadConfig({}), RESPONSE_CACHE_ENTRIES: 0, ...config };
  // Before Apollo starts: an invalid key file or API_KEYS stops the start, naming it.
  const authenticator = createAuthenticator(settings, log);
  const access = { ...authenticator.describe(), readsRequireRole: settings.READS_REQUIRE_ROLE };
  if (access.readsRequireRole === 'reader' && access.keys === 0 && !access.jwt)
    log.warn(
      'READS_REQUIRE_ROLE=reader, but no API key or JWT issuer is configured: no one can read',
      access,
    );
  else log.info('Access control', access);
  const apollo = createApolloServer(log, settings, options.plugins);
  await apollo.start();
  const sweepCache = createSweepCache(settings.SWEEP_CACHE_MAX_RECORDS);
  const context = (budget?: RequestBudget, principal?: Principal) => ({
    ...createContext(
      budget ? db.within(budget) : db,
      {
        MAX_PAGE_SIZE: settings.MAX_PAGE_SIZE,
        MAX_DEPTH: settings.MAX_DEPTH,
        READ_AHEAD: settings.READ_AHEAD,
        READ_AHEAD_PROJECTION: settings.READ_AHEAD_PROJECTION,
        ...watchLimits(settings),
      },
      log,
      principal,
    ),
    sweepCache,
  });

  // The explorer's pages (/graphiql, /explore, their assets) come first, then any handler a caller adds.
  const explorer: RouteHandler = async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!isExplorerRoute(path)) return options.before ? options.before(req, res) : false;
    await handleExplorerRoute(req, res, path, log);
    return true;
  };
  const http = createServer(
    createRouter({ apollo, db, context, authenticator, settings, log, before: explorer }),
  );
  announceWhenListening(http, log);

  return {
    apollo,
    http,
    context,
    async stop(timeoutMs) {
      // Closing the listener resets every connection still in the kernel's accept queue, and close() cuts
      // connections whose request bytes arrived but were not yet parsed (they look idle). Both happen when the
      // event loop was busy with another request's reasoning as the signal came. So keep taking what already
      // arrived until a turn brings nothing new: those requests are then in flight and drained like the others.
      await settleArrivals(http);
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

/** Turns of the event loop (each through the poll phase) until one accepts no connection and parses no request. */
async function settleArrivals(http: Server, maxTurns = 50): Promise<void> {
  let arrivals = 0;
  const arrived = () => {
    arrivals += 1;
  };
  http.on('connection', arrived);
  http.on('request', arrived);
  try {
    for (let turn = 0; turn < maxTurns; turn += 1) {
      const before = arrivals;
      // A timer turn passes through the poll phase, where pending connections are accepted and bytes read.
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (turn > 0 && arrivals === before) return;
    }
  } finally {
    http.off('connection', arrived);
    http.off('request', arrived);
  }
}
