import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  BREAK,
  GraphQLError,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { ErrorCode } from '../graphql/errors';
import { fieldCostEstimator, PRICED_ARGUMENTS } from './fieldCost';

/** The limits an operation must stay under, each a setting (README, Settings). */
export interface QueryLimits {
  MAX_QUERY_TOKENS: number;
  MAX_QUERY_DEPTH: number;
  MAX_QUERY_ALIASES: number;
  MAX_QUERY_DIRECTIVES: number;
  MAX_QUERY_COST: number;
}

export type LimitName = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost';

/** An operation over one of the limits: which one, the measured value (a lower bound for tokens), the limit. */
export interface LimitViolation {
  limit: LimitName;
  value: number;
  max: number;
  setting: keyof QueryLimits;
}

export interface Measured {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

export type LimitCheck =
  { ok: true; measured: Measured; document: DocumentNode } | { ok: false; violation: LimitViolation };

/** graphql-js stops parsing at `maxTokens` with this message (16.x spells it "more that N tokens"). */
export function isTokenLimitError(error: unknown): boolean {
  return /more th(?:an|at) \d+ tokens/.test(String((error as Error)?.message));
}

/**
 * Measures a query text as the server does: tokens while parsing (graphql-js stops at the limit, so a huge
 * document is never parsed whole; Apollo gets the same `maxTokens` parse option), then the document.
 * Null when the text does not parse or validate: Apollo reports those as usual.
 */
export function checkQuerySource(
  schema: GraphQLSchema,
  source: string,
  request: { variables?: Record<string, unknown>; operationName?: string | null },
  limits: QueryLimits,
): LimitCheck | null {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.MAX_QUERY_TOKENS });
  } catch (error) {
    if (isTokenLimitError(error)) return tokensViolation(limits);
    return null;
  }
  if (validate(schema, document).length > 0) return null;
  return checkQueryDocument(schema, document, request, limits);
}

export function tokensViolation(limits: QueryLimits): LimitCheck {
  return violation('tokens', limits.MAX_QUERY_TOKENS + 1, limits.MAX_QUERY_TOKENS, 'MAX_QUERY_TOKENS');
}

/**
 * Measures a parsed and validated operation before anything runs: depth, aliases and directives
 * (graphql-armor's rules), then an estimated cost that multiplies through lists by their size arguments,
 * variables included (graphql-query-complexity with `fieldCostEstimator`).
 *
 * Both walk the whole document, and Apollo hands every request of one query text the same parsed document
 * (its document store), so what does not depend on the request is kept per document: the shape (depth,
 * aliases, directives) always, and the cost of an operation whose variables reach no priced argument (see
 * `costDependsOnVariables`). A document that answers differently for different variables is measured on
 * every request, as before (bench:peer, issue 15: the two walks were a twelfth of a small request's CPU).
 */
export function checkQueryDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { variables?: Record<string, unknown>; operationName?: string | null },
  limits: QueryLimits,
): LimitCheck {
  const known = measuresOf(document, schema);
  const limitsKey = `${limits.MAX_QUERY_DEPTH}/${limits.MAX_QUERY_ALIASES}/${limits.MAX_QUERY_DIRECTIVES}`;
  let shape = known.shapes.get(limitsKey);
  if (!shape) {
    shape = measureShape(schema, document, limits);
    known.shapes.set(limitsKey, shape);
  }
  if (shape.depth > limits.MAX_QUERY_DEPTH) {
    return violation('depth', shape.depth, limits.MAX_QUERY_DEPTH, 'MAX_QUERY_DEPTH');
  }
  if (shape.aliases > limits.MAX_QUERY_ALIASES) {
    return violation('aliases', shape.aliases, limits.MAX_QUERY_ALIASES, 'MAX_QUERY_ALIASES');
  }
  if (shape.directives > limits.MAX_QUERY_DIRECTIVES) {
    return violation('directives', shape.directives, limits.MAX_QUERY_DIRECTIVES, 'MAX_QUERY_DIRECTIVES');
  }
  const measured: Measured = { ...shape, cost: 0 };
  const operationKey = request.operationName ?? '';
  const kept = known.costs.get(operationKey);
  if (kept !== undefined) measured.cost = kept;
  else {
    try {
      measured.cost = Math.round(
        getComplexity({
          schema,
          query: document,
          variables: request.variables ?? {},
          operationName: request.operationName ?? undefined,
          estimators: [fieldCostEstimator],
        }),
      );
    } catch {
      // Variables that do not coerce: Apollo answers those with BAD_USER_INPUT right after.
      return { ok: true, measured, document };
    }
    if (!known.variablePriced) known.costs.set(operationKey, measured.cost);
  }
  if (measured.cost > limits.MAX_QUERY_COST) {
    return violation('cost', measured.cost, limits.MAX_QUERY_COST, 'MAX_QUERY_COST');
  }
  return { ok: true, measured, document };
}

type Shape = Omit<Measured, 'cost'>;

interface DocumentMeasures {
  /** The schema they were measured against: another schema (a test's) measures again. */
  schema: GraphQLSchema;
  /** Depth, aliases and directives, by the limits they were measured under (graphql-armor stops at a limit). */
  shapes: Map<string, Shape>;
  /** Whether a variable reaches a priced argument or a @skip/@include anywhere in the document. */
  variablePriced: boolean;
  /** The cost by operation name ('' for none), kept only when no variable is priced. */
  costs: Map<string, number>;
}

const measures = new WeakMap<DocumentNode, DocumentMeasures>();

function measuresOf(document: DocumentNode, schema: GraphQLSchema): DocumentMeasures {
  let known = measures.get(document);
  if (!known || known.schema !== schema) {
    known = { schema, shapes: new Map(), variablePriced: costDependsOnVariables(document), costs: new Map() };
    measures.set(document, known);
  }
  return known;
}

/**
 * Whether the estimated cost can change with the variables: a variable inside an argument the estimator
 * reads (PRICED_ARGUMENTS, on any field: `first: $n`, `ids: $ids`), or inside a directive's arguments
 * (`@include(if: $x)` drops or keeps a subtree). Any other variable (`id: $id`, `text: $text`) only changes
 * what is read, not how much is asked.
 */
export function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  const hasVariable = (value: ValueNode): boolean => {
    switch (value.kind) {
      case Kind.VARIABLE:
        return true;
      case Kind.LIST:
        return value.values.some(hasVariable);
      case Kind.OBJECT:
        return value.fields.some((f) => hasVariable(f.value));
      default:
        return false;
    }
  };
  visit(document, {
    Directive(node) {
      if ((node.arguments ?? []).some((a) => hasVariable(a.value))) {
        depends = true;
        return BREAK;
      }
      return undefined;
    },
    Field(node) {
      if ((node.arguments ?? []).some((a) => PRICED_ARGUMENTS.has(a.name.value) && hasVariable(a.value))) {
        depends = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return depends;
}

/** Depth, aliases and directives of a document, by graphql-armor's rules. */
function measureShape(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): Shape {
  const found: Partial<Record<LimitName, number>> = {};
  const record =
    (name: LimitName): GraphQLArmorRejectCallback =>
    (_ctx, error) => {
      found[name] = Number(/found (\d+)/.exec(error.message)?.[1] ?? NaN);
    };
  const accepted =
    (name: LimitName) =>
    (_ctx: unknown, details: { n: number }): void => {
      found[name] = Math.max(found[name] ?? 0, details.n);
    };
  const common = { propagateOnRejection: false, exposeLimits: true };
  validate(schema, document, [
    maxDepthRule({
      ...common,
      n: limits.MAX_QUERY_DEPTH,
      onReject: [record('depth')],
      onAccept: [accepted('depth')],
    }),
    maxAliasesRule({
      ...common,
      n: limits.MAX_QUERY_ALIASES,
      onReject: [record('aliases')],
      onAccept: [accepted('aliases')],
    }),
    maxDirectivesRule({
      ...common,
      n: limits.MAX_QUERY_DIRECTIVES,
      onReject: [record('directives')],
      onAccept: [accepted('directives')],
    }),
  ]);
  return { depth: found.depth ?? 0, aliases: found.aliases ?? 0, directives: found.directives ?? 0 };
}

function violation(limit: LimitName, value: number, max: number, setting: keyof QueryLimits): LimitCheck {
  return { ok: false, violation: { limit, value, max, setting } };
}

const DESCRIPTIONS: Record<LimitName, string> = {
  tokens: 'The query has more than %max tokens',
  depth: 'The query nests %value levels deep',
  aliases: 'The query has %value aliases',
  directives: 'The query has %value directives',
  cost: 'The query has an estimated cost of %value',
};

/**
 * The client's error: its own code (LIMIT_EXCEEDED), the limit, the measured value and the setting, and a
 * 400 like other request errors.
 */
export function limitExceeded(v: LimitViolation): GraphQLError {
  const what = DESCRIPTIONS[v.limit].replace('%value', String(v.value)).replace('%max', String(v.max));
  const advice =
    v.limit === 'cost'
      ? ' Ask for smaller pages (first), fewer ids, shallower nesting or fewer expensive fields.'
      : '';
  return new GraphQLError(`${what}, over the limit of ${v.max} (${v.setting}).${advice}`, {
    extensions: {
      code: ErrorCode.LIMIT_EXCEEDED,
      limit: v.limit,
      value: v.value,
      max: v.max,
      http: { status: 400 },
    },
  });
}
