import type { Query } from '../db/database';
import {
  edgeListProjection,
  edgeOfList,
  NODE_PROJECTION,
  nodeListProjection,
  rowOfList,
} from '../records/projection';
import type { EdgeRow, NodeRow } from '../records/rows';
import type { Direction, Label, RelationshipType } from '../records/vocabulary';
import { isRelationshipType, LABELS } from '../records/vocabulary';

/**
 * Records and several levels of the relationships around them in one query: what the per-request loaders
 * (graphql/loaders.ts) would fetch level after level, one round trip each, fetched at once when the shape of
 * the request is known beforehand (graphql/lookahead.ts). Each step reads exactly what `fetchRelationships`
 * or `fetchLinked` reads for the records the step above found, in the same order, so the loaders can be
 * primed with its rows and answer as if they had asked themselves.
 *
 * The levels are read in CALL subqueries, one per step, each from the distinct records of the step above:
 * a record reached along many paths is expanded once per step (as a loader batch does), not once per path.
 */
export interface TreeStep {
  /** `edges`: relationship records with the record at the other end; `linked`: the other records only. */
  kind: 'edges' | 'linked';
  type: RelationshipType;
  direction: Direction;
  /** Only from records of these kinds (the GraphQL types at which the field was asked). */
  labels: readonly Label[];
  /** Steps from the records this step reaches. */
  next: readonly TreeStep[];
}

/** One relationship found by a step: the record it was read from, the relationship (for `edges`) and the other end. */
export interface TreeRow {
  key: string;
  edge: EdgeRow | null;
  other: NodeRow;
}

export interface TreeRead {
  /** The records found for the ids asked, in no particular order (ids not found are absent). */
  roots: NodeRow[];
  /** The rows of each step, in the order of `flattenSteps`, each step's rows in the loaders' order. */
  steps: TreeRow[][];
}

/** The steps depth first, each with the index of the step it reads from (-1: the roots). */
export function flattenSteps(steps: readonly TreeStep[]): Array<{ step: TreeStep; parent: number }> {
  const out: Array<{ step: TreeStep; parent: number }> = [];
  const visit = (list: readonly TreeStep[], parent: number) => {
    for (const step of list) {
      const index = out.push({ step, parent }) - 1;
      visit(step.next, index);
    }
  };
  visit(steps, -1);
  return out;
}

/** What a projected tree read returns of each record: plain property names, `id` among them. */
export interface TreeProjection {
  nodes: readonly string[];
  edges: readonly string[];
}

function stepCypher(step: TreeStep, from: string, index: number, edgeProperties?: readonly string[]): string {
  // Relationship types and labels cannot be parameters; only those of the vocabulary are spliced in.
  if (!isRelationshipType(step.type)) throw new Error(`Unknown relationship type ${String(step.type)}`);
  const bad = step.labels.find((l) => !(LABELS as readonly string[]).includes(l));
  if (bad !== undefined) throw new Error(`Unknown label ${bad}`);
  const only = step.labels.length ? `WITH k WHERE ${step.labels.map((l) => `k:${l}`).join(' OR ')}` : '';
  const pattern =
    step.direction === 'OUT' ? `(k)-[r:${step.type}]->(n:Record)` : `(k)<-[r:${step.type}]-(n:Record)`;
  const ends = step.direction === 'OUT' ? '_from: k.id, _to: n.id' : '_from: n.id, _to: k.id';
  // Projected, a relationship is the list of its properties; its ends are the row's key and other id.
  const edge = edgeProperties ? edgeListProjection(edgeProperties) : `r {.*, ${ends}}`;
  // Each row names the record at the other end by id; the records themselves come once each (n<index>), so a
  // record reached from many (fifty organizations sharing owners) is sent and decoded once, not once per row.
  const [order, row] =
    step.kind === 'edges' ? ['r.startDate, r.id', `[k.id, ${edge}, n.id]`] : ['n.id', `[k.id, null, n.id]`];
  return `CALL (${from}) {
    UNWIND ${from} AS k ${only}
    MATCH ${pattern}
    WITH k, r, n ORDER BY ${order}
    RETURN collect(${row}) AS s${index}, collect(DISTINCT n) AS n${index}
  }`;
}

/**
 * The Cypher of a tree read; exported for the tests of its plan (PROFILE: index seek, no Cartesian product).
 * With `projection`, each record and relationship is returned as the list of those properties
 * (`nodeListProjection`, `edgeListProjection`), not whole.
 */
export function treeCypher(steps: readonly TreeStep[], properties?: TreeProjection): string {
  const flat = flattenSteps(steps);
  const calls = flat.map(({ step, parent }, i) =>
    stepCypher(step, parent < 0 ? 'roots' : `n${parent}`, i, properties?.edges),
  );
  const projection = properties ? nodeListProjection(properties.nodes) : NODE_PROJECTION;
  const columns = [
    `[n IN roots | ${projection}] AS roots`,
    ...flat.flatMap((_, i) => [`s${i}`, `[n IN n${i} | ${projection}] AS n${i}`]),
  ];
  return `MATCH (n:Record) WHERE n.id IN $ids
  WITH collect(n) AS roots
  ${calls.join('\n  ')}
  RETURN ${columns.join(', ')}`;
}

/**
 * Reads records by id and every step of the tree below them, in one query. With `properties` (plain names,
 * `id` among them), the records and relationships carry those stored properties only (and a relationship its
 * ends, `_from` and `_to`): for a caller that knows what it reads.
 */
export async function fetchRecordTree(
  query: Query,
  ids: readonly string[],
  steps: readonly TreeStep[],
  properties?: TreeProjection,
): Promise<TreeRead> {
  const rows = await query<Record<string, unknown>>(treeCypher(steps, properties), { ids: [...ids] });
  const row = rows[0] ?? {};
  const flat = flattenSteps(steps);
  const records = (column: unknown): NodeRow[] => {
    const list = (column as unknown[] | undefined) ?? [];
    return properties
      ? list.map((values) => rowOfList(values as unknown[], properties.nodes))
      : (list as NodeRow[]);
  };
  return {
    roots: records(row.roots),
    steps: flat.map(({ step }, i) => {
      const others = new Map(records(row[`n${i}`]).map((n) => [n.id, n]));
      const rows = (row[`s${i}`] as Array<[string, unknown, string]> | undefined) ?? [];
      if (!properties || step.kind === 'linked')
        return rows.map(([key, edge, id]) => ({ key, edge: edge as EdgeRow | null, other: others.get(id)! }));
      const out = step.direction === 'OUT';
      return rows.map(([key, values, id]) => ({
        key,
        edge: edgeOfList(values as unknown[], properties.edges, out ? key : id, out ? id : key),
        other: others.get(id)!,
      }));
    }),
  };
}
