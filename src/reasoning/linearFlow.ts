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
 * Solves the system with every value capped to [0, cap].
 *
 * The cap is a property of the quantity solved for, not a guard: the share of an entity held by roots never
 * exceeds 100% (cap 1), but the flow from an owner to a target counts every path, and an owner that holds
 * part of itself through a cross-holding legitimately passes 100% there before it is divided out (issue 9:
 * B owns 50% of C which owns 50% of B, so B reaches the entity it owns 4/3 times). Such systems are solved
 * with cap Infinity. A component whose system has no finite solution (its coefficients overshoot, as upper
 * bounds from ranges whose maxima add past 100% can) is then reported as Infinity, not iterated towards it:
 * the caller bounds its final answer by other means (a share of an entity is at most 100% minus what the
 * others surely hold).
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
        else rhs += term(depCoef[e]!, x[k]!);
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
    } else if (cap === Infinity && size <= DENSE_LIMIT) {
      // No finite solution: everything the component receives grows without bound.
      for (let i = 0; i < size; i++) x[members[i]!] = Infinity;
    } else {
      approximate = true;
      iterate(flow, x, members, cap);
    }
    for (let i = 0; i < size; i++) local[members[i]!] = -1;
  }
  return { x, approximate };
}

/** c * x with 0 * Infinity = 0: a zero coefficient carries nothing, even from a diverging component. */
function term(coef: number, value: number): number {
  return coef === 0 ? 0 : coef * value;
}

/**
 * Which values are strict bounds ("open"): for a lower solution, whether the true value is surely above it;
 * for an upper solution, surely below it. A term c * x(k) is strict when its coefficient's bound is strict
 * and x(k) is positive (or itself strict), or when c is positive and x(k) is strict; a sum is strict when any
 * term is. The least fixed point, by a worklist over the reversed dependencies, so a cycle never makes
 * itself strict. Values at the cap or infinite are never strict (the cap is not a bound the terms reach).
 */
export function openFlags(
  flow: LinearFlow,
  x: Float64Array,
  bOpen: Uint8Array,
  coefOpen: Uint8Array,
  cap = 1,
): Uint8Array {
  const { n, depStart, depNode, depCoef } = flow;
  const open = new Uint8Array(n);
  const usable = (v: number) => Number.isFinite(x[v]!) && x[v]! < cap;
  // Reverse adjacency: who depends on k.
  const rev = new Int32Array(n + 1);
  for (let e = 0; e < depNode.length; e++) rev[depNode[e]! + 1]!++;
  for (let v = 0; v < n; v++) rev[v + 1]! += rev[v]!;
  const fill = rev.slice(0, n);
  const revTerm = new Int32Array(depNode.length);
  const ownerOf = new Int32Array(depNode.length);
  for (let v = 0; v < n; v++) {
    for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
      ownerOf[e] = v;
      revTerm[fill[depNode[e]!]!++] = e;
    }
  }
  const queue: number[] = [];
  const mark = (v: number) => {
    if (!open[v] && usable(v)) {
      open[v] = 1;
      queue.push(v);
    }
  };
  for (let v = 0; v < n; v++) {
    if (bOpen[v]) mark(v);
    for (let e = depStart[v]!; e < depStart[v + 1]! && !open[v]; e++) {
      if (coefOpen[e] && x[depNode[e]!]! > 0) mark(v);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const k = queue[head]!;
    for (let r = rev[k]!; r < rev[k + 1]!; r++) {
      const e = revTerm[r]!;
      if (depCoef[e]! > 0 || coefOpen[e]) mark(ownerOf[e]!);
    }
  }
  return open;
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
      else rhs[i]! += term(depCoef[e]!, x[w]!);
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
 * Without a cap, a sequence that passes 1e12 has no finite limit worth waiting for: the component is Infinity.
 */
function iterate(flow: LinearFlow, x: Float64Array, members: Int32Array, cap: number): void {
  const { b, depStart, depNode, depCoef } = flow;
  for (const v of members) x[v] = 0;
  for (let sweep = 0; sweep < 100_000; sweep++) {
    let change = 0;
    let largest = 0;
    for (const v of members) {
      let value = b[v]!;
      for (let e = depStart[v]!; e < depStart[v + 1]!; e++) value += term(depCoef[e]!, x[depNode[e]!]!);
      value = clamp(value, cap);
      change = Math.max(change, Math.abs(value - x[v]!));
      largest = Math.max(largest, value);
      x[v] = value;
    }
    if (largest > 1e12) {
      for (const v of members) if (x[v]! > 0) x[v] = Infinity;
      return;
    }
    if (change < 1e-13 * Math.max(1, largest)) return;
  }
}
