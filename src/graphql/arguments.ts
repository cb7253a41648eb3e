import { GraphQLError } from 'graphql';
import { expensiveFields } from './expensiveFieldBatch';
import type { PolicyRule, Result } from '../reasoning';
import type { NodeRow } from '../records/rows';
import type { Context } from './context';
import { ErrorCode, notFound } from './errors';

/**
 * Arguments that must name an existing record, and reasoning results turned into argument errors: what
 * every resolver that takes an entity or a policy does first.
 */

/** The party an id names, or a NOT_FOUND error naming the argument. */
export async function requireParty(ctx: Context, argument: string, id: string): Promise<NodeRow> {
  const row = await ctx.loaders.record.load(id);
  if (!row || (row._label !== 'Organization' && row._label !== 'Person'))
    throw notFound(argument, 'organization or person', id);
  return row;
}

/** The policy an id names, as the reasoning reads it, or a NOT_FOUND error naming the argument. */
export async function requirePolicy(ctx: Context, argument: string, id: string): Promise<PolicyRule> {
  const rule = await expensiveFields(ctx).policyRule.load(id);
  if (!rule) throw notFound(argument, 'policy', id);
  return rule;
}

/** A reasoning result, or its first error as BAD_USER_INPUT naming the argument it concerns. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const [first] = result.errors;
  if (!first) throw new Error('A failed reasoning result carries at least one error');
  throw new GraphQLError(first.message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument: first.path.join('.') },
  });
}
