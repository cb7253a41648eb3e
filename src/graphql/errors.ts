import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DatabaseUnavailable } from '../db/database';
import type { Logger } from '../log';
import { echo, shortenEchoes } from '../reasoning/echo';

/** The codes a client can see in `extensions.code`; anything else becomes INTERNAL_SERVER_ERROR. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAVAILABLE: 'UNAVAILABLE',
  /** An operation over a depth, alias, token, directive, cost or response-size limit (names which, and the value). */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** A request that needs a role and carries no credentials (or bad ones). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Credentials whose role is below what the request needs. */
  FORBIDDEN: 'FORBIDDEN',
  /** A write that carried the version it read, and the record has changed since. */
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** `Argument "first" must be between 1 and 100, got 500.` (a long value is cut, see echo). */
export function badInput(argument: string, rule: string, received: unknown): GraphQLError {
  return new GraphQLError(`Argument "${argument}" ${rule}, got ${echo(received)}.`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument },
  });
}

export function notFound(argument: string, what: string, id: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}": no ${what} has id ${echo(id)}.`, {
    extensions: { code: ErrorCode.NOT_FOUND, argument },
  });
}

const PASSED_THROUGH = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.UNAVAILABLE,
  ErrorCode.LIMIT_EXCEEDED,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.CONFLICT,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo Server 5 does not mask errors: a plain Error thrown in a resolver would reach the client with its
 * message and stack. This passes our own GraphQLErrors through, turns an unreachable database into
 * UNAVAILABLE, and everything else (driver and Cypher errors included) into "Unexpected error.", logged.
 */
export function formatErrorWith(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    if (original instanceof DatabaseUnavailable) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.UNAVAILABLE },
      };
    }
    if (
      code &&
      PASSED_THROUGH.has(code) &&
      (original instanceof GraphQLError || !(original instanceof Error) || code !== 'INTERNAL_SERVER_ERROR')
    ) {
      return { ...formatted, message: shortenEchoes(formatted.message), extensions };
    }
    log.error('unexpected error in a request', {
      error: (original as Error)?.message,
      stack: (original as Error)?.stack,
      path: formatted.path,
    });
    return {
      message: 'Unexpected error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
