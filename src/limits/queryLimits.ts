import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { ErrorCode } from '../graphql/errors';
import { fieldCostEstimator } from './fieldCost';

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
 */
export function checkQueryDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { variables?: Record<string, unknown>; operationName?: string | null },
  limits: QueryLimits,
): LimitCheck {
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
  const measured: Measured = {
    depth: found.depth ?? 0,
    aliases: found.aliases ?? 0,
    directives: found.directives ?? 0,
    cost: 0,
  };
  if (measured.depth > limits.MAX_QUERY_DEPTH) {
    return violation('depth', measured.depth, limits.MAX_QUERY_DEPTH, 'MAX_QUERY_DEPTH');
  }
  if (measured.aliases > limits.MAX_QUERY_ALIASES) {
    return violation('aliases', measured.aliases, limits.MAX_QUERY_ALIASES, 'MAX_QUERY_ALIASES');
  }
  if (measured.directives > limits.MAX_QUERY_DIRECTIVES) {
    return violation('directives', measured.directives, limits.MAX_QUERY_DIRECTIVES, 'MAX_QUERY_DIRECTIVES');
  }
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
  if (measured.cost > limits.MAX_QUERY_COST) {
    return violation('cost', measured.cost, limits.MAX_QUERY_COST, 'MAX_QUERY_COST');
  }
  return { ok: true, measured, document };
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
