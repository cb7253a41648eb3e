/**
 * Multiplicative look-through ownership ("MULT"): shares multiplied along each path and summed over all
 * paths (Open Ownership's summarisation of interests), computed as the integrated ownership of Brioschi et
 * al. (W~ = W + W W~) with cycles solved exactly, never by enumerating paths.
 */
import type { Entity, OwnershipGraph, Result } from './graph';
import { checkDate, fail, ok } from './graph';
import type { Bounds, UnknownAs } from './bounds';
import { clampUnit, EPSILON } from './bounds';
import type { GraphIndex } from './graphIndex';
import { indexGraph } from './graphIndex';
import { solveLinearFlow } from './linearFlow';

export interface UltimateOwner {
  entityId: string;
  name: string | null;
  kind: Entity['kind'] | null;
  headquartersCountry: string | null;
  incorporationCountry: string | null;
  share: Bounds;
}

export interface CountryShare {
  /** ISO alpha-2, or null for owners whose country is not known. */
  country: string | null;
  share: Bounds;
}

export interface LookThrough {
  entityId: string;
  asOf: string;
  /** Ultimate owners (no owners of their own in force, or persons), largest first. */
  owners: UltimateOwner[];
  /** The part of the entity that no known ultimate owner accounts for. */
  unknown: Bounds;
  /**
   * The part of the entity it holds in itself through cross-holdings (case 17: A owns 48% of itself through
   * Y). Owners' shares are of the rest, as for treasury shares: raw share = share x (1 - selfHeld).
   */
  selfHeld: Bounds;
  byHeadquarters: CountryShare[];
  byIncorporation: CountryShare[];
  /** True when a very large cross-holding component was solved by iteration (see linearFlow). */
  approximate: boolean;
  /** Entities whose owners' minimum shares add up past 100%; their owners' shares were scaled down. */
  overallocated: string[];
}

/**
 * The ultimate owners of an entity on a date and the share each holds, summed over all paths, with
 * per-country totals. Lower bounds use minimum shares, upper bounds maximum shares (sound: integrated
 * ownership only grows when a direct share grows). Returns null for an unknown entity.
 */
export function lookThrough(
  graph: OwnershipGraph,
  entityId: string,
  options: { asOf: string },
): Result<LookThrough> | null {
  const dateErrors = checkDate(options.asOf, ['asOf']);
  if (dateErrors.length > 0) return fail(dateErrors);
  if (!graph.entities.has(entityId)) return null;
  const indexed = indexGraph(graph, options.asOf, entityId);
  if (!indexed.ok) return indexed;
  const index = indexed.value;
  const target = index.indexOf.get(entityId)!;
  const { loN, hiN } = normalisedShares(index);

  // f(v) = the part of the target v holds through paths that do not pass through the target on the way:
  // f(v) = w(v, T) + sum over m != T of w(v, m) f(m). Then f(T) is the part the target holds in itself.
  const solve = (w: Float64Array) => {
    const b = new Float64Array(index.n);
    const deps: number[][] = [];
    for (let v = 0; v < index.n; v++) {
      const list: number[] = [];
      for (let k = index.outStart[v]!; k < index.outStart[v + 1]!; k++) {
        const e = index.outEdge[k]!;
        const m = index.owned[e]!;
        if (m === target) b[v]! += w[e]!;
        else if (!index.isPerson[m]) list.push(e); // a path does not climb above a person
      }
      deps.push(list);
    }
    return solveLinearFlow(flowOf(index.n, b, deps, (e) => index.owned[e]!, w));
  };
  const low = solve(loN);
  const high = solve(hiN);
  const selfLo = low.x[target]!;
  const selfHi = high.x[target]!;

  const owners: UltimateOwner[] = [];
  for (let v = 0; v < index.n; v++) {
    if (v === target) continue;
    const ultimate = index.isPerson[v] === 1 || index.inStart[v] === index.inStart[v + 1];
    if (!ultimate) continue;
    const lower = selfLo < 1 - EPSILON ? clampUnit(low.x[v]! / (1 - selfLo)) : 0;
    const upper = selfHi < 1 - EPSILON ? clampUnit(high.x[v]! / (1 - selfHi)) : high.x[v]! > 0 ? 1 : 0;
    if (upper <= 0) continue;
    const entity = index.entity[v];
    owners.push({
      entityId: index.ids[v]!,
      name: entity?.name ?? null,
      kind: entity?.kind ?? null,
      headquartersCountry: entity?.headquartersCountry ?? null,
      incorporationCountry: entity?.incorporationCountry ?? null,
      share: { lower, upper },
    });
  }
  owners.sort(
    (a, b) =>
      b.share.lower - a.share.lower || b.share.upper - a.share.upper || a.entityId.localeCompare(b.entityId),
  );
  const sumLower = owners.reduce((s, o) => s + o.share.lower, 0);
  const sumUpper = owners.reduce((s, o) => s + o.share.upper, 0);
  return ok({
    entityId,
    asOf: options.asOf,
    owners,
    unknown: { lower: clampUnit(1 - sumUpper), upper: clampUnit(1 - sumLower) },
    selfHeld: { lower: clampUnit(selfLo), upper: clampUnit(selfHi) },
    byHeadquarters: byCountry(owners, (o) => o.headquartersCountry),
    byIncorporation: byCountry(owners, (o) => o.incorporationCountry),
    approximate: low.approximate || high.approximate,
    overallocated: index.overallocated,
  });
}

function byCountry(owners: UltimateOwner[], countryOf: (o: UltimateOwner) => string | null): CountryShare[] {
  const totals = new Map<string | null, Bounds>();
  for (const o of owners) {
    const key = countryOf(o);
    const t = totals.get(key) ?? { lower: 0, upper: 0 };
    totals.set(key, { lower: clampUnit(t.lower + o.share.lower), upper: clampUnit(t.upper + o.share.upper) });
  }
  return [...totals]
    .map(([country, share]) => ({ country, share }))
    .sort((a, b) => b.share.lower - a.share.lower || b.share.upper - a.share.upper);
}

/**
 * Direct shares made consistent before multiplying: when an entity's owners' minima add up past 100%
 * they are scaled down to 100% (shares never sum past 100%); each maximum is cut to 100% minus the other
 * owners' minima, which no true share can exceed.
 */
export function normalisedShares(index: GraphIndex): {
  loN: Float64Array;
  hiN: Float64Array;
  totalLoN: Float64Array;
} {
  const m = index.edges.length;
  const loN = new Float64Array(m);
  const hiN = new Float64Array(m);
  const totalLoN = new Float64Array(index.n);
  for (let e = 0; e < m; e++) {
    const v = index.owned[e]!;
    const total = index.totalLo[v]!;
    loN[e] = total > 1 ? index.lo[e]! / total : index.lo[e]!;
    totalLoN[v]! += loN[e]!;
  }
  for (let e = 0; e < m; e++) {
    const others = totalLoN[index.owned[e]!]! - loN[e]!;
    hiN[e] = Math.max(loN[e]!, Math.min(index.hi[e]!, 1 - others));
  }
  return { loN, hiN, totalLoN };
}

/** Builds the solver's compressed arrays from per-node lists of edge numbers. */
function flowOf(
  n: number,
  b: Float64Array,
  deps: number[][],
  nodeOf: (e: number) => number,
  w: Float64Array,
) {
  const depStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) depStart[v + 1] = depStart[v]! + deps[v]!.length;
  const depNode = new Int32Array(depStart[n]!);
  const depCoef = new Float64Array(depStart[n]!);
  for (let v = 0; v < n; v++) {
    let k = depStart[v]!;
    for (const e of deps[v]!) {
      depNode[k] = nodeOf(e);
      depCoef[k++] = w[e]!;
    }
  }
  return { n, b, depStart, depNode, depCoef };
}

/**
 * The policy's MULT view for every node at once: the look-through share of each entity held by roots,
 * each path stopping at the first root it reaches (a root owned by a root is not counted twice; case 11
 * gives 60%, not 120%). r(root) = 1; r(v) = sum over owners o of w(o, v) r(o). With `includesIndirect`
 * false only roots' direct holdings count. Upper bound with `unknownAs: 'POSSIBLY_COVERED'`: the part of v
 * not held by known owners may belong to a root, so r+(v) = sum of min(o, v) r+(o) + (1 - sum of minima):
 * the most a root could hold if every share not pinned down by a minimum went to an unknown root.
 */
export function rootShares(
  index: GraphIndex,
  isRoot: Uint8Array,
  includesIndirect: boolean,
  unknownAs: UnknownAs,
): { lower: Float64Array; upper: Float64Array; approximate: boolean } {
  const { loN, hiN, totalLoN } = normalisedShares(index);
  const n = index.n;
  const system = (upperBound: boolean) => {
    const b = new Float64Array(n);
    const depStart = new Int32Array(n + 1);
    const counts = new Int32Array(n);
    const counted = (e: number) => includesIndirect || isRoot[index.owner[e]!] === 1;
    for (let v = 0; v < n; v++) {
      if (isRoot[v]) continue;
      for (let k = index.inStart[v]!; k < index.inStart[v + 1]!; k++)
        if (counted(index.inEdge[k]!)) counts[v]!++;
    }
    for (let v = 0; v < n; v++) depStart[v + 1] = depStart[v]! + counts[v]!;
    const depNode = new Int32Array(depStart[n]!);
    const depCoef = new Float64Array(depStart[n]!);
    for (let v = 0; v < n; v++) {
      if (isRoot[v]) {
        b[v] = 1;
        continue;
      }
      const remainder =
        upperBound &&
        unknownAs === 'POSSIBLY_COVERED' &&
        !index.isPerson[v] &&
        index.entity[v]?.ownershipComplete !== true;
      if (remainder) b[v] = clampUnit(1 - totalLoN[v]!);
      const w = upperBound && !remainder ? hiN : loN;
      let p = depStart[v]!;
      for (let k = index.inStart[v]!; k < index.inStart[v + 1]!; k++) {
        const e = index.inEdge[k]!;
        if (!counted(e)) continue;
        depNode[p] = index.owner[e]!;
        depCoef[p++] = w[e]!;
      }
    }
    return solveLinearFlow({ n, b, depStart, depNode, depCoef });
  };
  const lower = system(false);
  const upper = system(true);
  return { lower: lower.x, upper: upper.x, approximate: lower.approximate || upper.approximate };
}
