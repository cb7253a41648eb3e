import type { GraphQLFormattedError } from 'graphql';
import { challenge } from '../auth/authenticate';
import { ErrorCode } from '../graphql/errors';

/**
 * The HTTP status for a GraphQL answer. The GraphQL-over-HTTP spec asks that, for the legacy
 * `application/json` response type, a well-formed request that fails to parse or validate still gets 200
 * (clients of that type read errors from the body); `application/graphql-response+json` keeps Apollo's 4xx.
 */
const REQUEST_ERRORS_ANSWERED_200 = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'LIMIT_EXCEEDED'];

export function conformantStatus(status: number, contentType: string, body: string): number {
  if (status !== 400 || !contentType.startsWith('application/json')) return status;
  return REQUEST_ERRORS_ANSWERED_200.some((code) => body.includes(`"code":"${code}"`)) ? 200 : status;
}

/** Seconds a client told UNAVAILABLE should wait before retrying. */
export const RETRY_AFTER_SECONDS = 1;

/** The HTTP status of each error code a GraphQL answer can carry (500 for any other). */
const STATUS_OF_CODE: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.LIMIT_EXCEEDED]: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
};

/**
 * How an endpoint that answers with a file (an export, a screening upload) refuses when the GraphQL operation
 * behind it failed before anything was written: the status its code calls for, the error as GraphQL gives it,
 * a challenge for 401 and `Retry-After` for 503.
 */
export function refusalOf(error: GraphQLFormattedError): {
  status: number;
  body: { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
  headers: Record<string, string>;
} {
  const status = STATUS_OF_CODE[String(error.extensions?.code)] ?? 500;
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = challenge(false);
  if (status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  return {
    status,
    body: { errors: [{ message: error.message, extensions: error.extensions ?? {} }] },
    headers,
  };
}
