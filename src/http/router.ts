import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Database } from '../db/database';
import type { RequestBudget } from '../db/requestBudget';
import type { Context } from '../graphql/context';
import type { Logger } from '../log';
import { createCors } from './cors';
import { handleGraphQL, type GraphQLHttpLimits } from './graphqlHandler';
import { answerHealth, answerReadiness, sendJson } from './health';
import { createRateLimiter } from './rateLimit';
import { logRequest, type RequestNotes } from './requestLog';

/**
 * A handler tried before the built-in routes (the explorer's `/graphiql`, `/explore` and static pages):
 * it answers and resolves true, or resolves false to let the router go on.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface RouterSettings extends GraphQLHttpLimits {
  CORS_ORIGINS: string;
  RATE_LIMIT_PER_SECOND: number;
  RATE_LIMIT_BURST: number;
  READINESS_TIMEOUT_MS: number;
}

export interface RouterDeps {
  apollo: ApolloServer<Context>;
  db: Database;
  context: (budget: RequestBudget) => Context;
  settings: RouterSettings;
  log: Logger;
  /** Tried first, before health, readiness and GraphQL (see RouteHandler). */
  before?: RouteHandler;
}

const GRAPHQL_PATHS = new Set(['/', '/graphql']);

/**
 * Routes: [`before`] -> `/healthz` -> `/readyz` -> GraphQL at `/` and `/graphql` (CORS, then the per-client
 * rate limit, then Apollo) -> 404. Health and readiness are neither rate-limited nor CORS-checked: probes
 * must always get through. One log line per request (requestLog.ts).
 */
export function createRouter(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { settings, log } = deps;
  const applyCors = createCors(settings.CORS_ORIGINS);
  const limiter = createRateLimiter(settings.RATE_LIMIT_PER_SECOND, settings.RATE_LIMIT_BURST);

  const route = async (req: IncomingMessage, res: ServerResponse, notes: RequestNotes) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (deps.before && (await deps.before(req, res))) return;
    if (path === '/healthz') return answerHealth(res);
    if (path === '/readyz') return answerReadiness(res, deps.db, settings.READINESS_TIMEOUT_MS);
    if (!GRAPHQL_PATHS.has(path)) {
      return sendJson(res, 404, { error: `No route ${path}; GraphQL is at /` });
    }
    if (await applyCors(req, res)) return;
    const wait = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (wait > 0) {
      notes.rejected = 'rate-limited';
      req.resume();
      return sendJson(
        res,
        429,
        {
          errors: [
            {
              message: `Too many requests from this client; retry in ${wait} s (RATE_LIMIT_PER_SECOND).`,
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: wait },
            },
          ],
        },
        { 'retry-after': String(wait) },
      );
    }
    await handleGraphQL(deps.apollo, req, res, deps.context, settings, notes);
  };

  return (req, res) => {
    const notes = logRequest(req, res, log);
    route(req, res, notes).catch((error: unknown) => {
      log.error('request failed', { error: (error as Error).message, stack: (error as Error).stack });
      sendJson(res, 500, { errors: [{ message: 'Unexpected error.' }] });
      if (!res.writableEnded) res.end();
    });
  };
}
