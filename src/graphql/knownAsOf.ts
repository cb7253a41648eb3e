import DataLoader from 'dataloader';
import type { Database } from '../db/database';
import {
  fetchDerivationsByAllegationKnownAt,
  fetchDownstreamKnownAt,
  fetchLinkedKnownAt,
  fetchPolicyRulesKnownAt,
  fetchRecordsKnownAt,
  fetchRelationshipsKnownAt,
  fetchUpstreamKnownAt,
  partiesByIdentifierKeysKnownAt,
  referencedIds,
} from '../queries/knownAsOf';
import { partiesByIdentifierKeys } from '../queries/identifiers';
import { fetchHistory, type RecordVersionRow } from '../queries/history';
import type { EdgeRow } from '../records/rows';
import { LABELS, RECORD_RELATIONSHIPS, type ReferenceRelationshipType } from '../records/vocabulary';
import type { Loaders } from './loaders';
import { fetchDownstream, fetchUpstream, type CountryBasis } from '../queries/ownershipSubgraph';
import { fetchPolicyRules } from '../queries/policyRules';
import type { OwnershipGraph, PolicyRule } from '../reasoning';
import type { NodeRow } from '../records/rows';
import { requireParty, requirePolicy } from './arguments';
import type { Context } from './context';
import { badInput, notFound } from './errors';
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

/**
 * For each identifier key, the parties holding it, current or as known at `knownAsOf` (then stamped), primed
 * into the matching context's record loader so the fields under them need no second read.
 */
export async function partiesByIdentifierAt(
  ctx: Context,
  keys: readonly string[],
  knownAsOf: string | null | undefined,
): Promise<NodeRow[][]> {
  if (keys.length === 0) return [];
  const hits = await ctx.db.read((query) =>
    knownAsOf ? partiesByIdentifierKeysKnownAt(query, keys, knownAsOf) : partiesByIdentifierKeys(query, keys),
  );
  const view = contextAt(ctx, knownAsOf);
  for (const row of hits.flat()) {
    if (knownAsOf) stamp(row, knownAsOf);
    view.loaders.record.prime(row.id, row);
  }
  return hits;
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

/**
 * Everything upstream of the entities, current or as known at an instant; `stamped`: with the graph version
 * stamp of the current graph (upstreamStamp), for a verdict's policy kept per stamp to compare with.
 */
export function upstreamAt(
  ctx: Context,
  entityIds: readonly string[],
  knownAsOf: string | null | undefined,
  { stamped = false }: { stamped?: boolean } = {},
): Promise<OwnershipGraph> {
  // One entity's current graph goes through the request's batch, so aliased questions share one read.
  if (!knownAsOf && entityIds.length === 1)
    return expensiveFields(ctx).upstream.load(entityIds[0]!, { stamped });
  return ctx.db.read((query) =>
    knownAsOf ? fetchUpstreamKnownAt(query, entityIds, knownAsOf) : fetchUpstream(query, entityIds),
  );
}

/**
 * Reads below a `knownAsOf` root (issue 12): the one rule is that a row read as known at an instant carries
 * that instant (`_knownAsOf`), and every field under it reads through `at(ctx, parent)`, which gives the
 * request's own context for current rows (unchanged, as fast as before) and, for rows read as known then, a
 * context whose loaders read the graph as known then (batched per request and instant, like the current
 * ones). A nested field therefore answers as of its root's moment, whatever the depth, and two aliases asked
 * at two instants in one request each keep their own.
 */
export const KNOWN_AS_OF = '_knownAsOf';

/** The instant a row was read as known at, or undefined for a current row. */
export function knownAsOfOf(row: object): string | undefined {
  const value = (row as Record<string, unknown>)[KNOWN_AS_OF];
  return typeof value === 'string' ? value : undefined;
}

/** Marks a row as read as known at `knownAsOf`, so the fields under it read as known then too. */
export function stamp<T extends object>(row: T, knownAsOf: string): T {
  (row as Record<string, unknown>)[KNOWN_AS_OF] = knownAsOf;
  return row;
}

/**
 * `knownAsOf` as a read takes it: an instant not after now. What the database will know later is not known
 * yet, and an answer for a future instant would change as writes arrive, so it could not be reproduced.
 */
export function checkKnownAsOf(
  argument: string,
  knownAsOf: string | null | undefined,
  now: Date = new Date(),
): string | null {
  if (!knownAsOf) return null;
  if (knownAsOf > now.toISOString()) {
    throw badInput(
      argument,
      'must not be in the future: what the database will know then is not known yet',
      knownAsOf,
    );
  }
  return knownAsOf;
}

/**
 * Marks a computed answer (a verdict, an exposure, a path) and every plain object and array inside it as read
 * at `knownAsOf`, so the records its fields name (entities, policies, sources, countries) resolve as known
 * then too, not as they are now. Maps, Sets and class instances (the reasoning's graphs) are left alone: no
 * field resolves from them directly. A no-op for a current answer.
 */
export function stampAnswer<T extends object>(answer: T, knownAsOf: string | null | undefined): T {
  if (!knownAsOf) return answer;
  const seen = new WeakSet<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return;
    stamp(value, knownAsOf);
    for (const item of Object.values(value)) visit(item);
  };
  visit(answer);
  return answer;
}

/** A value read from a row's own properties (a parsed JSON list item), carrying the row's instant. */
export function inherit<T extends object>(parent: object, child: T): T {
  const knownAsOf = knownAsOfOf(parent);
  return knownAsOf ? stamp(child, knownAsOf) : child;
}

const views = new WeakMap<Context, Map<string, Context>>();
const rootOf = new WeakMap<Context, Context>();

/** The request's context as known at `knownAsOf` (the request's own for null). */
export function contextAt(ctx: Context, knownAsOf: string | null | undefined): Context {
  if (!knownAsOf) return ctx;
  const root = rootOf.get(ctx) ?? ctx;
  let byInstant = views.get(root);
  if (!byInstant) views.set(root, (byInstant = new Map<string, Context>()));
  let view = byInstant.get(knownAsOf);
  if (!view) {
    view = { ...root, loaders: createKnownAtLoaders(root.db, knownAsOf) };
    rootOf.set(view, root);
    byInstant.set(knownAsOf, view);
  }
  return view;
}

/** The context a field under `parent` reads with: as known at the parent's instant, if it has one. */
export function at(ctx: Context, parent: object): Context {
  const knownAsOf = knownAsOfOf(parent);
  return knownAsOf ? contextAt(ctx, knownAsOf) : ctx;
}

function grouped<R extends { key: string }, T>(
  ids: readonly string[],
  rows: R[],
  pick: (row: R) => T,
): T[][] {
  const byKey = new Map<string, T[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push(pick(row));
    byKey.set(row.key, list);
  }
  return ids.map((id) => byKey.get(id) ?? []);
}

/** The loaders' interface (./loaders.ts), reading as known at `knownAsOf`; every row it gives is stamped. */
function createKnownAtLoaders(db: Database, knownAsOf: string): Loaders {
  const record = new DataLoader<string, NodeRow | null>(async (ids) => {
    const rows = await db.read((query) => fetchRecordsKnownAt(query, ids, knownAsOf));
    // Records by id are nodes, as in the current loader: a relationship's past version is not one.
    const nodes = rows.filter((row) => (LABELS as readonly string[]).includes(row._label));
    const byId = new Map(nodes.map((row) => [row.id, stamp(row, knownAsOf)]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  const edgeLoaders = new Map<string, DataLoader<string, EdgeRow[]>>();
  const linkedLoaders = new Map<string, DataLoader<string, NodeRow[]>>();
  const derivationsByAllegation = new DataLoader<string, EdgeRow[]>(async (ids) => {
    const rows = await db.read((query) => fetchDerivationsByAllegationKnownAt(query, ids, knownAsOf));
    return grouped(ids, rows, (r) => stamp(r.edge, knownAsOf));
  });
  return {
    // Read-ahead plans against the current graph; as-known-then reads go level by level.
    readAhead: false,
    record,
    derivationsByAllegation,
    edges(type, direction) {
      const key = `${type}:${direction}`;
      let loader = edgeLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, EdgeRow[]>(async (ids) => {
          const rows = await db.read((query) =>
            fetchRelationshipsKnownAt(query, type, direction, ids, knownAsOf),
          );
          return grouped(ids, rows, (r) => stamp(r.edge, knownAsOf));
        });
        edgeLoaders.set(key, loader);
      }
      return loader;
    },
    linked(type, direction) {
      if (type in RECORD_RELATIONSHIPS)
        throw new Error(`${type} is a relationship record, read with edges()`);
      const reference = type as ReferenceRelationshipType;
      const key = `${type}:${direction}`;
      let loader = linkedLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, NodeRow[]>(async (ids) => {
          if (direction === 'OUT') {
            // What a record points to is in its own properties, as they were then.
            const from = await record.loadMany(ids);
            return Promise.all(
              from.map(async (row) => {
                if (!row || row instanceof Error) return [];
                const others = await record.loadMany(referencedIds(row, reference));
                return others.filter((o): o is NodeRow => !!o && !(o instanceof Error));
              }),
            );
          }
          const rows = await db.read((query) => fetchLinkedKnownAt(query, reference, ids, knownAsOf));
          return grouped(ids, rows, (r) => {
            const other = stamp(r.other, knownAsOf);
            record.prime(other.id, other);
            return other;
          });
        });
        linkedLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

/**
 * A record's history as known at `knownAsOf` (all of it for a current row): the versions recorded by then,
 * the one current then shown as current (a later correction was not known yet).
 */
export function historyAt(versions: RecordVersionRow[], knownAsOf: string | undefined): RecordVersionRow[] {
  if (!knownAsOf) return versions;
  return versions
    .filter((v) => (v.recordedAt ?? '') <= knownAsOf)
    .map((v) =>
      v.supersededAt !== null && v.supersededAt > knownAsOf
        ? { ...v, supersededAt: null, supersededBy: null, retracted: false }
        : v,
    );
}

/** `history` on a record: all its versions, or, under a `knownAsOf` root, those known then. */
export async function recordHistory(
  row: { id: string },
  _args: unknown,
  ctx: Context,
): Promise<RecordVersionRow[]> {
  const versions = await ctx.db.read((query) => fetchHistory(query, row.id));
  return historyAt(versions, knownAsOfOf(row));
}
