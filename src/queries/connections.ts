import type { Query } from '../db/database';
import { COUNTRY_RELATIONSHIP_TYPES, RELATIONSHIP_TYPES, type RelationshipType } from '../records/vocabulary';
import type { EdgeRow } from '../records/rows';

/**
 * How two records are connected: every shortest path between them over any relationship, up to 10 hops.
 * Cypher cannot take a pattern's bound or its relationship types as parameters, so one query text per
 * (bound, viaCountries) pair is built once here. Types and bound sit in the pattern itself: a predicate on
 * the whole path (`length(p) <= $n`, `none(r IN relationships(p) …)` behind a flag) cannot be checked during
 * the breadth-first search, and Neo4j then falls back to enumerating every path, which never ends on this
 * graph (ByteDance to a Claude model at 10 hops). Country links (headquarters, incorporation, targets) join
 * unrelated firms that merely share a country, so they are left out unless asked for.
 */
export const MAX_HOPS = 10;
/** At most this many paths are given. */
export const MAX_PATHS = 25;

const COUNTRY_TYPES: readonly RelationshipType[] = COUNTRY_RELATIONSHIP_TYPES;
const OTHER_TYPES = RELATIONSHIP_TYPES.filter((type) => !COUNTRY_TYPES.includes(type));

function connectionQuery(types: readonly RelationshipType[], hops: number): string {
  return `MATCH (a:Record {id: $from}), (b:Record {id: $to})
     MATCH p = allShortestPaths((a)-[:${types.join('|')}*..${hops}]-(b))
     RETURN [n IN nodes(p) | n.id] AS nodeIds,
            [r IN relationships(p) | r {.*, _type: type(r), _from: startNode(r).id, _to: endNode(r).id}] AS rels
     LIMIT ${MAX_PATHS}`;
}

/** The relationship types a connection may pass through: country links only when asked for. */
export function connectionTypes(viaCountries: boolean): readonly RelationshipType[] {
  return viaCountries ? [...OTHER_TYPES, ...COUNTRY_TYPES] : OTHER_TYPES;
}

const QUERIES = new Map<string, string>(
  Array.from({ length: MAX_HOPS }, (_, i) => i + 1).flatMap((hops) => [
    [`${hops}:false`, connectionQuery(OTHER_TYPES, hops)],
    [`${hops}:true`, connectionQuery([...OTHER_TYPES, ...COUNTRY_TYPES], hops)],
  ]),
);

/** One link of a path: a relationship record or a reference, with its stored properties. */
export interface FoundStep {
  type: string;
  fromId: string;
  toId: string;
  edge: EdgeRow;
}

export interface FoundPath {
  nodeIds: string[];
  steps: FoundStep[];
}

/** A link as a step: a reference, which has no properties of its own, is named by its ends and type. */
export function foundStep(
  type: string,
  fromId: string,
  toId: string,
  props: Record<string, unknown>,
): FoundStep {
  return {
    type,
    fromId,
    toId,
    edge: {
      ...props,
      id: (props.id as string) ?? `${fromId}-${type}-${toId}`,
      sourceIds: (props.sourceIds as string[]) ?? [],
    } as EdgeRow,
  };
}

export async function fetchConnections(
  query: Query,
  args: { from: string; to: string; maxHops: number; viaCountries: boolean },
): Promise<FoundPath[]> {
  const cypher = QUERIES.get(`${args.maxHops}:${args.viaCountries}`);
  if (!cypher) throw new Error(`maxHops must be 1..${MAX_HOPS}, got ${args.maxHops}`);
  const rows = await query<{
    nodeIds: string[];
    rels: Array<Record<string, unknown> & { _type: string; _from: string; _to: string }>;
  }>(cypher, { from: args.from, to: args.to });
  return rows.map((row) => ({
    nodeIds: row.nodeIds,
    steps: row.rels.map((r) => foundStep(r._type, r._from, r._to, r)),
  }));
}
