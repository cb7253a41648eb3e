import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../log';
import {
  checkQueryDocument,
  isTokenLimitError,
  limitExceeded,
  tokensViolation,
  type QueryLimits,
} from './queryLimits';

/**
 * Rejects an operation over a limit before any Cypher runs, with LIMIT_EXCEEDED naming the limit and the
 * value. Tokens are counted by graphql-js itself while parsing (Apollo's `parseOptions.maxTokens`, set in
 * app.ts from the same setting), so a huge document is never parsed whole and validation only ever sees
 * a bounded one; this plugin gives that parse error our code. Depth, aliases, directives and cost are
 * checked in `didResolveOperation`, the first hook that has both the document and the variables (the cost
 * of `first: $n` depends on `$n`; validation rules cannot see variables).
 */
export function queryLimitsPlugin(limits: QueryLimits, log: Logger): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, request, schema }) {
          const check = checkQueryDocument(schema, document, request, limits);
          if (!check.ok) {
            log.info('query over a limit', { ...check.violation, operationName: request.operationName });
            throw limitExceeded(check.violation);
          }
          return Promise.resolve();
        },
        didEncounterErrors({ errors, request }) {
          // Apollo formats this same array next: the parser's "more than N tokens" becomes LIMIT_EXCEEDED.
          const index = errors.findIndex(isTokenLimitError);
          const check = tokensViolation(limits);
          if (index >= 0 && !check.ok) {
            log.info('query over a limit', { ...check.violation, operationName: request.operationName });
            (errors as unknown as unknown[])[index] = limitExceeded(check.violation);
          }
          return Promise.resolve();
        },
      });
    },
  };
}
