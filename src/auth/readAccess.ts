import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/context';
import { challenge } from './authenticate';
import { requireRole } from './principal';

/** READS_REQUIRE_ROLE: `none`, reads are open to anonymous clients; `reader`, every operation needs a role. */
export const READ_ACCESS = ['none', 'reader'] as const;
export type ReadAccess = (typeof READ_ACCESS)[number];

/**
 * Enforces READS_REQUIRE_ROLE for every operation (introspection included: with reads closed the schema is
 * not public either), before any Cypher runs. Writes need more (editor), which each mutation's resolver asks
 * with `requireRole`. The refusal is an HTTP 401 with a `WWW-Authenticate: Bearer` challenge, as RFC 6750
 * asks of a resource that needs a token, and the usual GraphQL error body (UNAUTHENTICATED, naming the role).
 */
export function readAccessPlugin(access: ReadAccess): ApolloServerPlugin<Context> {
  return {
    requestDidStart() {
      if (access === 'none') return Promise.resolve();
      return Promise.resolve({
        didResolveOperation({ contextValue, operationName, operation }) {
          try {
            requireRole(
              contextValue.principal,
              'reader',
              `The ${operation?.operation ?? 'operation'} ${operationName ?? ''}`.trim(),
            );
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            throw new GraphQLError(error.message, {
              extensions: {
                ...error.extensions,
                // FORBIDDEN cannot happen here (every role includes reader); a 401 is for the anonymous case.
                http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge(false)]]) },
              },
            });
          }
          return Promise.resolve();
        },
      });
    },
  };
}
