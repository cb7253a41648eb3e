/**
 * Not public API: the in-force part of an ownership graph on a date, as integer-indexed adjacency arrays, so
 * that every algorithm here is one pass over nodes and edges (a million entities, two million edges) with no
 * per-entity re-scan of the edge list and no recursion.
 */
import type { ControlEdge, Entity, OwnershipEdge, OwnershipGraph, ReasoningError } from './graph';
import { certainlyInForce, inForce } from './graph';
import { checkShare, shareInterval } from './bounds';
import { compressedAdjacency } from './scc';
import { idTable } from './idTable';

export interface GraphIndex {
  asOf: string;
  n: number;
  ids: string[];
  indexOf: Map<string, number>;
  /** Entity record of each node; undefined for ids that appear only on edges. */
  entity: (Entity | undefined)[];
  isPerson: Uint8Array;
  /** In-force ownership edges, with their owner and owned node. */
  edges: OwnershipEdge[];
  owner: Int32Array;
  owned: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  loStrict: Uint8Array;
  hiStrict: Uint8Array;
  /** Holdings of node v: edge numbers outEdge[outStart[v] .. outStart[v + 1]). */
  outStart: Int32Array;
  outEdge: Int32Array;
  /** Owners of node v: edge numbers inEdge[inStart[v] .. inStart[v + 1]). */
  inStart: Int32Array;
  inEdge: Int32Array;
  /** Sum of the minimum shares of all owners of v, and how many of them are strict ("more than"). */
  totalLo: Float64Array;
  totalLoStrict: Int32Array;
  /** In-force control edges, by controller. */
  controls: ControlEdge[];
  controller: Int32Array;
  controlled: Int32Array;
  controlOutStart: Int32Array;
  controlOutEdge: Int32Array;
  controlInStart: Int32Array;
  controlInEdge: Int32Array;
  /** Entities whose owners' minimum shares add up to more than 100% (inconsistent data). */
  overallocated: string[];
}

/**
 * Indexes the edges in force on `asOf`. With `upstreamOf`, keeps only that entity and its ancestors
 * (everything that can own or control it, directly or indirectly): a verdict about one entity depends on
 * nothing else. Returns errors for shares outside [0, 1].
 */
export function indexGraph(
  graph: OwnershipGraph,
  asOf: string,
  upstreamOf?: string,
): { ok: true; value: GraphIndex } | { ok: false; errors: ReasoningError[] } {
  const errors: ReasoningError[] = [];
  let ownerships: OwnershipEdge[] = [];
  const all = graph.ownerships;
  for (let i = 0; i < all.length; i++) {
    const edge = all[i]!;
    const s = edge.share;
    // Fast path for the common valid share; the detailed check (and its allocations) only on failure.
    const plainlyValid =
      s.unknown === true ||
      (s.min >= 0 && s.min < s.max && s.max <= 1) ||
      (s.min === s.max && s.min >= 0 && s.max <= 1 && !s.minExclusive && !s.maxExclusive);
    if (!plainlyValid) {
      const issues = checkShare(s, ['ownerships', i, 'share']);
      if (issues.length > 0) {
        errors.push(...issues);
        continue;
      }
    }
    if (inForce(edge, asOf)) ownerships.push(certainlyInForce(edge, asOf) ? edge : possibly(edge));
  }
  if (errors.length > 0) return { ok: false, errors };
  let controls = graph.controls.filter((c) => inForce(c, asOf));

  let keep: Set<string> | null = null;
  if (upstreamOf !== undefined) {
    keep = ancestors(upstreamOf, ownerships, controls);
    const k = keep;
    ownerships = ownerships.filter((e) => k.has(e.ownerId) && k.has(e.ownedId));
    controls = controls.filter((c) => k.has(c.controllerId) && k.has(c.controlledId));
  }

  const { ids, indexOf, add } = idTable();
  const entity: (Entity | undefined)[] = [];
  if (keep) for (const id of keep) add(id);
  else {
    // Whole graph: nodes are the entities in map order, so their records need no second lookup.
    for (const [id, record] of graph.entities) {
      add(id);
      entity.push(record);
    }
  }

  const m = ownerships.length;
  const owner = new Int32Array(m);
  const owned = new Int32Array(m);
  const lo = new Float64Array(m);
  const hi = new Float64Array(m);
  const loStrict = new Uint8Array(m);
  const hiStrict = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    const edge = ownerships[e]!;
    owner[e] = add(edge.ownerId);
    owned[e] = add(edge.ownedId);
    const s = shareInterval(edge.share);
    lo[e] = s.lo;
    hi[e] = s.hi;
    loStrict[e] = s.loStrict ? 1 : 0;
    hiStrict[e] = s.hiStrict ? 1 : 0;
  }
  const cm = controls.length;
  const controller = new Int32Array(cm);
  const controlled = new Int32Array(cm);
  for (let e = 0; e < cm; e++) {
    controller[e] = add(controls[e]!.controllerId);
    controlled[e] = add(controls[e]!.controlledId);
  }

  const n = ids.length;
  for (let v = entity.length; v < n; v++) entity.push(graph.entities.get(ids[v]!));
  const isPerson = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (entity[v]?.kind === 'PERSON') isPerson[v] = 1;

  const out = compressedAdjacency(n, owner, owned);
  const inn = compressedAdjacency(n, owned, owner);
  const cOut = compressedAdjacency(n, controller, controlled);
  const cIn = compressedAdjacency(n, controlled, controller);

  const totalLo = new Float64Array(n);
  const totalLoStrict = new Int32Array(n);
  for (let e = 0; e < m; e++) {
    totalLo[owned[e]!]! += lo[e]!;
    totalLoStrict[owned[e]!]! += loStrict[e]!;
  }
  const overallocated: string[] = [];
  for (let v = 0; v < n; v++) if (totalLo[v]! > 1 + 1e-9) overallocated.push(ids[v]!);

  return {
    ok: true,
    value: {
      asOf,
      n,
      ids,
      indexOf,
      entity,
      isPerson,
      edges: ownerships,
      owner,
      owned,
      lo,
      hi,
      loStrict,
      hiStrict,
      outStart: out.start,
      outEdge: out.order,
      inStart: inn.start,
      inEdge: inn.order,
      totalLo,
      totalLoStrict,
      controls,
      controller,
      controlled,
      controlOutStart: cOut.start,
      controlOutEdge: cOut.order,
      controlInStart: cIn.start,
      controlInEdge: cIn.order,
      overallocated,
    },
  };
}

/** The entity and everything upstream of it through ownership or control, by breadth-first search. */
function ancestors(targetId: string, ownerships: OwnershipEdge[], controls: ControlEdge[]): Set<string> {
  const up = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const list = up.get(to);
    if (list) list.push(from);
    else up.set(to, [from]);
  };
  for (const e of ownerships) link(e.ownerId, e.ownedId);
  for (const c of controls) link(c.controllerId, c.controlledId);
  const seen = new Set<string>([targetId]);
  const queue = [targetId];
  for (let head = 0; head < queue.length; head++) {
    for (const next of up.get(queue[head]!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * A stake on a day its period leaves open (it starts or ends within a month or year known only as such):
 * it may not be held yet, or any more, so its share runs from 0 to its maximum. Bounds stay sound and a
 * verdict that depends on the stake is POSSIBLY_COVERED, not firm.
 */
function possibly(edge: OwnershipEdge): OwnershipEdge {
  const s = edge.share;
  if (s.unknown) return edge;
  return { ...edge, share: { min: 0, max: s.max, ...(s.maxExclusive ? { maxExclusive: true } : {}) } };
}
