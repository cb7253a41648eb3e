import { fetchPolicyRulesKnownAt, fetchRecordsKnownAt, fetchUpstreamKnownAt } from '../queries/knownAsOf';
import { fetchUpstream } from '../queries/ownershipSubgraph';
import type { OwnershipGraph, PolicyRule } from '../reasoning';
import type { NodeRow } from '../records/rows';
import { requireParty, requirePolicy } from './arguments';
import type { Context } from './context';
import { notFound } from './errors';

/**
 * `knownAsOf` (issue 12) for the questions that take it: without it, the current graph through the usual
 * loaders and queries; with it, the graph as the database knew it at that instant (src/queries/knownAsOf.ts).
 */

export async function requirePartyAt(
  ctx: Context,
  argument: string,
  id: string,
  knownAsOf: string | null | undefined,
): Promise<NodeRow> {
  if (!knownAsOf) return requireParty(ctx, argument, id);
  const [row] = await ctx.db.read((query) => fetchRecordsKnownAt(query, [id], knownAsOf));
  if (!row || (row._label !== 'Organization' && row._label !== 'Person'))
    throw notFound(argument, `organization or person known at ${knownAsOf}`, id);
  return row;
}

export async function requirePolicyAt(
  ctx: Context,
  argument: string,
  id: string,
  knownAsOf: string | null | undefined,
): Promise<PolicyRule> {
  if (!knownAsOf) return requirePolicy(ctx, argument, id);
  const rule = (await ctx.db.read((query) => fetchPolicyRulesKnownAt(query, [id], knownAsOf))).get(id);
  if (!rule) throw notFound(argument, `policy known at ${knownAsOf}`, id);
  return rule;
}

export function upstreamAt(
  ctx: Context,
  entityIds: readonly string[],
  knownAsOf: string | null | undefined,
): Promise<OwnershipGraph> {
  return ctx.db.read((query) =>
    knownAsOf ? fetchUpstreamKnownAt(query, entityIds, knownAsOf) : fetchUpstream(query, entityIds),
  );
}
