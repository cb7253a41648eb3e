/**
 * Model lineage: which models a model was made from (UP) or which were made from it (DOWN), through
 * fine-tuning, distillation, quantisation, merges. Alleged derivations (a third party's claim, e.g. an
 * accusation of distillation) are kept apart from declared ones and included only on request.
 */
import type { ReasoningError, Result } from './graph';
import { fail, ok } from './graph';
import { compressedAdjacency, stronglyConnectedComponents } from './scc';
import { idTable } from './idTable';

export type DerivationMethod =
  'FINE_TUNE' | 'DISTILLATION' | 'QUANTIZATION' | 'MERGE' | 'CONTINUED_PRETRAINING' | 'OTHER';
export type DerivationBasis = 'DECLARED' | 'ALLEGED';

export interface LineageModel {
  id: string;
  name?: string;
}

/** `childId` was made from `parentId`. */
export interface Derivation {
  id: string;
  childId: string;
  parentId: string;
  method: DerivationMethod;
  basis: DerivationBasis;
  allegationId?: string | null;
  startDate?: string | null;
  date?: string | null;
  sourceIds: string[];
}

export interface LineageOptions {
  direction: 'UP' | 'DOWN' | 'BOTH';
  /** Only these methods; absent: all. */
  methods?: DerivationMethod[];
  includeAlleged: boolean;
  /** Largest number of derivation steps from the root (0: the root alone). */
  maxDepth: number;
}

export interface LineageNode {
  id: string;
  /** Steps from the root along the direction it was reached (UP: ancestors, DOWN: descendants). */
  depth: number;
  side: 'ROOT' | 'UP' | 'DOWN';
}

export interface Lineage {
  rootId: string;
  nodes: LineageNode[];
  /** Each derivation once, including those that join two nodes already reached (diamonds, merges). */
  edges: Derivation[];
}

/**
 * The lineage DAG around a model, by breadth-first search with a visited set: each model appears once at its
 * shortest depth and each derivation once, so diamonds (a merge of two fine-tunes of one base) never
 * duplicate paths. BOTH is the union of UP and DOWN. Null when the root is not a known model.
 */
export function lineage(
  models: ReadonlyMap<string, LineageModel>,
  derivations: readonly Derivation[],
  rootId: string,
  options: LineageOptions,
): Result<Lineage> | null {
  const errors: ReasoningError[] = [];
  if (!Number.isInteger(options.maxDepth) || options.maxDepth < 0) {
    errors.push({
      code: 'INVALID_ARGUMENT',
      path: ['maxDepth'],
      message: `Argument "maxDepth" must be a non-negative integer, got ${options.maxDepth}.`,
    });
  }
  if (errors.length > 0) return fail(errors);
  if (!models.has(rootId)) return null;

  const usable = derivations.filter(
    (d) =>
      (options.includeAlleged || d.basis === 'DECLARED') &&
      (!options.methods || options.methods.includes(d.method)),
  );
  const parentsOf = group(usable, (d) => d.childId);
  const childrenOf = group(usable, (d) => d.parentId);
  const nodes: LineageNode[] = [{ id: rootId, depth: 0, side: 'ROOT' }];
  const seen = new Set<string>([rootId]);
  const edges = new Map<string, Derivation>();

  const walk = (side: 'UP' | 'DOWN') => {
    const next = side === 'UP' ? parentsOf : childrenOf;
    const reached = new Map<string, number>([[rootId, 0]]);
    let frontier = [rootId];
    for (let depth = 0; depth < options.maxDepth && frontier.length > 0; depth++) {
      const following: string[] = [];
      for (const id of frontier) {
        for (const d of next.get(id) ?? []) {
          const other = side === 'UP' ? d.parentId : d.childId;
          if (!reached.has(other)) {
            reached.set(other, depth + 1);
            following.push(other);
            if (!seen.has(other)) {
              seen.add(other);
              nodes.push({ id: other, depth: depth + 1, side });
            }
          }
          edges.set(d.id, d);
        }
      }
      frontier = following;
    }
    // Derivations between two nodes already reached at the depth limit (a diamond closing at the edge).
    for (const id of frontier) {
      for (const d of next.get(id) ?? []) {
        const other = side === 'UP' ? d.parentId : d.childId;
        if (reached.has(other)) edges.set(d.id, d);
      }
    }
  };
  if (options.direction !== 'DOWN') walk('UP');
  if (options.direction !== 'UP') walk('DOWN');
  return ok({ rootId, nodes, edges: [...edges.values()] });
}

function group(
  derivations: readonly Derivation[],
  key: (d: Derivation) => string,
): Map<string, Derivation[]> {
  const map = new Map<string, Derivation[]>();
  for (const d of derivations) {
    const list = map.get(key(d));
    if (list) list.push(d);
    else map.set(key(d), [d]);
  }
  return map;
}

/**
 * Cycles in the derivation graph (a model cannot descend from itself): one cycle per strongly connected
 * component, as model ids in which each model is derived from the next and the last from the first,
 * starting at the smallest id. Listing every simple cycle could be exponential; one per component is
 * enough to reject a write or point at the bad data. Self-derivations are cycles of one.
 */
export function findDerivationCycles(derivations: readonly Derivation[]): string[][] {
  const { ids, add } = idTable();
  const from = derivations.map((d) => add(d.childId));
  const to = derivations.map((d) => add(d.parentId));
  const n = ids.length;
  const { start, adj } = compressedAdjacency(n, from, to);
  const comps = stronglyConnectedComponents(n, start, adj);
  const cycles: string[][] = [];
  for (let c = 0; c < comps.count; c++) {
    const members = comps.nodes.subarray(comps.offsets[c], comps.offsets[c + 1]);
    if (members.length === 1) {
      const v = members[0]!;
      let selfLoop = false;
      for (let k = start[v]!; k < start[v + 1]!; k++) if (adj[k] === v) selfLoop = true;
      if (selfLoop) cycles.push([ids[v]!]);
      continue;
    }
    cycles.push(cycleWithin(members, comps.componentOf, c, start, adj).map((v) => ids[v]!));
  }
  return cycles.map(rotateToSmallest).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Whether adding `candidate` would make a model descend from itself (to reject the write). */
export function derivationCreatesCycle(derivations: readonly Derivation[], candidate: Derivation): boolean {
  if (candidate.childId === candidate.parentId) return true;
  // A cycle appears when the child is already an ancestor of the parent.
  const parentsOf = group(derivations, (d) => d.childId);
  const seen = new Set<string>([candidate.parentId]);
  const queue = [candidate.parentId];
  for (let head = 0; head < queue.length; head++) {
    for (const d of parentsOf.get(queue[head]!) ?? []) {
      if (d.parentId === candidate.childId) return true;
      if (!seen.has(d.parentId)) {
        seen.add(d.parentId);
        queue.push(d.parentId);
      }
    }
  }
  return false;
}

/** A cycle through the component's first member: breadth-first search inside the component back to it. */
function cycleWithin(
  members: Int32Array,
  componentOf: Int32Array,
  c: number,
  start: Int32Array,
  adj: Int32Array,
): number[] {
  const s = members[0]!;
  const previous = new Map<number, number>();
  const queue = [s];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (let k = start[v]!; k < start[v + 1]!; k++) {
      const w = adj[k]!;
      if (componentOf[w] !== c) continue;
      if (w === s) {
        const path = [v];
        for (let u = v; u !== s;) {
          u = previous.get(u)!;
          path.push(u);
        }
        return path.reverse();
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [s];
}

function rotateToSmallest(cycle: string[]): string[] {
  let best = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i]! < cycle[best]!) best = i;
  return [...cycle.slice(best), ...cycle.slice(0, best)];
}
