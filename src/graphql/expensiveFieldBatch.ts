/**
 * Not public API: per-request batching of what the expensive fields read. Aliases and repeated fields of one
 * kind (`a: policyVerdict(…) b: policyVerdict(…)`, `exposure`, `accessCheck`, `lineage`, …) share one fetch
 * per kind and tick, as loaders batch records: thirty verdicts read the ownership graph upstream of their
 * entities in one query, not thirty, and hold one session for it, not thirty.
 *
 * Kept beside the request's Context in a WeakMap rather than in it, so it lives and dies with the request.
 */
import DataLoader from 'dataloader';
import type { Context } from './context';
import type { Query } from '../db/database';
import type { OwnershipGraph, PolicyRule } from '../reasoning';
import { fetchUpstream } from '../queries/ownershipSubgraph';
import { fetchPolicyRules } from '../queries/policyRules';
import { fetchLineage, type LineageData } from '../queries/lineageSubgraph';
import {
  fetchAccessReads,
  fetchCoveringPoliciesById,
  type AccessReads,
  type CoveringPolicy,
} from '../queries/modelAccess';
import { readGraphStamp } from '../queries/graphVersion';

export interface ExpensiveFieldBatch {
  /**
   * The ownership graph upstream of an entity. The entities of one batch share one graph (upstream of all
   * of them), which answers for each: the reasoning walks up from its own start. With `stamped`, the batch also
   * reads the graph version stamp (upstreamStamp), whichever field of the batch loaded the entity first; an
   * entity already read in an earlier batch of the request answers as it was read.
   */
  upstream: UpstreamLoader;
  /** A policy as the reasoning reads it, or null when no policy has that id. */
  policyRule: DataLoader<string, PolicyRule | null>;
  /**
   * The same, with the graph stamp read just before it in the same transaction; the sweep cache keeps each
   * policy found for that stamp as it is read (a write after the stamp gives a newer policy, never an older one).
   */
  stampedPolicyRule: DataLoader<string, Stamped<PolicyRule>>;
  /** Policies as an access check reads them, by id, with the graph stamp before them, kept as `stampedPolicyRule`. */
  stampedCoveringPolicy: DataLoader<string, Stamped<CoveringPolicy>>;
  /** The derivation DAG around a model, in one direction; a batch shares one DAG, as `upstream` does. */
  lineage(direction: 'UP' | 'DOWN' | 'BOTH'): DataLoader<string, LineageData>;
  /**
   * What `accessCheck` reads for a customer and a model: the customer's upstream graph (also primed into
   * `upstream`, stamped), and the model's offers and the policies that reach it (by id or developer), `access`
   * null when no model has that id. Keyed by the pair.
   */
  accessReads: DataLoader<{ customer: string; model: string }, AccessReads, string>;
}

/** The request's loader of upstream graphs (see ExpensiveFieldBatch.upstream). */
export interface UpstreamLoader {
  load(id: string, options?: { stamped?: boolean }): Promise<OwnershipGraph>;
  /** A graph read with its stamp elsewhere (an access check's statement), for later loads of the entity. */
  prime(id: string, graph: OwnershipGraph): void;
}

/** What a stamped read found for an id (null: nothing has it), and the graph stamp read before it. */
export interface Stamped<T> {
  stamp: string;
  found: T | null;
}

const batches = new WeakMap<Context, ExpensiveFieldBatch>();

export function expensiveFields(ctx: Context): ExpensiveFieldBatch {
  let batch = batches.get(ctx);
  if (!batch) {
    batch = createBatch(ctx);
    batches.set(ctx, batch);
  }
  return batch;
}

function createBatch({ db, sweepCache }: Context): ExpensiveFieldBatch {
  const lineageLoaders = new Map<string, DataLoader<string, LineageData>>();
  // Which entities a field wants stamped: DataLoader hands its batch function each id once, whichever field
  // loaded it first in the tick, so the wish is kept beside it rather than in the key.
  const stampWanted = new Set<string>();
  const upstreamGraphs = new DataLoader<string, OwnershipGraph>(async (ids) => {
    const stamped = ids.some((id) => stampWanted.has(id));
    const graph = await db.read((query) => fetchUpstream(query, ids, { stamped }));
    return ids.map(() => graph);
  });
  const upstream: UpstreamLoader = {
    load(id, { stamped = false } = {}) {
      if (stamped) stampWanted.add(id);
      return upstreamGraphs.load(id);
    },
    prime(id, graph) {
      upstreamGraphs.prime(id, graph);
    },
  };
  return {
    upstream,
    policyRule: new DataLoader(async (ids) => {
      const rules = await db.read((query) => fetchPolicyRules(query, ids));
      return ids.map((id) => rules.get(id) ?? null);
    }),
    stampedPolicyRule: stampedLoader(db, fetchPolicyRules, (stamp, id, rule) =>
      sweepCache?.keepPolicy(stamp, id, rule),
    ),
    stampedCoveringPolicy: stampedLoader(db, fetchCoveringPoliciesById, (stamp, id, policy) =>
      sweepCache?.keepCovering(stamp, id, policy),
    ),
    lineage(direction) {
      let loader = lineageLoaders.get(direction);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const data = await db.read((query) => fetchLineage(query, ids, direction));
          return ids.map(() => data);
        });
        lineageLoaders.set(direction, loader);
      }
      return loader;
    },
    // One statement for the batch: each customer's upstream, each model's offers and the policies reaching it.
    accessReads: new DataLoader(
      async (pairs) => {
        const reads = await db.read((query) => fetchAccessReads(query, pairs));
        for (const [i, { customer }] of pairs.entries()) upstream.prime(customer, reads[i]!.graph);
        return reads;
      },
      { cacheKeyFn: ({ customer, model }) => JSON.stringify([customer, model]) },
    ),
  };
}

/**
 * A loader of records by id read after the graph stamp in the same transaction, each found one handed to `keep`
 * with that stamp (the sweep cache keeps it for the stamp: a write after it gives a newer record, never older).
 */
function stampedLoader<T>(
  db: Context['db'],
  read: (query: Query, ids: readonly string[]) => Promise<Map<string, T>>,
  keep: (stamp: string, id: string, found: T) => void,
): DataLoader<string, Stamped<T>> {
  return new DataLoader((ids) =>
    db.read(async (query) => {
      const stamp = await readGraphStamp(query);
      const found = await read(query, ids);
      for (const [id, value] of found) keep(stamp, id, value);
      return ids.map((id) => ({ stamp, found: found.get(id) ?? null }));
    }),
  );
}
