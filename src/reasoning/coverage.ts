/**
 * Policy coverage in the OFAC 50 Percent Rule style ("AGG"): an entity is covered when the holdings of its
 * covered direct owners add up to the threshold (FAQ 399: stakes of different blocked persons are added),
 * and a covered intermediate passes its whole stake on, not multiplied (FAQ 401). Computed as the least
 * fixed point from the roots with a worklist, so two entities in a cycle never justify each other (case 10).
 */
import type { OwnershipGraph, PolicyRule, Result } from './graph';
import { checkDate, fail, ok } from './graph';
import type { Bounds, CoverageVerdict, UnknownAs } from './bounds';
import { classify, lowerReaches, openEnds, upperMayReach } from './bounds';
import type { GraphIndex } from './graphIndex';
import { indexGraph } from './graphIndex';
import type { RootReason } from './roots';
import { controlBasisCounts, policyRoots } from './roots';
import { rootShares } from './lookThrough';
import type { PolicyStatusResult } from './policyStatus';
import { policyStatus } from './policyStatus';
import { validatePolicy } from './validatePolicy';

export type CoverageReason = 'ROOT' | 'OWNERSHIP' | 'CONTROL';
const REASONS: (CoverageReason | null)[] = [null, 'ROOT', 'OWNERSHIP', 'CONTROL'];

export interface CoverageOptions {
  /** The date the question is about, YYYY-MM-DD. */
  asOf: string;
  /** How the unattributed part of an entity's ownership counts toward upper bounds; default NOT_COVERED. */
  unknownAs?: UnknownAs;
  /**
   * Sweep only: also compute the MULT view for every entity. Default: only when the policy decides by
   * LOOK_THROUGH, since the whole-graph linear solve roughly doubles the cost of a sweep.
   */
  lookThrough?: boolean;
}

/** Not public API: the state of both fixed points and the MULT view, per node of an index. */
export interface PolicyEvaluation {
  index: GraphIndex;
  isRoot: Uint8Array;
  rootReasons: Map<number, RootReason>;
  /** Lower fixed point (minimum shares): 0 not covered, else 1 root, 2 ownership, 3 control. */
  covered: Uint8Array;
  /** Position at which a node became covered, for tracing explanations backwards without loops. */
  coveredOrder: Int32Array;
  /** Sum of minimum holdings of covered owners (lower fixed point), and count of strict terms. */
  sumLo: Float64Array;
  sumLoStrict: Int32Array;
  /** Upper fixed point (maximum shares): same codes as `covered`. */
  possible: Uint8Array;
  possibleOrder: Int32Array;
  upper: Float64Array;
  upperStrict: Uint8Array;
  /** MULT view: look-through share held by roots, lower and upper. */
  multLower: Float64Array;
  multUpper: Float64Array;
  /** Whether the MULT bounds are strict ("more than", "less than"). */
  multLowerOpen: Uint8Array;
  multUpperOpen: Uint8Array;
  approximate: boolean;
}

/**
 * Both fixed points and the MULT view over an index. Each node is pushed at most once per fixed point and
 * each edge read once when its owner is popped: O(nodes + edges).
 *
 * Upper bound of the covered share of v, with C the owners possibly covered and N the others: the true
 * share is at most min(sum of maxima over C, 1 - sum of minima over N), because all holdings of v fit in
 * 100%. With `unknownAs: 'POSSIBLY_COVERED'` the part no known owner is sure to hold may belong to a covered
 * party, so the bound is 1 - sum of minima over N alone (an entity with no known owners is possibly covered;
 * set `ownershipComplete` on entities whose listed owners are all there is).
 */
export function evaluatePolicy(
  index: GraphIndex,
  policy: PolicyRule,
  unknownAs: UnknownAs,
  withLookThrough = true,
): PolicyEvaluation {
  const { n, outStart, outEdge, owned, lo, hi, loStrict, hiStrict } = index;
  const { isRoot, reasons } = policyRoots(index, policy);
  const t = policy.threshold;
  const incl = policy.thresholdInclusive;
  const passesOn = (u: number) => policy.includesIndirect || isRoot[u] === 1;
  const controlEdgeCounts = index.controls.map((c) => controlBasisCounts(policy, c.basis));

  // Lower fixed point.
  const covered = new Uint8Array(n);
  const coveredOrder = new Int32Array(n).fill(-1);
  const sumLo = new Float64Array(n);
  const sumLoStrict = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  const mark = (state: Uint8Array, order: Int32Array, v: number, reason: number) => {
    state[v] = reason;
    order[v] = tail;
    queue[tail++] = v;
  };
  for (let v = 0; v < n; v++) if (isRoot[v]) mark(covered, coveredOrder, v, 1);
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    if (!passesOn(u)) continue;
    for (let k = outStart[u]!; k < outStart[u + 1]!; k++) {
      const e = outEdge[k]!;
      const v = owned[e]!;
      sumLo[v]! += lo[e]!;
      sumLoStrict[v]! += loStrict[e]!;
      if (!covered[v] && lowerReaches(Math.min(1, sumLo[v]!), sumLoStrict[v]! > 0, t, incl))
        mark(covered, coveredOrder, v, 2);
    }
    for (let k = index.controlOutStart[u]!; k < index.controlOutStart[u + 1]!; k++) {
      const e = index.controlOutEdge[k]!;
      const v = index.controlled[e]!;
      if (controlEdgeCounts[e] && !covered[v]) mark(covered, coveredOrder, v, 3);
    }
  }

  // Upper fixed point.
  const possible = new Uint8Array(n);
  const possibleOrder = new Int32Array(n).fill(-1);
  const sumHiP = new Float64Array(n);
  const sumHiPStrict = new Int32Array(n);
  const sumLoP = new Float64Array(n);
  const sumLoPStrict = new Int32Array(n);
  const upper = new Float64Array(n);
  const upperStrict = new Uint8Array(n);
  const hasRemainder = (v: number) =>
    unknownAs === 'POSSIBLY_COVERED' && !index.isPerson[v] && index.entity[v]?.ownershipComplete !== true;
  const mayReach = (v: number): boolean => {
    const capB = 1 - index.totalLo[v]! + sumLoP[v]!;
    const capBStrict = index.totalLoStrict[v]! - sumLoPStrict[v]! > 0;
    let u = capB;
    let strict = capBStrict;
    if (!hasRemainder(v)) {
      const capA = sumHiP[v]!;
      if (capA < capB || (capA === capB && sumHiPStrict[v]! > 0)) {
        u = capA;
        strict = sumHiPStrict[v]! > 0;
      }
    }
    if (u >= 1) {
      u = 1;
      strict = false;
    }
    if (u < sumLoP[v]!) {
      u = Math.min(1, sumLoP[v]!); // inconsistent data (minima past 100%): keep upper >= lower
      strict = false;
    }
    upper[v] = u;
    upperStrict[v] = strict ? 1 : 0;
    return (
      upperMayReach(u, strict, t, incl) ||
      lowerReaches(Math.min(1, sumLoP[v]!), sumLoPStrict[v]! > 0, t, incl)
    );
  };
  tail = 0;
  for (let v = 0; v < n; v++) {
    if (isRoot[v]) mark(possible, possibleOrder, v, 1);
    else if (mayReach(v)) mark(possible, possibleOrder, v, 2);
  }
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    if (!passesOn(u)) continue;
    for (let k = outStart[u]!; k < outStart[u + 1]!; k++) {
      const e = outEdge[k]!;
      const v = owned[e]!;
      sumHiP[v]! += hi[e]!;
      sumHiPStrict[v]! += hiStrict[e]!;
      sumLoP[v]! += lo[e]!;
      sumLoPStrict[v]! += loStrict[e]!;
      const reaches = mayReach(v);
      if (!possible[v] && reaches) mark(possible, possibleOrder, v, 2);
    }
    for (let k = index.controlOutStart[u]!; k < index.controlOutStart[u + 1]!; k++) {
      const e = index.controlOutEdge[k]!;
      const v = index.controlled[e]!;
      if (controlEdgeCounts[e] && !possible[v]) mark(possible, possibleOrder, v, 3);
    }
  }

  const mult = withLookThrough
    ? rootShares(index, isRoot, policy.includesIndirect, unknownAs)
    : {
        lower: new Float64Array(n),
        upper: new Float64Array(n),
        lowerOpen: new Uint8Array(n),
        upperOpen: new Uint8Array(n),
        approximate: false,
      };
  return {
    index,
    isRoot,
    rootReasons: reasons,
    covered,
    coveredOrder,
    sumLo,
    sumLoStrict,
    possible,
    possibleOrder,
    upper,
    upperStrict,
    multLower: mult.lower,
    multUpper: mult.upper,
    multLowerOpen: mult.lowerOpen,
    multUpperOpen: mult.upperOpen,
    approximate: mult.approximate,
  };
}

export interface MethodResult extends Bounds {
  verdict: CoverageVerdict;
}

export interface NodeCoverage {
  /** AGG: covered share of the entity (100% for a root) and the verdict it gives. */
  aggregate: MethodResult;
  /** MULT: look-through share held by roots and the verdict it gives. */
  lookThrough: MethodResult;
  /** How the entity is covered under AGG (null when it is not even possibly covered). */
  reason: CoverageReason | null;
}

/** Reads one node's result out of an evaluation. */
export function nodeCoverage(ev: PolicyEvaluation, v: number, policy: PolicyRule): NodeCoverage {
  const t = policy.threshold;
  const incl = policy.thresholdInclusive;
  let aggregate: MethodResult;
  if (ev.isRoot[v]) aggregate = { lower: 1, upper: 1, verdict: 'COVERED' };
  else {
    const lower = Math.min(1, ev.sumLo[v]!);
    const upper = Math.max(lower, ev.upper[v]!);
    const lowerOpen = ev.sumLoStrict[v]! > 0 && lower < 1;
    const upperOpen = ev.upperStrict[v] === 1 && upper > lower;
    const verdict: CoverageVerdict = ev.covered[v]
      ? 'COVERED'
      : ev.possible[v]
        ? 'POSSIBLY_COVERED'
        : 'NOT_COVERED';
    aggregate = { lower, upper, ...openEnds(lowerOpen, upperOpen), verdict };
  }
  const lower = ev.multLower[v]!;
  const upper = Math.max(lower, ev.multUpper[v]!);
  const mult = {
    lower,
    upper,
    ...openEnds(ev.multLowerOpen[v] === 1 && lower < 1, ev.multUpperOpen[v] === 1 && upper > lower),
  };
  // A root is covered by itself whatever the threshold (a list with no ownership rule has "> 100%").
  const lookThrough: MethodResult = { ...mult, verdict: ev.isRoot[v] ? 'COVERED' : classify(mult, t, incl) };
  const code = ev.covered[v] || ev.possible[v];
  return { aggregate, lookThrough, reason: REASONS[code ?? 0] ?? null };
}

export interface EntityCoverage extends Omit<NodeCoverage, 'lookThrough'> {
  entityId: string;
  /** MULT view; null when the sweep did not compute it (see `CoverageOptions.lookThrough`). */
  lookThrough: MethodResult | null;
  /** The verdict of the method the policy names (`aggregation`). */
  verdict: CoverageVerdict;
}

export interface CoverageSweep {
  policyId: string;
  asOf: string;
  policyStatus: PolicyStatusResult;
  method: PolicyRule['aggregation'];
  /** Every entity covered or possibly covered under either method (none when the policy is not in force). */
  entities: EntityCoverage[];
  /** True when a very large cross-holding component was solved by iteration. */
  approximate: boolean;
  overallocated: string[];
}

/**
 * Whole-graph sweep: every entity the policy covers or may cover on a date, by both methods. Near-linear
 * (adjacency arrays, worklists, one SCC pass) so it can run over the full data set; entities found NOT_COVERED
 * by both methods are left out of the list.
 */
export function coveredEntities(
  graph: OwnershipGraph,
  policy: PolicyRule,
  options: CoverageOptions,
): Result<CoverageSweep> {
  const errors = [...validatePolicy(policy), ...checkDate(options.asOf, ['asOf'])];
  if (errors.length > 0) return fail(errors);
  const status = policyStatus(policy, options.asOf);
  const indexed = indexGraph(graph, options.asOf);
  if (!indexed.ok) return indexed;
  const sweep: CoverageSweep = {
    policyId: policy.id,
    asOf: options.asOf,
    policyStatus: status,
    method: policy.aggregation,
    entities: [],
    approximate: false,
    overallocated: indexed.value.overallocated,
  };
  if (!status.inForce) return ok(sweep);
  const withMult = options.lookThrough ?? policy.aggregation === 'LOOK_THROUGH';
  const ev = evaluatePolicy(indexed.value, policy, options.unknownAs ?? 'NOT_COVERED', withMult);
  sweep.approximate = ev.approximate;
  for (let v = 0; v < ev.index.n; v++) {
    const interesting = ev.possible[v] || ev.multUpper[v]! >= policy.threshold - 1e-9;
    if (!interesting) continue;
    const c = nodeCoverage(ev, v, policy);
    if (c.aggregate.verdict === 'NOT_COVERED' && c.lookThrough.verdict === 'NOT_COVERED') continue;
    const verdict = policy.aggregation === 'AGGREGATE' ? c.aggregate.verdict : c.lookThrough.verdict;
    sweep.entities.push({
      entityId: ev.index.ids[v]!,
      verdict,
      aggregate: c.aggregate,
      lookThrough: withMult ? c.lookThrough : null,
      reason: c.reason,
    });
  }
  return ok(sweep);
}
