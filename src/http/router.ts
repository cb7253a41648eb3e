import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { challenge, type Authentication, type Authenticator } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/database';
import type { RequestBudget } from '../db/requestBudget';
import type { Context } from '../graphql/context';
import type { Logger } from '../log';
import { createCors } from './cors';
import { handleExport, isExportRoute } from './exports';
import { handleSubgraphExport, isSubgraphExport } from './exportSubgraph';
import { handleGraphQL, type GraphQLHttpLimits } from './graphqlHandler';
import { answerHealth, answerReadiness, sendJson } from './health';
import { createRateLimiter } from './rateLimit';
import { logRequest, type RequestNotes } from './requestLog';
import { handleScreenUpload, SCREEN_UPLOAD_PATH, type ScreenUploadSettings } from './screenUpload';

/**
 * A handler tried before the built-in routes (the explorer's `/graphiql`, `/explore` and static pages):
 * it answers and resolves true, or resolves false to let the router go on.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface RouterSettings extends GraphQLHttpLimits, ScreenUploadSettings {
  CORS_ORIGINS: string;
  RATE_LIMIT_PER_SECOND: number;
  RATE_LIMIT_BURST: number;
  READINESS_TIMEOUT_MS: number;
  /** The page size exports ask the API for (at most 100). */
  MAX_PAGE_SIZE?: number;
}

export interface RouterDeps {
  apollo: ApolloServer<Context>;
  db: Database;
  context: (budget: RequestBudget, principal: Principal) => Context;
  /** Who is asking, resolved once per request from its credentials (src/auth/authenticate.ts). */
  authenticator: Authenticator;
  settings: RouterSettings;
  log: Logger;
  /** Tried first, before health, readiness and GraphQL (see RouteHandler). */
  before?: RouteHandler;
}

const GRAPHQL_PATHS = new Set(['/', '/graphql']);

/**
 * Routes: [`before`] -> `/healthz` -> `/readyz` -> GraphQL at `/` and `/graphql`, exports under `/export/`
 * (CORS, then credentials, then the per-client rate limit, then Apollo) -> 404. Health and readiness are
 * neither rate-limited nor CORS-checked: probes must always get through. A client is its principal when it
 * proved one (a key shared by many machines is one client), else its address. Credentials that do not hold
 * up are answered 401 before anything runs. One log line per request (requestLog.ts).
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
    const exporting = isExportRoute(path);
    const uploading = path === SCREEN_UPLOAD_PATH;
    if (!GRAPHQL_PATHS.has(path) && !exporting && !uploading) {
      return sendJson(res, 404, { error: `No route ${path}; GraphQL is at /` });
    }
    if (await applyCors(req, res)) return;
    const auth = await deps.authenticator.authenticate(req.headers);
    noteAuthentication(notes, auth);
    const client = auth.ok && auth.principal.role !== null ? auth.principal.id : req.socket.remoteAddress;
    const wait = limiter.take(client ?? 'unknown');
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
    if (!auth.ok) {
      req.resume();
      return sendJson(
        res,
        auth.status,
        { errors: [{ message: auth.message, extensions: { code: auth.code } }] },
        auth.status === 401 ? { 'www-authenticate': challenge(true) } : {},
      );
    }
    const context = (budget: RequestBudget) => deps.context(budget, auth.principal);
    if (isSubgraphExport(path)) return handleSubgraphExport(req, res, path, { ...deps, context, notes });
    if (exporting) return handleExport(req, res, path, { ...deps, context, notes });
    if (uploading)
      return handleScreenUpload(req, res, { ...deps, context, principal: auth.principal, notes });
    await handleGraphQL(deps.apollo, req, res, context, settings, notes);
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

/** Who the request was, for its log line: the principal's id (a key's public id, never the key), or why not. */
function noteAuthentication(notes: RequestNotes, auth: Authentication): void {
  if (auth.ok) {
    if (auth.principal.role !== null)
      Object.assign(notes, { principal: auth.principal.id, role: auth.principal.role });
    return;
  }
  notes.rejected = 'credentials';
  notes.authFailure = auth.reason;
  if (auth.keyId) notes.keyId = auth.keyId;
}
