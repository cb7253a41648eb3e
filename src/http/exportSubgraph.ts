/**
 * `GET /export/subgraph.{json,ftm,bods}?entity=ID&depth=N&direction=up|down|both[&knownAsOf=]`: the subgraph
 * around one organization or person as a file, streamed: `.json` in the data-set format (loadable with
 * `npm run seed`), `.ftm` FollowTheMoney JSON lines, `.bods` BODS 0.4 JSON lines (src/export/). The same
 * rules as the other exports (src/http/exports.ts): credentials, CORS and rate limit in the router; reads
 * under READS_REQUIRE_ROLE, asked through our own GraphQL server with the request's principal so the rule is
 * the API's own; parameters checked with every problem named; depth and size bounded by EXPORT_MAX_DEPTH and
 * EXPORT_MAX_PARTIES (a 400 before anything is written); backpressure from a slow client.
 */
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { challenge } from '../auth/authenticate';
import type { Database } from '../db/database';
import { startBudget, type RequestBudget } from '../db/requestBudget';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../log';
import { exportSpecOf } from '../export/exportOptions';
import type { ExportChunk } from '../export/formatWriter';
import { prepareExport, writeExport, type ExportFormatName, type TextSink } from '../export/runExport';
import { readGraphVersion } from '../queries/graphVersion';
import type { GraphQLHttpLimits } from './graphqlHandler';
import { sendJson } from './health';
import type { RequestNotes } from './requestLog';

const ROUTE = /^\/export\/subgraph\.(json|ftm|bods)$/;

const FORMAT_OF_EXTENSION: Record<string, ExportFormatName> = { json: 'seed', ftm: 'ftm', bods: 'bods' };
const CONTENT_TYPE: Record<ExportFormatName, string> = {
  seed: 'application/json; charset=utf-8',
  ftm: 'application/x-ndjson; charset=utf-8',
  bods: 'application/x-ndjson; charset=utf-8',
};
const PARAMETERS = ['entity', 'depth', 'direction', 'knownAsOf'];
const DEFAULT_DEPTH = 2;

export interface SubgraphExportDeps {
  apollo: ApolloServer<Context>;
  db: Database;
  context: (budget: RequestBudget) => Context;
  settings: GraphQLHttpLimits & { EXPORT_MAX_DEPTH?: number; EXPORT_MAX_PARTIES?: number };
  log: Logger;
  notes: RequestNotes;
}

export function isSubgraphExport(path: string): boolean {
  return path.startsWith('/export/subgraph.');
}

export async function handleSubgraphExport(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: SubgraphExportDeps,
): Promise<void> {
  req.resume();
  const match = ROUTE.exec(path);
  if (!match) {
    return refuse(res, 404, `No export ${path}; the subgraph is at /export/subgraph.json, .ftm or .bods.`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return refuse(res, 405, `${path} answers GET requests, not ${req.method ?? '?'}.`, undefined, {
      allow: 'GET',
    });
  }
  const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const raw: Record<string, unknown> = { format: FORMAT_OF_EXTENSION[match[1]!] };
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    if (!PARAMETERS.includes(name))
      return refuse(
        res,
        400,
        `Unknown parameter "${name}"; this export takes ${PARAMETERS.join(', ')}.`,
        name,
      );
    if (values.length > 1)
      return refuse(res, 400, `Parameter "${name}" is given ${values.length} times; give it once.`, name);
    raw[name] = values[0];
  }
  if (raw.entity === undefined)
    return refuse(res, 400, 'Parameter "entity" is required (an org: or person: id).', 'entity');
  const parsed = exportSpecOf(raw, {
    maxDepth: deps.settings.EXPORT_MAX_DEPTH ?? 10,
    maxParties: deps.settings.EXPORT_MAX_PARTIES ?? 10_000,
    defaultDepth: DEFAULT_DEPTH,
  });
  if (!parsed.ok) {
    const first = parsed.problems[0]!;
    const message = parsed.problems.map((p) => p.message.replace(/^"(\w+)"/, 'Parameter "$1"')).join(' ');
    return refuse(res, 400, message, first.option);
  }
  const spec = parsed.spec;
  if (!(await allowedToRead(res, deps))) return;
  deps.notes.export = `subgraph.${match[1]}`;

  const clientGone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.abort('client-gone');
  });
  const graphVersion = await deps.db.read(readGraphVersion);
  const prepared = await prepareExport(deps.db, spec);
  if (!prepared.ok) {
    return refuse(
      res,
      prepared.reason === 'not-found' ? 404 : 400,
      prepared.message,
      prepared.reason === 'not-found' ? 'entity' : 'depth',
    );
  }
  const name = `subgraph-${spec.subgraph!.entity.replace(/[^A-Za-z0-9._-]+/g, '-')}.${match[1]}`;
  res.writeHead(200, {
    'content-type': CONTENT_TYPE[spec.format],
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-graph-version': String(graphVersion),
    ...(spec.knownAsOf ? { 'x-known-as-of': spec.knownAsOf } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await writeExport(deps.db, spec, prepared, responseSink(res, clientGone.signal));
  } catch (error) {
    if (clientGone.signal.aborted) return;
    // Rows went out with a 200: end without the final chunk, so the client sees the download failed.
    deps.notes.exportCut = (error as Error).message;
    deps.log.warn('export cut short', { export: deps.notes.export, reason: (error as Error).message });
    res.destroy();
  }
}

/** Writes to the response, waiting for `drain` when the client reads slower than we write. */
function responseSink(res: ServerResponse, signal: AbortSignal): TextSink {
  return {
    async write(chunk: ExportChunk) {
      if (!res.write(chunk.text)) await once(res, 'drain', { signal });
    },
    async end() {
      res.end();
      await once(res, 'finish', { signal });
    },
  };
}

/**
 * Whether READS_REQUIRE_ROLE lets this principal read: asked of our GraphQL server (its read-access plugin
 * runs for every operation), so this download follows exactly the API's rule. Answers the refusal itself.
 */
async function allowedToRead(res: ServerResponse, deps: SubgraphExportDeps): Promise<boolean> {
  const { settings } = deps;
  const budget = startBudget(settings.REQUEST_TIMEOUT_MS, settings.MAX_SESSIONS_PER_REQUEST);
  try {
    const response = await deps.apollo.executeOperation(
      { query: 'query ExportSubgraphAccess { __typename }' },
      { contextValue: deps.context(budget) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
    const error = response.body.singleResult.errors?.[0];
    if (!error) return true;
    const code = String(error.extensions?.code);
    const status = code === ErrorCode.UNAUTHENTICATED ? 401 : code === ErrorCode.FORBIDDEN ? 403 : 500;
    sendJson(
      res,
      status,
      { errors: [{ message: error.message, extensions: { code } }] },
      status === 401 ? { 'www-authenticate': challenge(false) } : {},
    );
    return false;
  } finally {
    budget.dispose();
  }
}

function refuse(
  res: ServerResponse,
  status: 400 | 404 | 405,
  message: string,
  parameter?: string,
  headers: Record<string, string> = {},
): void {
  const code = status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT;
  sendJson(
    res,
    status,
    { errors: [{ message, extensions: { code, ...(parameter ? { parameter } : {}) } }] },
    headers,
  );
}
