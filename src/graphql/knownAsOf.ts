import {
  fetchDownstreamKnownAt,
  fetchPolicyRulesKnownAt,
  fetchRecordsKnownAt,
  fetchUpstreamKnownAt,
} from '../queries/knownAsOf';
import { fetchDownstream, fetchUpstream, type CountryBasis } from '../queries/ownershipSubgraph';
import { fetchPolicyRules } from '../queries/policyRules';
import type { OwnershipGraph, PolicyRule } from '../reasoning';
import type { NodeRow } from '../records/rows';
import { requireParty, requirePolicy } from './arguments';
import type { Context } from './context';
import { notFound } from './errors';
import { expensiveFields } from './expensiveFieldBatch';

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

/** Policies as the reasoning reads them, current or as known then. */
export function policyRulesAt(
  ctx: Context,
  ids: readonly string[],
  knownAsOf: string | null | undefined,
): Promise<Map<string, PolicyRule>> {
  return ctx.db.read((query) =>
    knownAsOf ? fetchPolicyRulesKnownAt(query, ids, knownAsOf) : fetchPolicyRules(query, ids),
  );
}

/** Records by id in the order asked, null where unknown (then). */
export async function recordsAt(
  ctx: Context,
  ids: readonly string[],
  knownAsOf: string | null | undefined,
): Promise<Array<NodeRow | null>> {
  if (!knownAsOf) {
    const rows = await ctx.loaders.record.loadMany(ids);
    return rows.map((row) => (row instanceof Error ? null : row));
  }
  const rows = await ctx.db.read((query) => fetchRecordsKnownAt(query, ids, knownAsOf));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

export function downstreamAt(
  ctx: Context,
  roots: { designated: readonly string[]; targets: readonly string[]; basis: CountryBasis },
  knownAsOf: string | null | undefined,
): Promise<OwnershipGraph> {
  const cache = ctx.sweepCache;
  return ctx.db.read((query) =>
    knownAsOf
      ? fetchDownstreamKnownAt(query, roots, knownAsOf)
      : cache
        ? cache.downstream(query, roots)
        : fetchDownstream(query, roots),
  );
}

export function upstreamAt(
  ctx: Context,
  entityIds: readonly string[],
  knownAsOf: string | null | undefined,
): Promise<OwnershipGraph> {
  // One entity's current graph goes through the request's batch, so aliased questions share one read.
  if (!knownAsOf && entityIds.length === 1) return expensiveFields(ctx).upstream.load(entityIds[0]!);
  return ctx.db.read((query) =>
    knownAsOf ? fetchUpstreamKnownAt(query, entityIds, knownAsOf) : fetchUpstream(query, entityIds),
  );
}
