/**
 * Strongly connected components by Tarjan's algorithm, iterative (an explicit stack, no recursion: ownership
 * chains can be thousands deep and the JavaScript call stack is not). Graphs come as compressed adjacency
 * arrays: the successors of v are adj[start[v] .. start[v + 1]).
 */

export interface Components {
  /** Number of components. */
  count: number;
  /** Component of each node. */
  componentOf: Int32Array;
  /**
   * Nodes grouped by component, components in the order Tarjan completes them: every component comes after
   * all the components reachable from it (reverse topological order), so a solver that needs the values of
   * a node's successors can process components in this order.
   */
  nodes: Int32Array;
  /** Component c holds nodes[offsets[c] .. offsets[c + 1]). */
  offsets: Int32Array;
}

/** Tarjan's SCC algorithm over nodes 0..n-1; O(n + edges). */
export function stronglyConnectedComponents(n: number, start: Int32Array, adj: Int32Array): Components {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n); // Tarjan's stack of open nodes
  let stackTop = 0;
  const callNode = new Int32Array(n); // the simulated call stack: node and next edge to look at
  const callEdge = new Int32Array(n);
  const nodes = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  let emitted = 0;
  let nextIndex = 0;
  let count = 0;

  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    let depth = 0;
    callNode[0] = s;
    callEdge[0] = start[s]!;
    index[s] = low[s] = nextIndex++;
    stack[stackTop++] = s;
    onStack[s] = 1;
    while (depth >= 0) {
      const v = callNode[depth]!;
      const e = callEdge[depth]!;
      if (e < start[v + 1]!) {
        callEdge[depth] = e + 1;
        const w = adj[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = nextIndex++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callEdge[depth] = start[w]!;
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      // v is finished: close its component if it is a root, then return to the caller.
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--stackTop]!;
          onStack[w] = 0;
          componentOf[w] = count;
          nodes[emitted++] = w;
        } while (w !== v);
        count++;
        offsets[count] = emitted;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return { count, componentOf, nodes, offsets: offsets.subarray(0, count + 1) };
}

/** Builds compressed adjacency arrays from (from, to) pairs over nodes 0..n-1 (a counting sort, O(n + m)). */
export function compressedAdjacency(
  n: number,
  from: ArrayLike<number>,
  to: ArrayLike<number>,
): { start: Int32Array; adj: Int32Array; order: Int32Array } {
  const m = from.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) start[from[i]! + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const adj = new Int32Array(m);
  const order = new Int32Array(m); // order[k]: the pair placed at position k
  for (let i = 0; i < m; i++) {
    const k = fill[from[i]!]!++;
    adj[k] = to[i]!;
    order[k] = i;
  }
  return { start, adj, order };
}
