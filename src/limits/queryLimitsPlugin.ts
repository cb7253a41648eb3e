import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../log';
import { checkQueryLimits, limitExceeded, type QueryLimits } from './queryLimits';

/**
 * Rejects an operation over a limit before Apollo parses and validates it in full and before any Cypher
 * runs. It hooks `didResolveSource`, the first moment the query text is known: Apollo's own validation
 * rules run too late for tokens (the document is parsed by then) and cannot see variables, which the cost
 * needs (`first: $n`). A GraphQLError thrown there becomes the response, formatted like any other.
 */
export function queryLimitsPlugin(limits: QueryLimits, log: Logger): ApolloServerPlugin {
  let schema: GraphQLSchema | undefined;
  return {
    serverWillStart() {
      return Promise.resolve({
        schemaDidLoadOrUpdate: ({ apiSchema }) => {
          schema = apiSchema;
        },
      });
    },
    requestDidStart() {
      return Promise.resolve({
        didResolveSource({ source, request }) {
          if (!schema) return Promise.resolve();
          const check = checkQueryLimits(schema, source, request, limits);
          if (check && !check.ok) {
            log.info('query over a limit', { ...check.violation, operationName: request.operationName });
            throw limitExceeded(check.violation);
          }
          return Promise.resolve();
        },
      });
    },
  };
}
