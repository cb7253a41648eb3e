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
