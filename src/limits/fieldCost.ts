import { getNamedType, isLeafType, isListType, getNullableType, type GraphQLField } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';

/**
 * How much answering one field costs, relative to a plain field read from a loaded record (1). A list
 * multiplies what is asked under it by how many items it can return: its `first`, the length of its `ids`,
 * `customers` or `policies`, else LIST_FANOUT (owners, holdings and sources lists are rarely longer, and
 * the 7-level owners -> owned fan-out that once ran for a minute is exactly what this must price).
 */
export const LIST_FANOUT = 10;

/**
 * The fields that run reasoning over a subgraph, one Cypher query or more and a graph walk each. Weights
 * are rough multiples of a plain field, from the timings in bench/README.md: a single verdict or exposure
 * is a subgraph read plus a linear solve; `coveredEntities` sweeps the whole graph; `connections` runs a
 * shortest-path search; `screen` is priced per customer and policy.
 */
export const EXPENSIVE_FIELDS: Readonly<Record<string, number>> = {
  'Query.policyVerdict': 50,
  'Query.exposure': 50,
  'Query.screen': 5,
  'Query.coveredEntities': 500,
  'Query.connections': 100,
  'Query.lineage': 30,
  'Query.modelJurisdiction': 50,
  'Query.accessCheck': 50,
  'Query.modelExposure': 50,
  'Query.search': 10,
  // A window of change sets, two knownAsOf verdicts per watched pair each touches (bounded by settings).
  'Query.verdictChanges': 2000,
  // Introspection: the whole schema in one answer (about 100 kB, a big page's worth); its parts are priced here.
  'Query.__schema': 2000,
  'Query.__type': 20,
};

/** Arguments that walk deeper make their field proportionally dearer; 10 is the schema's default. */
const DEPTH_ARGUMENTS = ['maxDepth', 'maxHops'];

/**
 * Every argument the estimator reads. An operation whose variables reach none of these (nor a @skip/@include)
 * costs the same whatever its variables, so its cost is worked out once per document (queryLimits.ts); a unit
 * test checks the estimator reads no other argument of any field.
 */
export const PRICED_ARGUMENTS: ReadonlySet<string> = new Set([
  'first',
  'ids',
  'customers',
  'policies',
  ...DEPTH_ARGUMENTS,
]);

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** How many items a list field can return, given its arguments (variables already substituted). */
function listSize(args: Record<string, unknown>): number {
  if (typeof args.first === 'number') return Math.max(0, args.first);
  if (Array.isArray(args.ids)) return args.ids.length;
  return LIST_FANOUT;
}

/** Customers times policies for `screen`: the work grows with both. */
function screenSize(args: Record<string, unknown>): number {
  const customers = args.customers as { names?: unknown; ids?: unknown } | undefined;
  const count = lengthOf(customers?.names) + lengthOf(customers?.ids);
  return Math.max(1, count) * Math.max(1, lengthOf(args.policies));
}

function weightOf(
  parent: string,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): number {
  const key = `${parent}.${field.name}`;
  const base = EXPENSIVE_FIELDS[key];
  if (base === undefined) return parent.startsWith('__') ? 0 : 1;
  const depth = DEPTH_ARGUMENTS.map((name) => args[name]).find((v): v is number => typeof v === 'number');
  const deeper = depth === undefined ? 1 : Math.max(1, depth / 10);
  return key === 'Query.screen' ? base * screenSize(args) : base * deeper;
}

/** graphql-query-complexity estimator: weight of the field plus what is asked under it, times the list size. */
export const fieldCostEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const weight = weightOf(type.name, field, args);
  if (type.name.startsWith('__') || field.name.startsWith('__')) return weight + childComplexity;
  const returned = getNullableType(field.type);
  // A connection (`organizations(first:)`) is priced at its `first`; its `edges`/`nodes` lists then count once.
  if (type.name.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes')) {
    return weight + childComplexity;
  }
  if (isListType(returned) && !isLeafType(getNamedType(returned))) {
    return weight + listSize(args) * childComplexity;
  }
  if (typeof args.first === 'number') return weight + listSize(args) * childComplexity;
  return weight + childComplexity;
};
