/**
 * Solves the integrated-ownership equations x = b + C x exactly, the way the literature treats large
 * ownership networks (Brioschi, Buzzacchi & Colombo 1989; Vitali, Glattfelder & Battiston 2011): strongly
 * connected components (cross-holdings) are small linear systems solved by Gaussian elimination, and the
 * acyclic rest is one pass in topological order. Never enumerates paths, so diamonds cost nothing and a
 * cycle gives the exact limit (45 / 0.9 = 50%), not a truncated series (49.95%).
 */
import { stronglyConnectedComponents } from './scc';

/** x(v) = b(v) + sum over k of coef(v, k) * x(k); the terms of v are depNode/depCoef[depStart[v] .. depStart[v + 1]). */
export interface LinearFlow {
  n: number;
  b: Float64Array;
  depStart: Int32Array;
  depNode: Int32Array;
  depCoef: Float64Array;
}

export interface FlowSolution {
  x: Float64Array;
  /**
   * True when some component was solved by iteration rather than elimination (a component of more than
   * `DENSE_LIMIT` nodes, or one whose system is singular); the values are then within 1e-12 of the least
   * solution, or capped.
   */
  approximate: boolean;
}

/** Largest component solved densely: elimination is O(k^3) time and O(k^2) memory. */
export const DENSE_LIMIT = 400;

/**
 * Solves the system with every value capped to [0, cap]. The cap is sound for shares: a share of an entity
 * never exceeds 100%, so an upper-bound system whose coefficients overshoot (ranges whose maxima sum past
 * 100%) is cut at 1 instead of diverging.
 */
export function solveLinearFlow(flow: LinearFlow, cap = 1): FlowSolution {
  const { n, b, depStart, depNode, depCoef } = flow;
  const comps = stronglyConnectedComponents(n, depStart, depNode);
  const x = new Float64Array(n);
  const local = new Int32Array(n).fill(-1); // position of a node inside the component being solved
  let approximate = false;

  for (let c = 0; c < comps.count; c++) {
    const from = comps.offsets[c]!;
    const to = comps.offsets[c + 1]!;
    const size = to - from;
    if (size === 1) {
      const v = comps.nodes[from]!;
      let rhs = b[v]!;
      let self = 0;
      for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
        const k = depNode[e]!;
        if (k === v) self += depCoef[e]!;
        else rhs += depCoef[e]! * x[k]!;
      }
      // x = rhs + self * x  =>  x = rhs / (1 - self): an entity owning part of itself (treasury shares).
      if (self === 0) x[v] = clamp(rhs, cap);
      else if (self < 1) x[v] = clamp(rhs / (1 - self), cap);
      else x[v] = rhs > 0 ? cap : 0;
      continue;
    }
    const members = comps.nodes.subarray(from, to);
    for (let i = 0; i < size; i++) local[members[i]!] = i;
    const solved = size <= DENSE_LIMIT ? solveDense(flow, x, members, local) : null;
    if (solved) {
      for (let i = 0; i < size; i++) x[members[i]!] = clamp(solved[i]!, cap);
    } else {
      approximate = true;
      iterate(flow, x, members, cap);
    }
    for (let i = 0; i < size; i++) local[members[i]!] = -1;
  }
  return { x, approximate };
}

function clamp(value: number, cap: number): number {
  return value < 0 ? 0 : value > cap ? cap : value;
}

/**
 * (I - C_inner) y = b + C_outer x, by elimination without pivoting. I - C is a Z-matrix; it is a
 * nonsingular M-matrix (the series converges) exactly when every pivot is positive, so a non-positive
 * pivot means "no finite solution" and the caller falls back to capped iteration.
 */
function solveDense(
  flow: LinearFlow,
  x: Float64Array,
  members: Int32Array,
  local: Int32Array,
): Float64Array | null {
  const { b, depStart, depNode, depCoef } = flow;
  const k = members.length;
  const a = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const v = members[i]!;
    a[i * k + i] = 1;
    rhs[i] = b[v]!;
    for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
      const w = depNode[e]!;
      const j = local[w]!;
      if (j >= 0) a[i * k + j]! -= depCoef[e]!;
      else rhs[i]! += depCoef[e]! * x[w]!;
    }
  }
  for (let p = 0; p < k; p++) {
    const pivot = a[p * k + p]!;
    if (!(pivot > 1e-12)) return null;
    for (let r = p + 1; r < k; r++) {
      const factor = a[r * k + p]! / pivot;
      if (factor === 0) continue;
      for (let col = p; col < k; col++) a[r * k + col]! -= factor * a[p * k + col]!;
      rhs[r]! -= factor * rhs[p]!;
    }
  }
  const y = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let sum = rhs[r]!;
    for (let col = r + 1; col < k; col++) sum -= a[r * k + col]! * y[col]!;
    y[r] = sum / a[r * k + r]!;
  }
  return y;
}

/**
 * Gauss-Seidel from zero with the cap applied at each step: a monotone sequence that converges to the least
 * solution of the capped system (the right answer for shares, which exist only as the limit from zero).
 */
function iterate(flow: LinearFlow, x: Float64Array, members: Int32Array, cap: number): void {
  const { b, depStart, depNode, depCoef } = flow;
  for (const v of members) x[v] = 0;
  for (let sweep = 0; sweep < 100_000; sweep++) {
    let change = 0;
    for (const v of members) {
      let value = b[v]!;
      for (let e = depStart[v]!; e < depStart[v + 1]!; e++) value += depCoef[e]! * x[depNode[e]!]!;
      value = clamp(value, cap);
      change = Math.max(change, Math.abs(value - x[v]!));
      x[v] = value;
    }
    if (change < 1e-13) return;
  }
}
