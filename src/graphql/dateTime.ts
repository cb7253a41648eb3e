import { GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { recordTime } from '../records/recordTime';

/**
 * `DateTime`: graphql-scalars validates RFC 3339 (a time zone is required); the value reaches resolvers as
 * the record-time string (`2026-03-01T00:00:00.000Z`, UTC, fixed length), the form `knownAt` compares.
 */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: DateTimeResolver.description,
  serialize: (value) => String(value),
  parseValue: (value) => recordTime(DateTimeResolver.parseValue(value)),
  parseLiteral: (ast: ValueNode) => recordTime(DateTimeResolver.parseLiteral(ast, {})),
});
