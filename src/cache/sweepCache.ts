import type { Query } from '../db/database';
import { readGraphStamp } from '../queries/graphVersion';
import { fetchDownstream, type DownstreamRoots } from '../queries/ownershipSubgraph';
import type { CoveringPolicy } from '../queries/modelAccess';
import type { OwnershipGraph, PolicyRule } from '../reasoning';

/**
 * Not public API: the downstream subgraph a whole-graph sweep (`coveredEntities`) reasons over, kept in the
 * process between requests. At a million entities fetching it is most of a sweep's time (issue 15: ~400k
 * entities and ~700k edges, 15-25 s), while the reasoning over it takes a few seconds.
 *
 * Exact because it is keyed by the graph version counter (src/queries/graphVersion.ts), which every write
 * bumps in the transaction that changes records: the version is read first, in the request's own read
 * transaction, so everything committed up to that version is visible to the fetch that follows, and a graph
 * is only ever found by requests that read the same version. A write through any instance therefore
 * invalidates every instance's copy, with no message between them. Cost on a hit: one index seek.
 *
 * Bounded: graphs are weighed by their records (entities + ownership and control edges) and the whole cache
 * stays under `maxRecords`; a graph heavier than that is answered but not kept. A graph stored under a new
 * version evicts all others (versions only grow, so older ones are never asked for again; the key also holds
 * the instant of the last bump, so a wiped and reloaded graph whose count restarts is new). Requests that miss
 * on the same key at once share one fetch. Cached graphs are shared between requests: read-only by contract
 * (the reasoning never mutates its input graph).
 *
 * Not cached: `knownAsOf` sweeps (rare, and their answer depends on the instant asked).
 *
 * What is computed from a held graph can be kept with it (`derived`): the sweep's rows for one policy, date and
 * unknown-share setting, so that paging through a million-entity sweep (one request per page) reasons once per
 * graph version instead of once per page (issue 15: the reasoning alone is 3.5-9 s at 1M). Exact for the same
 * reason the graph is: a pure function of the graph and the key, dropped with the graph when a write bumps the
 * version. At most `DERIVED_PER_GRAPH` results per graph (most recently used kept), each as large as the list
 * of listed entities (96k rows at 1M), not counted in `maxRecords`.
 */

export interface SweepCacheStats {
  hits: number;
  misses: number;
  /** `derived` answered from a kept result, and computed one. */
  derivedHits: number;
  derivedMisses: number;
  /** Misses that waited for another request's fetch of the same graph instead of fetching it again. */
  shared: number;
  /** Graphs not kept because they alone weigh more than the bound. */
  tooLarge: number;
}

export interface SweepCache {
  /** The downstream subgraph for these roots, as of the graph version this transaction reads. */
  downstream(query: Query, roots: DownstreamRoots): Promise<OwnershipGraph>;
  /** Records (entities + edges) held now. */
  weight(): number;
  /**
   * `compute()`, kept with `graph` under `key` while the cache holds that graph (computed each time for a
   * graph it does not hold). `compute` must be a pure function of the graph and the key.
   */
  derived<T>(graph: OwnershipGraph, key: string, compute: () => T): T;
  /**
   * A policy as the reasoning reads it, kept at the graph stamp it was read at (issue 15 item 3): policies
   * change only with a write and every write moves the stamp, so a verdict whose upstream read saw that stamp
   * uses it without reading it again. Only the newest stamp's policies are held.
   */
  heldPolicy(id: string): { stamp: string; rule: PolicyRule } | undefined;
  /** Keeps a policy read after reading `stamp` in the same transaction (so it holds every write up to it). */
  keepPolicy(stamp: string, id: string, rule: PolicyRule): void;
  /** The same for a policy as the access reasoning reads it (its rule and what it reaches). */
  heldCovering(id: string): { stamp: string; policy: CoveringPolicy } | undefined;
  keepCovering(stamp: string, id: string, policy: CoveringPolicy): void;
  stats: SweepCacheStats;
  clear(): void;
}

/** Policies held at one stamp at most (a sweep of the policy list would otherwise grow it without bound). */
export const MAX_HELD_POLICIES = 1000;

/** Values by id kept at one graph stamp, the newest kept: a value kept at another stamp replaces them all. */
function keptPerStamp<T>() {
  let stamp = '';
  let values = new Map<string, T>();
  return {
    held(id: string): { stamp: string; value: T } | undefined {
      const value = values.get(id);
      return value === undefined ? undefined : { stamp, value };
    },
    keep(at: string, id: string, value: T) {
      if (at !== stamp || values.size >= MAX_HELD_POLICIES) {
        stamp = at;
        values = new Map();
      }
      values.set(id, value);
    },
    clear() {
      stamp = '';
      values = new Map();
    },
  };
}

/** Results kept per held graph by `derived` (distinct policies, dates or what-ifs swept at one version). */
export const DERIVED_PER_GRAPH = 8;

export function graphWeight(graph: OwnershipGraph): number {
  return graph.entities.size + graph.ownerships.length + graph.controls.length;
}

/** One key per question: the same roots in any order are the same question. */
function rootsKey(roots: DownstreamRoots): string {
  const sorted = (xs: readonly string[]) => [...new Set(xs)].sort().join('\u0001');
  return `${roots.basis}\u0000${sorted(roots.targets)}\u0000${sorted(roots.designated)}`;
}

interface Held {
  stamp: string;
  graph: OwnershipGraph;
  weight: number;
  /** Results computed from the graph (`derived`), in recency order. */
  derived: Map<string, unknown>;
}

/**
 * A cache holding at most `maxRecords` records; null when `maxRecords` is 0 (off). `fetch` is the uncached
 * read (tests pass one that counts its calls).
 */
export function createSweepCache(
  maxRecords: number,
  fetch: (query: Query, roots: DownstreamRoots) => Promise<OwnershipGraph> = fetchDownstream,
): SweepCache | null {
  if (maxRecords <= 0) return null;
  // Insertion order is recency order: a hit moves its key to the end; eviction takes from the front.
  const held = new Map<string, Held>();
  const inFlight = new Map<string, Promise<OwnershipGraph>>();
  const stats: SweepCacheStats = {
    hits: 0,
    misses: 0,
    derivedHits: 0,
    derivedMisses: 0,
    shared: 0,
    tooLarge: 0,
  };
  let total = 0;
  const rules = keptPerStamp<PolicyRule>();
  const covering = keptPerStamp<CoveringPolicy>();

  const drop = (key: string) => {
    const h = held.get(key);
    if (!h) return;
    total -= h.weight;
    held.delete(key);
  };

  // The stamp most recently stored: graphs of any other stamp are older (or of a wiped graph) and go.
  let latest: string | null = null;
  const store = (key: string, stamp: string, graph: OwnershipGraph) => {
    const weight = graphWeight(graph);
    if (weight > maxRecords) {
      stats.tooLarge++;
      return;
    }
    if (stamp !== latest) {
      for (const [k, h] of held) if (h.stamp !== stamp) drop(k);
      latest = stamp;
    }
    drop(key);
    for (const k of held.keys()) {
      if (total + weight <= maxRecords) break;
      drop(k);
    }
    held.set(key, { stamp, graph, weight, derived: new Map() });
    total += weight;
  };

  return {
    stats,
    weight: () => total,
    clear() {
      held.clear();
      total = 0;
      rules.clear();
      covering.clear();
    },
    heldPolicy(id) {
      const held = rules.held(id);
      return held && { stamp: held.stamp, rule: held.value };
    },
    keepPolicy: (stamp, id, rule) => rules.keep(stamp, id, rule),
    heldCovering(id) {
      const held = covering.held(id);
      return held && { stamp: held.stamp, policy: held.value };
    },
    keepCovering: (stamp, id, policy) => covering.keep(stamp, id, policy),
    derived<T>(graph: OwnershipGraph, key: string, compute: () => T): T {
      let owner: Held | undefined;
      for (const h of held.values()) if (h.graph === graph) owner = h;
      if (!owner) {
        stats.derivedMisses++;
        return compute();
      }
      if (owner.derived.has(key)) {
        stats.derivedHits++;
        const value = owner.derived.get(key) as T;
        owner.derived.delete(key);
        owner.derived.set(key, value);
        return value;
      }
      stats.derivedMisses++;
      const value = compute();
      owner.derived.set(key, value);
      for (const k of owner.derived.keys()) {
        if (owner.derived.size <= DERIVED_PER_GRAPH) break;
        owner.derived.delete(k);
      }
      return value;
    },
    async downstream(query, roots) {
      const stamp = await readGraphStamp(query);
      const key = `${stamp}\u0000${rootsKey(roots)}`;
      const hit = held.get(key);
      if (hit) {
        stats.hits++;
        held.delete(key);
        held.set(key, hit);
        return hit.graph;
      }
      stats.misses++;
      const pending = inFlight.get(key);
      if (pending) {
        stats.shared++;
        // The other request's transaction may fail (its time budget, a client gone): then fetch in ours.
        try {
          return await pending;
        } catch {
          return fetch(query, roots);
        }
      }
      const fetching = fetch(query, roots);
      inFlight.set(key, fetching);
      try {
        const graph = await fetching;
        store(key, stamp, graph);
        return graph;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}
