/**
 * Every shortest path between two records over links taken in either direction (as Neo4j's
 * `allShortestPaths` over an undirected pattern): used where the graph to search is assembled in memory, as
 * for `connections` under `knownAsOf`. Pure: the links come in, the paths go out.
 */

/** A link between two records; `id` tells two links between the same records apart. */
export interface PathLink {
  id: string;
  fromId: string;
  toId: string;
}

/** A path as the records it passes through and, between each two, the index of the link taken. */
export interface LinkPath {
  nodeIds: string[];
  links: number[];
}

interface Step {
  link: number;
  other: string;
}

function adjacency(links: readonly PathLink[]): Map<string, Step[]> {
  const next = new Map<string, Step[]>();
  const add = (from: string, step: Step) => {
    const list = next.get(from);
    if (list) list.push(step);
    else next.set(from, [step]);
  };
  links.forEach((link, i) => {
    if (link.fromId === link.toId) return;
    add(link.fromId, { link: i, other: link.toId });
    add(link.toId, { link: i, other: link.fromId });
  });
  // A stable order (by the record reached, then the link), so the same links always give the same paths.
  for (const steps of next.values()) {
    steps.sort(
      (a, b) =>
        a.other.localeCompare(b.other) ||
        links[a.link]!.id.localeCompare(links[b.link]!.id) ||
        a.link - b.link,
    );
  }
  return next;
}

function distances(next: Map<string, Step[]>, start: string, maxHops: number): Map<string, number> {
  const dist = new Map([[start, 0]]);
  let frontier = [start];
  for (let depth = 1; depth <= maxHops && frontier.length > 0; depth++) {
    const reached: string[] = [];
    for (const node of frontier) {
      for (const { other } of next.get(node) ?? []) {
        if (dist.has(other)) continue;
        dist.set(other, depth);
        reached.push(other);
      }
    }
    frontier = reached;
  }
  return dist;
}

/**
 * Up to `limit` shortest paths from `from` to `to` of at most `maxHops` links, in a stable order; none when
 * they are the same record or not connected within `maxHops`. Two links between the same two records make
 * two paths, as they are two facts.
 */
export function allShortestPaths(
  links: readonly PathLink[],
  from: string,
  to: string,
  options: { maxHops: number; limit: number },
): LinkPath[] {
  if (from === to) return [];
  const next = adjacency(links);
  const fromStart = distances(next, from, options.maxHops);
  const length = fromStart.get(to);
  if (length === undefined) return [];
  const toEnd = distances(next, to, length);
  const paths: LinkPath[] = [];
  const nodeIds = [from];
  const taken: number[] = [];
  const walk = (node: string, depth: number): void => {
    if (paths.length >= options.limit) return;
    if (node === to) {
      paths.push({ nodeIds: [...nodeIds], links: [...taken] });
      return;
    }
    for (const { link, other } of next.get(node) ?? []) {
      // Only steps that stay on a shortest path: one further from the start, one nearer the end.
      if (fromStart.get(other) !== depth + 1 || toEnd.get(other) !== length - depth - 1) continue;
      nodeIds.push(other);
      taken.push(link);
      walk(other, depth + 1);
      nodeIds.pop();
      taken.pop();
    }
  };
  walk(from, 0);
  return paths;
}
