/**
 * The GraphQL operations behind the exports (src/http/exports.ts): our own API's questions, run through Apollo
 * with the request's principal, so a download answers exactly what the API answers, with its limits and roles.
 * `knownAsOf` ("what we knew on that day") is added to a question when the schema gives its field that
 * argument, with the argument's own type; the exports need no change when it arrives.
 */
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { loadTypeDefs } from '../graphql/schema';

export type ExportedField = 'coveredEntities' | 'screen' | 'policyVerdict';

let schema: GraphQLSchema | undefined;

/** The type of `Query.<field>(knownAsOf:)` as written in SDL (e.g. `Date`), or null when there is none. */
export function knownAsOfType(field: ExportedField): string | null {
  schema ??= buildASTSchema(parse(loadTypeDefs()));
  const fields = schema.getQueryType()?.getFields() ?? {};
  const argument = fields[field]?.args.find((a) => a.name === 'knownAsOf');
  return argument ? String(argument.type) : null;
}

const PARTY = '{ __typename id name }';
const BOUNDS = '{ lower upper }';
const POLICY_STATUS = '{ status inForce uncertain note }';
const SOURCES = '{ id url publisher title date }';

/** `($a: T, …)` and `(a: $a, …)` for a field, with knownAsOf when asked for (the caller checked it exists). */
function argumentsOf(field: ExportedField, declared: Record<string, string>, withKnownAsOf: boolean) {
  const all: Record<string, string> = {
    ...declared,
    ...(withKnownAsOf ? { knownAsOf: knownAsOfType(field)! } : {}),
  };
  const names = Object.keys(all);
  return {
    variables: names.map((n) => `$${n}: ${all[n]}`).join(', '),
    passed: names.map((n) => `${n}: $${n}`).join(', '),
  };
}

export function coveredEntitiesOperation(withKnownAsOf: boolean): string {
  const { variables, passed } = argumentsOf(
    'coveredEntities',
    { policy: 'ID!', asOf: 'Date', unknownAs: 'UnknownAs', first: 'Int', after: 'String' },
    withKnownAsOf,
  );
  return `query ExportCoveredEntities(${variables}) {
  coveredEntities(${passed}) {
    asOf
    totalCount
    policy { id name }
    policyStatus ${POLICY_STATUS}
    pageInfo { hasNextPage endCursor }
    nodes { party ${PARTY} verdict share ${BOUNDS} reason }
  }
}`;
}

export function screenOperation(withKnownAsOf: boolean): string {
  const { variables, passed } = argumentsOf(
    'screen',
    { customers: 'CustomerList!', policies: '[ID!]!', asOf: 'Date', unknownAs: 'UnknownAs' },
    withKnownAsOf,
  );
  return `query ExportScreen(${variables}) {
  screen(${passed}) {
    asOf
    summary { total matched ambiguous notFound covered possiblyCovered }
    results {
      input status score matchedName scoreExplanation error
      match ${PARTY}
      candidates { score matched node { __typename id } }
      verdicts { policy { id name } verdict policyStatus ${POLICY_STATUS} share ${BOUNDS} reason }
    }
  }
}`;
}

export function policyVerdictOperation(withKnownAsOf: boolean): string {
  const { variables, passed } = argumentsOf(
    'policyVerdict',
    { entity: 'ID!', policy: 'ID!', asOf: 'Date', unknownAs: 'UnknownAs' },
    withKnownAsOf,
  );
  const rootReason =
    '{ kind country { code name } designations { id listName startDate endDate sources { id } } }';
  return `query ExportPolicyVerdict(${variables}) {
  policyVerdict(${passed}) {
    entity ${PARTY}
    policy { id name }
    asOf verdict method threshold thresholdInclusive unknownAs
    policyStatus ${POLICY_STATUS}
    aggregate { lower upper verdict }
    lookThrough { lower upper verdict }
    overallocated ${PARTY}
    explanation {
      sentence capped
      rootReason ${rootReason}
      paths {
        root ${PARTY}
        rootReason ${rootReason}
        truncated
        contribution ${BOUNDS}
        steps {
          kind basis startDate endDate
          from ${PARTY}
          to ${PARTY}
          share { display exact minimum maximum exclusiveMinimum exclusiveMaximum known }
          sources ${SOURCES}
          coverageAfter ${BOUNDS}
        }
      }
    }
  }
}`;
}
