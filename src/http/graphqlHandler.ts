import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import { startBudget, type RequestBudget } from '../db/requestBudget';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import { sendJson } from './health';
import { BodyTooLarge, readBody } from './requestBody';
import type { RequestNotes } from './requestLog';
import { conformantStatus, RETRY_AFTER_SECONDS } from './responseStatus';

export interface GraphQLHttpLimits {
  MAX_BODY_BYTES: number;
  MAX_RESPONSE_BYTES: number;
  REQUEST_TIMEOUT_MS: number;
  MAX_SESSIONS_PER_REQUEST: number;
}

/** How long after its budget a request that has not answered (stuck in CPU work) is answered for it. */
const ANSWER_GRACE_MS = 1000;

/**
 * Apollo Server 5 on node:http, without a framework: read the body (413 over MAX_BODY_BYTES), run the
 * operation within the request's budget (REQUEST_TIMEOUT_MS; ended early when the client disconnects, which
 * stops its Cypher), cap the answer's size (MAX_RESPONSE_BYTES) and write it.
 */
export async function handleGraphQL(
  apollo: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  context: (budget: RequestBudget) => Context,
  limits: GraphQLHttpLimits,
  notes: RequestNotes,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown = undefined;
  if (req.method === 'POST') {
    let text: string;
    try {
      text = await readBody(req, limits.MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      notes.rejected = 'body-too-large';
      return sendJson(
        res,
        413,
        { errors: [{ message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
        { connection: 'close' },
      );
    }
    if ((headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        return sendJson(res, 400, {
          errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
        });
      }
    } else {
      body = text;
    }
  }

  const clientGone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.abort();
  });
  const budget = startBudget(limits.REQUEST_TIMEOUT_MS, limits.MAX_SESSIONS_PER_REQUEST, clientGone.signal);
  let ctx: Context | undefined;
  try {
    const execution = apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => Promise.resolve((ctx = context(budget))),
    });
    const response = await Promise.race([execution, overBudget(budget)]);
    if (ctx) notes.cypherQueries = ctx.queries.length;
    if (budget.signal.aborted) notes.budget = budget.signal.reason;
    if (response === 'client-gone') return;
    if (response === 'timeout') {
      execution.catch(() => undefined);
      return sendJson(
        res,
        503,
        {
          errors: [
            {
              message: `The request ran past its time budget of ${budget.budgetMs} ms and was stopped; ask for less or try again.`,
              extensions: { code: ErrorCode.UNAVAILABLE },
            },
          ],
        },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
    }
    await writeResponse(res, response, limits.MAX_RESPONSE_BYTES, notes);
  } finally {
    budget.dispose();
  }
}

/** Resolves with why the budget ended, ANSWER_GRACE_MS after a timeout (Cypher is stopped at once). */
function overBudget(budget: RequestBudget): Promise<'timeout' | 'client-gone'> {
  return new Promise((resolve) => {
    budget.signal.addEventListener(
      'abort',
      () => {
        if (budget.signal.reason === 'client-gone') resolve('client-gone');
        else setTimeout(() => resolve('timeout'), ANSWER_GRACE_MS).unref();
      },
      { once: true },
    );
  });
}

async function writeResponse(
  res: ServerResponse,
  response: HTTPGraphQLResponse,
  maxBytes: number,
  notes: RequestNotes,
): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  if (response.body.kind === 'complete') {
    let text = response.body.string;
    let status = response.status ?? 200;
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) {
      notes.rejected = 'response-too-large';
      notes.responseBytes = bytes;
      text = JSON.stringify({
        errors: [
          {
            message: `The response would be ${bytes} bytes, over the limit of ${maxBytes} (MAX_RESPONSE_BYTES); ask for fewer fields, aliases or smaller pages.`,
            extensions: {
              code: ErrorCode.LIMIT_EXCEEDED,
              limit: 'responseBytes',
              value: bytes,
              max: maxBytes,
            },
          },
        ],
      });
      status = 200;
    }
    const contentType = String(res.getHeader('content-type') ?? '');
    res.statusCode = conformantStatus(status, contentType, text);
    if (text.includes(`"code":"${ErrorCode.UNAVAILABLE}"`))
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    res.end(text);
    return;
  }
  res.statusCode = response.status ?? 200;
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
