/**
 * Not public API: random GraphQL operations generated from the schema, for fuzzing (test/fuzz.test.ts and
 * `npm run bench:fuzz`). Root fields, their arguments (as variables, so any value travels, typed or not)
 * and sub-selections a few levels deep, with real seed ids mixed with junk.
 */
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLInterfaceType,
  type GraphQLSchema,
} from 'graphql';

type Gen = fc.GeneratorValue;

const IDS = [
  'org:bytedance',
  'org:tiktok-ltd',
  'org:alibaba',
  'org:anthropic',
  'person:zhang-yiming',
  'model:deepseek-r1',
  'model:claude-opus-4',
  'policy:anthropic-unsupported-regions-2025',
  'policy:ofac-50-percent-rule',
  'country:CN',
  'CN',
];

// Arbitraries are built once, by builders that keep their identity: `g(builder, ...args)` caches what a builder
// returns per (builder, args) for the whole run, so a fresh closure per call would add an entry per call.
const intArb = (): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: -5, max: 200 }), fc.integer(), fc.constantFrom(0, 1, 100, 1000, 2 ** 31 - 1));
const floatArb = (): fc.Arbitrary<number> =>
  fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, 0.5, 50, 100, 101, -1));
const dateArb = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('2025-01-01', '2026-03-01', '2026-02-30', '9999-12-31', 'yesterday', ''),
    fc.string({ maxLength: 12 }),
  );
const idArb = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...IDS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('a* OR b~2', '"unclosed', '\\', 'x'.repeat(2000), 'AND OR NOT'),
    },
  );

function scalarValue(g: Gen, name: string): unknown {
  switch (name) {
    case 'Int':
      return g(intArb);
    case 'Float':
      return g(floatArb);
    case 'Boolean':
      return g(fc.boolean);
    case 'Date':
      return g(dateArb);
    default:
      return g(idArb);
  }
}

function inputValue(g: Gen, type: GraphQLInputType, depth = 0): unknown {
  const required = isNonNullType(type);
  if (!required && g(fc.integer, { min: 0, max: 3 }) === 0) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const length = g(fc.integer, { min: 0, max: 3 });
    return Array.from({ length }, () => inputValue(g, inner.ofType, depth + 1));
  }
  if (isEnumType(inner)) return g(fc.constantFrom, ...inner.getValues().map((v) => v.name), 'NOT_A_VALUE');
  if (isScalarType(inner)) return scalarValue(g, inner.name);
  if (isInputObjectType(inner)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || g(fc.boolean)) out[field.name] = inputValue(g, field.type, depth + 1);
    }
    return out;
  }
  return null;
}

interface Built {
  query: string;
  variables: Record<string, unknown>;
}

/** One random operation: 1-3 root fields with random arguments and selections up to `maxDepth` levels. */
export function randomOperation(g: Gen, schema: GraphQLSchema, maxDepth = 3): Built {
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const root = schema.getQueryType()!;

  const selection = (type: GraphQLObjectType | GraphQLInterfaceType, depth: number): string => {
    const fields = type.getFields();
    // Names, not field objects: the generator compares arguments deeply, and a field's type leads back to it.
    const names = Object.keys(fields);
    const picked = g(fc.subarray<string>, names, { minLength: 1, maxLength: Math.min(3, names.length) });
    const parts = picked.map((name) => {
      const field = fields[name]!;
      const args = field.args
        .filter((arg) => isNonNullType(arg.type) || g(fc.boolean))
        .map((arg) => {
          const name = `v${declarations.length}`;
          declarations.push(`$${name}: ${arg.type.toString()}`);
          variables[name] = inputValue(g, arg.type);
          return `${arg.name}: $${name}`;
        });
      const head = args.length ? `${field.name}(${args.join(', ')})` : field.name;
      const named = getNamedType(field.type);
      if (isLeafType(named)) return head;
      if (depth >= maxDepth) return `${head} { __typename }`;
      if (isAbstractType(named)) {
        const possible = schema.getPossibleTypes(named);
        const chosen = possible[g(fc.integer, { min: 0, max: possible.length - 1 })]!;
        return `${head} { __typename ... on ${chosen.name} { ${selection(chosen, depth + 1)} } }`;
      }
      return `${head} { ${selection(named as GraphQLObjectType, depth + 1)} }`;
    });
    return parts.join(' ');
  };

  const body = selection(root, 0);
  const query = `query Fuzz${declarations.length ? `(${declarations.join(', ')})` : ''} { ${body} }`;
  // Variables of nullable types may be left out altogether.
  for (const key of Object.keys(variables))
    if (variables[key] === null && g(fc.boolean)) delete variables[key];
  return { query, variables };
}

/** Returns a problem found in one answer, or null: a 5xx, an unmasked internal message, an internal error. */
export function problemIn(status: number, text: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (/Neo4jError|neo4j-driver|at .+\.(js|ts):\d+|stacktrace|Cypher|MATCH \(/.test(text))
    return 'unmasked detail';
  if (text.includes('"INTERNAL_SERVER_ERROR"')) return 'internal error';
  try {
    JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  return null;
}
