/**
 * Exports for evidence: `GET /export/covered-entities.{csv,json}`, `POST /export/screen.{csv,json}` and
 * `GET /export/verdict.{csv,json}`. Each runs our own GraphQL operations (exportsOperations.ts) through Apollo
 * with the request's principal, so a file says exactly what the API says, under the same roles and limits,
 * and carries what it was computed for: the policy, `asOf`, `knownAsOf`, the time of export and the graph
 * version (src/queries/graphVersion.ts).
 *
 * The graph version is read before and after the questions. A single answer (screen, verdict) computed while
 * the graph changed is computed again; a covered list is paged through (a page at a time, written as it
 * comes), so if the graph changes once rows have gone out the download is cut rather than finished with rows
 * from two versions: a cut download fails visibly at the client (no final chunk), a mixed one would not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Database } from '../db/database';
import { startBudget, type RequestBudget } from '../db/requestBudget';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../log';
import { readGraphVersion } from '../queries/graphVersion';
import type { GraphQLHttpLimits } from './graphqlHandler';
import { refusalOf } from './responseStatus';
import { sendJson } from './health';
import { BodyTooLarge, readBody } from './requestBody';
import type { RequestNotes } from './requestLog';
import { coveredEntitiesOperation, policyVerdictOperation, screenOperation } from './exportsOperations';
import { exportRoute, parseExportRequest, type ExportProblem, type ExportRequest } from './exportsRequest';
import { csvWriter, jsonWriter, type ExportWriter, type Row } from './exportsWriters';

export { isExportRoute } from './exportsRequest';

export interface ExportDeps {
  apollo: ApolloServer<Context>;
  db: Database;
  /** A context for this request's principal within a budget: one budget per GraphQL operation. */
  context: (budget: RequestBudget) => Context;
  settings: GraphQLHttpLimits & { MAX_PAGE_SIZE?: number };
  log: Logger;
  notes: RequestNotes;
}

/** Times a single answer is computed again when the graph changed while it was computed. */
const MAX_ATTEMPTS = 3;

/** A GraphQL error that ends an export before anything was written; answered with its HTTP status. */
class ExportRefused extends Error {
  constructor(readonly error: GraphQLFormattedError) {
    super(error.message);
  }
}

/** The graph changed after rows went out. */
class GraphChanged extends Error {}

export async function handleExport(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ExportDeps,
): Promise<void> {
  const route = exportRoute(path, req.method ?? 'GET');
  if (!route.ok) return refuse(req, res, route.problem);
  let body: { contentType: string; text: string } | undefined;
  if (route.kind === 'screen') {
    try {
      body = {
        contentType: req.headers['content-type'] ?? '',
        text: await readBody(req, deps.settings.MAX_BODY_BYTES),
      };
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      deps.notes.rejected = 'body-too-large';
      return sendJson(
        res,
        413,
        { errors: [{ message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
        { connection: 'close' },
      );
    }
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parsed = parseExportRequest(route.kind, route.format, url.searchParams, body);
  if (!parsed.ok) return refuse(req, res, parsed.problem);
  const request = parsed.request;
  deps.notes.export = `${request.kind}.${request.format}`;

  const clientGone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.abort('client-gone');
  });
  const job: Job = { deps, request, signal: clientGone.signal, exportedAt: new Date().toISOString() };
  try {
    switch (request.kind) {
      case 'covered-entities':
        return await exportCoveredEntities(res, job, request);
      case 'screen':
        return await exportScreen(res, job, request);
      case 'verdict':
        return await exportVerdict(res, job, request);
      default:
        return request satisfies never;
    }
  } catch (error) {
    if (error instanceof ExportRefused && !res.headersSent) return answerGraphQLError(res, error.error);
    if (clientGone.signal.aborted) return;
    const reason = error instanceof GraphChanged ? 'graph-changed' : (error as Error).message;
    deps.notes.exportCut = reason;
    if (res.headersSent) {
      // Rows went out with a 200: end the connection without the final chunk so the client sees a failure.
      deps.log.warn('export cut short', { export: deps.notes.export, reason });
      res.destroy();
      return;
    }
    throw error;
  }
}

interface Job {
  deps: ExportDeps;
  request: ExportRequest;
  signal: AbortSignal;
  exportedAt: string;
}

type Data = Record<string, unknown>;

/** Runs one of our operations for the request's principal, in its own budget; throws ExportRefused on errors. */
async function run(job: Job, query: string, variables: Record<string, unknown>): Promise<Data> {
  const { settings } = job.deps;
  const budget = startBudget(settings.REQUEST_TIMEOUT_MS, settings.MAX_SESSIONS_PER_REQUEST, job.signal);
  try {
    const response = await job.deps.apollo.executeOperation(
      { query, variables },
      { contextValue: job.deps.context(budget) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
    const { data, errors } = response.body.singleResult;
    if (errors?.length) throw new ExportRefused(errors[0]!);
    return data as Data;
  } finally {
    budget.dispose();
  }
}

function graphVersion(job: Job): Promise<number> {
  return job.deps.db.read(readGraphVersion);
}

/** One answer computed within one graph version (again, up to MAX_ATTEMPTS, while writes land meanwhile). */
async function runConsistently(job: Job, query: string, variables: Record<string, unknown>) {
  for (let attempt = 1; ; attempt++) {
    const before = await graphVersion(job);
    const data = await run(job, query, variables);
    const after = await graphVersion(job);
    if (before === after || attempt >= MAX_ATTEMPTS) return { data, graphVersion: after };
  }
}

function commonVariables(request: ExportRequest): Record<string, unknown> {
  return {
    asOf: request.asOf ?? null,
    unknownAs: request.unknownAs ?? null,
    ...(request.knownAsOf !== undefined ? { knownAsOf: request.knownAsOf } : {}),
  };
}

/** What every export says it was computed for, in the order CSV columns show it. */
function exportMeta(job: Job, asOf: string, graphVersion: number, policy?: string) {
  return {
    ...(policy !== undefined ? { policy } : {}),
    asOf,
    knownAsOf: job.request.knownAsOf ?? null,
    unknownAs: job.request.unknownAs ?? 'NOT_COVERED',
    exportedAt: job.exportedAt,
    graphVersion,
  };
}

function startDownload(
  res: ServerResponse,
  job: Job,
  name: string,
  meta: ReturnType<typeof exportMeta>,
): void {
  const { format } = job.request;
  const file = `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.${format}`;
  res.writeHead(200, {
    'content-type':
      format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${file}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-graph-version': String(meta.graphVersion),
    'x-as-of': meta.asOf,
    ...(meta.knownAsOf ? { 'x-known-as-of': meta.knownAsOf } : {}),
  });
}

function writerFor(res: ServerResponse, job: Job, columns: readonly string[], meta: Row): ExportWriter {
  return job.request.format === 'csv'
    ? csvWriter(res, columns, meta, job.signal)
    : jsonWriter(res, meta, job.signal);
}

type Bounds = { lower: number; upper: number };
type PartyRef = { __typename: string; id: string; name: string };
type PolicyStatus = { status: string; inForce: boolean; uncertain: boolean; note: string };

const COVERED_COLUMNS = [
  'entityId',
  'entityName',
  'entityType',
  'verdict',
  'shareLower',
  'shareUpper',
  'reason',
  'policyName',
  'policyStatus',
] as const;

async function exportCoveredEntities(
  res: ServerResponse,
  job: Job,
  request: Extract<ExportRequest, { kind: 'covered-entities' }>,
): Promise<void> {
  const query = coveredEntitiesOperation(request.knownAsOf !== undefined);
  const first = Math.min(job.deps.settings.MAX_PAGE_SIZE ?? 100, 100);
  const variables = { policy: request.policy, first, ...commonVariables(request) };
  type Page = {
    asOf: string;
    totalCount: number;
    policy: { id: string; name: string };
    policyStatus: PolicyStatus;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ party: PartyRef; verdict: string; share: Bounds; reason: string }>;
  };
  let version = -1;
  let page: Page | undefined;
  // The first page and the version it was computed on agree before anything is written.
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && page === undefined; attempt++) {
    const before = await graphVersion(job);
    const data = await run(job, query, { ...variables, after: null });
    if ((await graphVersion(job)) === before || attempt === MAX_ATTEMPTS) {
      page = data.coveredEntities as Page;
      version = before;
    }
  }
  const meta = exportMeta(job, page!.asOf, version, page!.policy.id);
  startDownload(res, job, `covered-entities_${page!.policy.id}_${page!.asOf}`, meta);
  const writer = writerFor(
    res,
    job,
    COVERED_COLUMNS,
    request.format === 'csv'
      ? meta
      : { ...meta, policyName: page!.policy.name, policyStatus: page!.policyStatus },
  );
  let rows = 0;
  for (;;) {
    const current: Page = page!;
    for (const node of current.nodes) {
      rows++;
      await writer.row(
        request.format === 'csv'
          ? {
              entityId: node.party.id,
              entityName: node.party.name,
              entityType: node.party.__typename,
              verdict: node.verdict,
              shareLower: node.share.lower,
              shareUpper: node.share.upper,
              reason: node.reason,
              policyName: current.policy.name,
              policyStatus: current.policyStatus.status,
            }
          : node,
      );
    }
    if (!current.pageInfo.hasNextPage) break;
    page = (await run(job, query, { ...variables, after: current.pageInfo.endCursor }))
      .coveredEntities as Page;
    if ((await graphVersion(job)) !== version) throw new GraphChanged();
  }
  job.deps.notes.exportRows = rows;
  await writer.end({ totalCount: rows });
}

const SCREEN_COLUMNS = [
  'input',
  'status',
  'matchId',
  'matchName',
  'matchType',
  'score',
  'matchedName',
  'candidates',
  'error',
  'policyName',
  'verdict',
  'policyStatus',
  'shareLower',
  'shareUpper',
  'reason',
] as const;

async function exportScreen(
  res: ServerResponse,
  job: Job,
  request: Extract<ExportRequest, { kind: 'screen' }>,
): Promise<void> {
  type Verdict = {
    policy: { id: string; name: string };
    verdict: string;
    policyStatus: PolicyStatus;
    share: Bounds;
    reason: string;
  };
  type Result = {
    input: string;
    status: string;
    score: number | null;
    matchedName: string | null;
    error: string | null;
    match: PartyRef | null;
    candidates: Array<{ score: number; matched: string; node: { id: string } }>;
    verdicts: Verdict[];
  };
  const customers = { names: request.names ?? [], ids: request.ids ?? [] };
  const { data, graphVersion: version } = await runConsistently(
    job,
    screenOperation(request.knownAsOf !== undefined),
    {
      customers,
      policies: request.policies,
      ...commonVariables(request),
    },
  );
  const report = data.screen as { asOf: string; summary: Record<string, number>; results: Result[] };
  const meta = { policies: request.policies.join(','), ...exportMeta(job, report.asOf, version) };
  startDownload(res, job, `screen_${report.asOf}`, exportMeta(job, report.asOf, version));
  const csv = request.format === 'csv';
  const writer = writerFor(
    res,
    job,
    csv ? [...SCREEN_COLUMNS, 'policy'] : [],
    csv ? meta : { ...meta, policies: request.policies },
  );
  for (const result of report.results) {
    if (!csv) {
      await writer.row(result);
      continue;
    }
    const customer = {
      input: result.input,
      status: result.status,
      matchId: result.match?.id,
      matchName: result.match?.name,
      matchType: result.match?.__typename,
      score: result.score,
      matchedName: result.matchedName,
      candidates: result.status === 'AMBIGUOUS' ? result.candidates.map((c) => c.node.id).join(' | ') : '',
      error: result.error,
    };
    if (result.verdicts.length === 0) await writer.row(customer);
    for (const verdict of result.verdicts) {
      await writer.row({
        ...customer,
        policy: verdict.policy.id,
        policyName: verdict.policy.name,
        verdict: verdict.verdict,
        policyStatus: verdict.policyStatus.status,
        shareLower: verdict.share.lower,
        shareUpper: verdict.share.upper,
        reason: verdict.reason,
      });
    }
  }
  job.deps.notes.exportRows = report.results.length;
  await writer.end({ summary: report.summary });
}

const VERDICT_COLUMNS = [
  'entityId',
  'entityName',
  'policyName',
  'verdict',
  'method',
  'threshold',
  'thresholdInclusive',
  'policyStatus',
  'aggregateLower',
  'aggregateUpper',
  'lookThroughLower',
  'lookThroughUpper',
  'sentence',
  'path',
  'rootId',
  'rootName',
  'rootReason',
  'contributionLower',
  'contributionUpper',
  'step',
  'kind',
  'fromId',
  'fromName',
  'toId',
  'toName',
  'share',
  'controlBasis',
  'startDate',
  'endDate',
  'coverageAfterLower',
  'coverageAfterUpper',
  'sourceIds',
  'sourceUrls',
] as const;

async function exportVerdict(
  res: ServerResponse,
  job: Job,
  request: Extract<ExportRequest, { kind: 'verdict' }>,
): Promise<void> {
  const { data, graphVersion: version } = await runConsistently(
    job,
    policyVerdictOperation(request.knownAsOf !== undefined),
    { entity: request.entity, policy: request.policy, ...commonVariables(request) },
  );
  type Step = {
    kind: string;
    basis: string | null;
    startDate: string | null;
    endDate: string | null;
    from: PartyRef;
    to: PartyRef;
    share: { display: string } | null;
    sources: Array<{ id: string; url: string }>;
    coverageAfter: Bounds;
  };
  type Path = {
    root: PartyRef;
    rootReason: { kind: string; country: { code: string } | null };
    contribution: Bounds;
    steps: Step[];
  };
  const verdict = data.policyVerdict as {
    entity: PartyRef;
    policy: { id: string; name: string };
    asOf: string;
    verdict: string;
    method: string;
    threshold: number;
    thresholdInclusive: boolean;
    policyStatus: PolicyStatus;
    aggregate: Bounds;
    lookThrough: Bounds;
    explanation: { sentence: string; paths: Path[] };
  };
  const meta = exportMeta(job, verdict.asOf, version, verdict.policy.id);
  startDownload(res, job, `verdict_${verdict.policy.id}_${verdict.entity.id}_${verdict.asOf}`, meta);
  if (request.format === 'json') {
    res.end(`${JSON.stringify({ export: meta, verdict })}\n`);
    return;
  }
  const writer = csvWriter(res, VERDICT_COLUMNS, meta, job.signal);
  const head = {
    entityId: verdict.entity.id,
    entityName: verdict.entity.name,
    policyName: verdict.policy.name,
    verdict: verdict.verdict,
    method: verdict.method,
    threshold: verdict.threshold,
    thresholdInclusive: verdict.thresholdInclusive,
    policyStatus: verdict.policyStatus.status,
    aggregateLower: verdict.aggregate.lower,
    aggregateUpper: verdict.aggregate.upper,
    lookThroughLower: verdict.lookThrough.lower,
    lookThroughUpper: verdict.lookThrough.upper,
    sentence: verdict.explanation.sentence,
  };
  // One row per step of each path; a verdict with no path (a starting point, or nothing reaches it) is one row.
  if (verdict.explanation.paths.length === 0) await writer.row(head);
  for (const [p, path] of verdict.explanation.paths.entries()) {
    const pathColumns = {
      path: p + 1,
      rootId: path.root.id,
      rootName: path.root.name,
      rootReason: path.rootReason.country
        ? `${path.rootReason.kind} ${path.rootReason.country.code}`
        : path.rootReason.kind,
      contributionLower: path.contribution.lower,
      contributionUpper: path.contribution.upper,
    };
    if (path.steps.length === 0) await writer.row({ ...head, ...pathColumns });
    for (const [s, step] of path.steps.entries()) {
      await writer.row({
        ...head,
        ...pathColumns,
        step: s + 1,
        kind: step.kind,
        fromId: step.from.id,
        fromName: step.from.name,
        toId: step.to.id,
        toName: step.to.name,
        share: step.share?.display,
        controlBasis: step.basis,
        startDate: step.startDate,
        endDate: step.endDate,
        coverageAfterLower: step.coverageAfter.lower,
        coverageAfterUpper: step.coverageAfter.upper,
        sourceIds: step.sources.map((source) => source.id).join(' | '),
        sourceUrls: step.sources.map((source) => source.url).join(' | '),
      });
    }
  }
  await writer.end();
}

/** The GraphQL error that stopped an export before it began, answered with its status. */
function answerGraphQLError(res: ServerResponse, error: GraphQLFormattedError): void {
  const { status, body, headers } = refusalOf(error);
  sendJson(res, status, body, headers);
}

function refuse(req: IncomingMessage, res: ServerResponse, problem: ExportProblem): void {
  req.resume();
  sendJson(
    res,
    problem.status,
    {
      errors: [
        {
          message: problem.message,
          extensions: {
            code: problem.status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT,
            ...(problem.parameter ? { parameter: problem.parameter } : {}),
          },
        },
      ],
    },
    problem.allow ? { allow: problem.allow } : {},
  );
}
