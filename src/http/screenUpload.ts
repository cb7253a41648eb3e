import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { challenge } from '../auth/authenticate';
import { refusalOf } from './responseStatus';
import { requireRole, type Principal, type Role } from '../auth/principal';
import { startBudget, type RequestBudget } from '../db/requestBudget';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';
import { MAX_SCREEN } from '../graphql/resolvers/screening';
import { csvWriter, jsonWriter, type ExportWriter } from './exportsWriters';
import type { GraphQLHttpLimits } from './graphqlHandler';
import { sendJson } from './health';
import { BodyTooLarge, readBody } from './requestBody';
import type { RequestNotes } from './requestLog';
import { parseCustomerList, type Customer, type ListProblem } from './screenUploadList';

/**
 * `POST /screen?policies=…`: a customer list uploaded as CSV (screenUploadList.ts), screened against the
 * policies, answered as JSON or, when the client accepts `text/csv`, as CSV (one row per customer and
 * policy). Who may upload is a setting (SCREEN_UPLOAD_ROLE: reader or editor); the body's size and its
 * number of customers have their own limits (SCREEN_UPLOAD_MAX_BYTES, SCREEN_UPLOAD_MAX_ROWS): past them
 * 413, and a bad cell is 400 naming its line and column. The screening is the API's `screen`, run with the
 * caller's principal.
 */

export const SCREEN_UPLOAD_PATH = '/screen';

export interface ScreenUploadSettings extends GraphQLHttpLimits {
  SCREEN_UPLOAD_ROLE?: Role;
  SCREEN_UPLOAD_MAX_BYTES?: number;
  SCREEN_UPLOAD_MAX_ROWS?: number;
}

export interface ScreenUploadDeps {
  apollo: ApolloServer<Context>;
  context: (budget: RequestBudget) => Context;
  principal: Principal;
  settings: ScreenUploadSettings;
  notes: RequestNotes;
}

const Parameters = z
  .object({
    policies: z.array(z.string().trim().min(1).max(200)).min(1, 'must name at least one policy').max(20),
    asOf: z.string().refine(isIsoDate, 'must be a calendar day written YYYY-MM-DD').optional(),
    knownAsOf: z.string().min(1).optional(),
    unknownAs: z
      .enum(['NOT_COVERED', 'POSSIBLY_COVERED'], { message: 'must be NOT_COVERED or POSSIBLY_COVERED' })
      .optional(),
  })
  .strict();

const PARTY = `{ __typename id name
  ... on Organization { headquarters { code } incorporation { code } }
  ... on Person { residence { code } nationality { code } } }`;

const OPERATION = (
  withKnownAsOf: boolean,
) => `query ScreenUpload($customers: CustomerList!, $policies: [ID!]!,
  $asOf: Date, $unknownAs: UnknownAs${withKnownAsOf ? ', $knownAsOf: DateTime' : ''}) {
  screen(customers: $customers, policies: $policies, asOf: $asOf, unknownAs: $unknownAs${
    withKnownAsOf ? ', knownAsOf: $knownAsOf' : ''
  }) {
    asOf
    results {
      input status score matchedName error
      match ${PARTY}
      candidates { node { __typename id } }
      verdicts { policy { id name } verdict policyStatus { status } share { lower upper } reason }
    }
  }
}`;

type Party = {
  __typename: string;
  id: string;
  name: string;
  headquarters?: { code: string } | null;
  incorporation?: { code: string } | null;
  residence?: { code: string } | null;
  nationality?: { code: string } | null;
};
type Result = {
  input: string;
  status: string;
  score: number | null;
  matchedName: string | null;
  error: string | null;
  match: Party | null;
  candidates: Array<{ node: { id: string } }>;
  verdicts: Array<{
    policy: { id: string; name: string };
    verdict: string;
    policyStatus: { status: string };
    share: { lower: number; upper: number };
    reason: string;
  }>;
};

const CSV_COLUMNS = [
  'line',
  'ref',
  'name',
  'country',
  'matchedBy',
  'status',
  'matchId',
  'matchName',
  'matchType',
  'score',
  'countryCheck',
  'candidates',
  'error',
  'policy',
  'policyName',
  'verdict',
  'policyStatus',
  'shareLower',
  'shareUpper',
  'reason',
] as const;

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super('refused');
  }
}

function badRequest(message: string, extensions: Record<string, unknown> = {}, status = 400): Refused {
  return new Refused(status, {
    errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } }],
  });
}

export async function handleScreenUpload(req: IncomingMessage, res: ServerResponse, deps: ScreenUploadDeps) {
  try {
    await answer(req, res, deps);
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    req.resume();
    deps.notes.rejected ??= `screen-upload-${error.status}`;
    sendJson(res, error.status, error.body, error.headers);
  }
}

async function answer(req: IncomingMessage, res: ServerResponse, deps: ScreenUploadDeps): Promise<void> {
  const { settings } = deps;
  if (req.method !== 'POST') {
    throw new Refused(
      405,
      { errors: [{ message: `${SCREEN_UPLOAD_PATH} answers POST requests, not ${req.method}.` }] },
      { allow: 'POST' },
    );
  }
  const role = settings.SCREEN_UPLOAD_ROLE ?? 'reader';
  try {
    requireRole(deps.principal, role, 'Screening an uploaded customer list');
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const unauthenticated = error.extensions.code === 'UNAUTHENTICATED';
    throw new Refused(
      unauthenticated ? 401 : 403,
      { errors: [{ message: error.message, extensions: error.extensions }] },
      unauthenticated ? { 'www-authenticate': challenge(false) } : {},
    );
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/csv' && type !== 'text/plain') {
    throw new Refused(415, {
      errors: [
        {
          message: `The body must be a CSV customer list (Content-Type: text/csv), got ${JSON.stringify(type || 'none')}.`,
          extensions: { code: ErrorCode.BAD_USER_INPUT, parameter: 'body' },
        },
      ],
    });
  }
  const format = acceptedFormat(req.headers.accept);
  const parameters = parametersOf(new URL(req.url ?? '/', 'http://localhost').searchParams);
  const maxBytes = settings.SCREEN_UPLOAD_MAX_BYTES ?? 1024 * 1024;
  let text: string;
  try {
    text = await readBody(req, maxBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    throw new Refused(
      413,
      {
        errors: [
          {
            message: `The customer list is larger than ${maxBytes} bytes (SCREEN_UPLOAD_MAX_BYTES); split it.`,
            extensions: { code: 'PAYLOAD_TOO_LARGE', limit: maxBytes },
          },
        ],
      },
      { connection: 'close' },
    );
  }
  const list = parseCustomerList(text, Math.min(settings.SCREEN_UPLOAD_MAX_ROWS ?? MAX_SCREEN, MAX_SCREEN));
  if (!list.ok) throw listRefused(list.problems, list.tooMany ? 413 : 400);

  const signal = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) signal.abort('client-gone');
  });
  const screened = await screenAll(deps, list.customers, parameters, signal.signal);
  const meta = {
    policies: parameters.policies.join(','),
    asOf: screened.asOf,
    knownAsOf: parameters.knownAsOf ?? null,
    unknownAs: parameters.unknownAs ?? 'NOT_COVERED',
    screenedAt: new Date().toISOString(),
  };
  deps.notes.export = `screen-upload.${format}`;
  deps.notes.exportRows = list.customers.length;
  res.writeHead(200, {
    'content-type':
      format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-as-of': screened.asOf,
  });
  const writer: ExportWriter =
    format === 'csv'
      ? csvWriter(res, CSV_COLUMNS, meta, signal.signal)
      : jsonWriter(res, { ...meta, policies: parameters.policies }, signal.signal);
  const summary: Record<string, number> = { total: 0, matched: 0, ambiguous: 0, notFound: 0, invalid: 0 };
  for (const [i, customer] of list.customers.entries()) {
    const { result, matchedBy } = screened.answers[i]!;
    summary.total!++;
    const key = result.status === 'NOT_FOUND' ? 'notFound' : result.status.toLowerCase();
    summary[key] = (summary[key] ?? 0) + 1;
    const row = {
      line: customer.line,
      ref: customer.ref,
      name: customer.name,
      country: customer.country,
      matchedBy,
      status: result.status,
      matchId: result.match?.id ?? null,
      matchName: result.match?.name ?? null,
      matchType: result.match?.__typename ?? null,
      score: result.score,
      countryCheck: countryCheck(customer, result.match),
      candidates: result.status === 'AMBIGUOUS' ? result.candidates.map((c) => c.node.id) : [],
      error: result.error,
    };
    if (format === 'json') {
      await writer.row({
        ...row,
        verdicts: result.verdicts.map((v) => ({
          policy: v.policy.id,
          policyName: v.policy.name,
          verdict: v.verdict,
          policyStatus: v.policyStatus.status,
          share: v.share,
          reason: v.reason,
        })),
      });
      continue;
    }
    const flat = { ...row, candidates: row.candidates.join(' | ') };
    if (result.verdicts.length === 0) await writer.row(flat);
    for (const v of result.verdicts) {
      await writer.row({
        ...flat,
        policy: v.policy.id,
        policyName: v.policy.name,
        verdict: v.verdict,
        policyStatus: v.policyStatus.status,
        shareLower: v.share.lower,
        shareUpper: v.share.upper,
        reason: v.reason,
      });
    }
  }
  await writer.end({ summary });
}

function acceptedFormat(accept: string | undefined): 'csv' | 'json' {
  if (!accept) return 'json';
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  for (const t of types) {
    if (t === 'text/csv') return 'csv';
    if (t === 'application/json' || t === '*/*' || t === 'application/*') return 'json';
  }
  throw new Refused(406, {
    errors: [
      {
        message: `The answer is application/json or text/csv; the request accepts only ${JSON.stringify(accept)}.`,
      },
    ],
  });
}

function parametersOf(search: URLSearchParams): z.infer<typeof Parameters> {
  const raw: Record<string, unknown> = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    if (name === 'policies') {
      raw.policies = values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
    } else if (values.length > 1) {
      throw badRequest(`Parameter "${name}" is given ${values.length} times; give it once.`, {
        parameter: name,
      });
    } else raw[name] = values[0];
  }
  const parsed = Parameters.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw badRequest(
      `Unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}; ${SCREEN_UPLOAD_PATH} takes policies, asOf, knownAsOf, unknownAs.`,
      { parameter: issue.keys[0] },
    );
  }
  const name = String(issue.path[0] ?? 'policies');
  throw badRequest(`Parameter "${name}" ${issue.message}, got ${JSON.stringify(raw[name] ?? null)}.`, {
    parameter: name,
  });
}

function listRefused(problems: ListProblem[], status: number): Refused {
  const said = problems.map(
    (p) => `Line ${p.line}${p.column ? `, column "${p.column}"` : ''}: ${p.message}.`,
  );
  return badRequest(
    `The customer list was not screened. ${said.join(' ')}`,
    { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : ErrorCode.BAD_USER_INPUT, problems },
    status,
  );
}

/**
 * Every customer screened by each of its keys, in as few `screen` calls as MAX_SCREEN allows, then answered
 * by its strongest: an identifier that matched (or is ambiguous), else its id, else its name.
 */
async function screenAll(
  deps: ScreenUploadDeps,
  customers: Customer[],
  parameters: z.infer<typeof Parameters>,
  signal: AbortSignal,
): Promise<{ asOf: string; answers: Array<{ result: Result; matchedBy: string | null }> }> {
  const answers: Array<{ result: Result; matchedBy: string | null }> = [];
  let asOf = parameters.asOf ?? '';
  let start = 0;
  while (start < customers.length) {
    let entries = 0;
    let end = start;
    while (end < customers.length && entries + keysOf(customers[end]!) <= MAX_SCREEN) {
      entries += keysOf(customers[end]!);
      end++;
    }
    const chunk = customers.slice(start, end);
    const names = chunk.flatMap((c) => (c.name ? [c.name] : []));
    const ids = chunk.flatMap((c) => (c.id ? [c.id] : []));
    const identifiers = chunk.flatMap((c) =>
      c.identifiers.map((i) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined))),
    );
    const data = await run(deps, OPERATION(parameters.knownAsOf !== undefined), signal, {
      customers: { names, ids, identifiers },
      policies: parameters.policies,
      asOf: parameters.asOf ?? null,
      unknownAs: parameters.unknownAs ?? null,
      ...(parameters.knownAsOf !== undefined ? { knownAsOf: parameters.knownAsOf } : {}),
    });
    asOf = data.screen.asOf;
    const results = data.screen.results;
    // The answer lists names, then ids, then identifiers, each in the order given.
    let n = 0;
    let d = names.length;
    let k = names.length + ids.length;
    for (const c of chunk) {
      const byIdentifier = c.identifiers.map(() => results[k++]!);
      const byId = c.id ? results[d++]! : null;
      const byName = c.name ? results[n++]! : null;
      const found = byIdentifier.find((r) => r.status === 'MATCHED' || r.status === 'AMBIGUOUS');
      if (found) answers.push({ result: found, matchedBy: `identifier ${found.input}` });
      else if (byId && byId.status === 'MATCHED') answers.push({ result: byId, matchedBy: 'id' });
      else if (byName)
        answers.push({ result: byName, matchedBy: byName.status === 'NOT_FOUND' ? null : 'name' });
      else answers.push({ result: (byId ?? byIdentifier[0])!, matchedBy: null });
    }
    start = end;
  }
  return { asOf, answers };
}

const keysOf = (c: Customer) => c.identifiers.length + (c.id ? 1 : 0) + (c.name ? 1 : 0);

/** Whether the country given for a customer is one of the matched party's (headquarters, incorporation …). */
function countryCheck(customer: Customer, match: Party | null): 'SAME' | 'DIFFERENT' | 'UNKNOWN' | null {
  if (!customer.country || !match) return null;
  const theirs = [match.headquarters, match.incorporation, match.residence, match.nationality]
    .map((c) => c?.code)
    .filter((c): c is string => !!c);
  if (theirs.length === 0) return 'UNKNOWN';
  return theirs.includes(customer.country) ? 'SAME' : 'DIFFERENT';
}

async function run(
  deps: ScreenUploadDeps,
  query: string,
  signal: AbortSignal,
  variables: Record<string, unknown>,
): Promise<{ screen: { asOf: string; results: Result[] } }> {
  const budget = startBudget(
    deps.settings.REQUEST_TIMEOUT_MS,
    deps.settings.MAX_SESSIONS_PER_REQUEST,
    signal,
  );
  try {
    const response = await deps.apollo.executeOperation(
      { query, variables },
      { contextValue: deps.context(budget) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
    const { data, errors } = response.body.singleResult;
    if (errors?.length) throw refusedBy(errors[0]!);
    return data as { screen: { asOf: string; results: Result[] } };
  } finally {
    budget.dispose();
  }
}

function refusedBy(error: GraphQLFormattedError): Refused {
  const { status, body, headers } = refusalOf(error);
  return new Refused(status, body, headers);
}
