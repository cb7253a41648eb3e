import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, specifiedRules, validate } from 'graphql';
import { loadTypeDefs } from '../schema';
import { DateScalar } from '../scalars';
import { DateArgumentsRule } from '../dateArguments';

const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: { Date: DateScalar } });
const errorsOf = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, DateArgumentsRule]).map((e) => ({
    message: e.message,
    extensions: e.extensions,
    line: e.locations?.[0]?.line,
  }));

describe('DateArgumentsRule: one error for a bad Date literal, naming where it is written', () => {
  it.each([
    {
      name: 'an argument in another format',
      query: '{ accessCheck(customer: "a", model: "b", asOf: "01/02/2026") { __typename } }',
      message: 'Argument "asOf" must be a date written YYYY-MM-DD, got "01/02/2026".',
      argument: 'asOf',
    },
    {
      name: 'an argument that is a number',
      query: '{ accessCheck(customer: "a", model: "b", asOf: 20260102) { __typename } }',
      message: 'Argument "asOf" must be a date written YYYY-MM-DD, got 20260102.',
      argument: 'asOf',
    },
    {
      name: 'a field of an input object',
      query: '{ models(filter: { releasedFrom: "2025-02-30" }) { totalCount } }',
      message:
        'Argument "filter" field "releasedFrom": Date must be a calendar day written YYYY-MM-DD, got "2025-02-30".',
      argument: 'filter.releasedFrom',
    },
    {
      name: "a variable's default value",
      query: 'query ($d: Date = "soon") { models(filter: { releasedFrom: $d }) { totalCount } }',
      message: 'Default value of variable "$d": Date must be a calendar day written YYYY-MM-DD, got "soon".',
      argument: '$d',
    },
  ])('$name', ({ query, message, argument }) => {
    expect(errorsOf(query)).toEqual([{ message, extensions: { code: 'BAD_USER_INPUT', argument }, line: 1 }]);
  });

  it('cuts a long literal in the message', () => {
    const [error, ...more] = errorsOf(
      `{ accessCheck(customer: "a", model: "b", asOf: "${'9'.repeat(100_000)}") { __typename } }`,
    );
    expect(more).toEqual([]);
    expect(error!.message.length).toBeLessThan(300);
    expect(error!.message).toContain('(100000 chars)');
  });

  it('leaves other errors of the same document as they are', () => {
    const errors = errorsOf('{ accessCheck(customer: true, model: "b", asOf: "2026-01-01") { __typename } }');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/ID cannot represent/);
  });
});
