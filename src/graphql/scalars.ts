import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { ECHO_LIMIT, echo } from '../reasoning/echo';
import { isIsoDate } from '../reasoning/graph';
import { ErrorCode } from './errors';

export { isIsoDate };

const DATE_RULE = 'Date must be a calendar day written YYYY-MM-DD';

/**
 * A Date literal in a query that is not a calendar day. graphql-js's validation reports it as thrown;
 * DateArgumentsRule swaps it for one that names the argument. `received` is the literal as written, cut.
 */
export class InvalidDateLiteral extends GraphQLError {
  constructor(
    readonly received: string,
    node: ValueNode,
  ) {
    super(`${DATE_RULE}, got ${received}.`, { nodes: node, extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
}

function parseDate(value: unknown): string {
  if (!isIsoDate(value)) {
    throw new GraphQLError(`${DATE_RULE}, got ${echo(value)}.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return value;
}

function parseDateLiteral(ast: ValueNode): string {
  if (ast.kind === Kind.STRING && isIsoDate(ast.value)) return ast.value;
  const written = print(ast);
  let received =
    written.length <= ECHO_LIMIT ? written : `${written.slice(0, ECHO_LIMIT)}… (${written.length} chars)`;
  if (ast.kind === Kind.STRING) received = echo(ast.value);
  throw new InvalidDateLiteral(received, ast);
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => String(value),
  parseValue: parseDate,
  parseLiteral: parseDateLiteral,
});

/** Today as YYYY-MM-DD (UTC): the default as-of date. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
