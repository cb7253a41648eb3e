import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isIsoDate } from '../reasoning/graph';
import { ErrorCode } from './errors';

export { isIsoDate };

function parseDate(value: unknown): string {
  if (!isIsoDate(value)) {
    throw new GraphQLError(`Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => String(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : (ast as { value?: unknown }).value),
});

/** Today as YYYY-MM-DD (UTC): the default as-of date. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
