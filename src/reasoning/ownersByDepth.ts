/**
 * Direct and indirect owners of an entity, level by level: depth 1 are its direct owners, depth 2 their
 * owners, and so on, each owner at the shallowest depth it appears, with the stakes that lead down from it.
 * Breadth-first with a visited set, so cross-holdings end the walk instead of looping.
 */
import type { OwnershipEdge, OwnershipGraph } from './graph';
import { inForce } from './graph';

export interface OwnerAtDepth {
  ownerId: string;
  depth: number;
  /** In-force stakes of this owner in entities one level below it (depth - 1) on the way to the entity. */
  stakes: OwnershipEdge[];
}

export function ownersByDepth(
  graph: OwnershipGraph,
  entityId: string,
  asOf: string,
  maxDepth: number,
): OwnerAtDepth[] {
  const incoming = new Map<string, OwnershipEdge[]>();
  for (const edge of graph.ownerships) {
    if (!inForce(edge, asOf)) continue;
    const list = incoming.get(edge.ownedId) ?? [];
    list.push(edge);
    incoming.set(edge.ownedId, list);
  }
  const depthOf = new Map<string, number>([[entityId, 0]]);
  const result: OwnerAtDepth[] = [];
  let frontier = [entityId];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const found = new Map<string, OwnershipEdge[]>();
    for (const owned of frontier) {
      for (const edge of incoming.get(owned) ?? []) {
        const seen = depthOf.get(edge.ownerId);
        if (seen !== undefined && seen < depth) continue;
        const stakes = found.get(edge.ownerId) ?? [];
        stakes.push(edge);
        found.set(edge.ownerId, stakes);
      }
    }
    for (const [ownerId, stakes] of found) {
      depthOf.set(ownerId, depth);
      result.push({ ownerId, depth, stakes });
    }
    frontier = [...found.keys()];
  }
  return result;
}
