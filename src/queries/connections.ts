import type { Query } from '../db/database';
import type { EdgeRow } from '../graphql/rows';

/**
 * How two records are connected: every shortest path between them over any relationship, up to 10 hops.
 * The pattern's bound is a fixed literal (Cypher cannot take it as a parameter); the caller's smaller
 * bound filters the paths. Country links (headquarters, incorporation, targets) join unrelated firms that
 * merely share a country, so they are left out unless asked for.
 */
export const MAX_HOPS = 10;

const COUNTRY_TYPES = ['HEADQUARTERED_IN', 'INCORPORATED_IN', 'NATIONAL_OF', 'RESIDES_IN', 'TARGETS'];

export interface FoundPath {
  nodeIds: string[];
  steps: Array<{ type: string; fromId: string; toId: string; edge: EdgeRow }>;
}

export async function fetchConnections(
  query: Query,
  args: { from: string; to: string; maxHops: number; viaCountries: boolean },
): Promise<FoundPath[]> {
  const rows = await query<{ nodeIds: string[]; rels: Array<Record<string, unknown> & { _type: string; _from: string; _to: string }> }>(
    `MATCH (a:Record {id: $from}), (b:Record {id: $to})
     MATCH p = allShortestPaths((a)-[*..${MAX_HOPS}]-(b))
     WHERE length(p) <= $maxHops
       AND ($viaCountries OR none(r IN relationships(p) WHERE type(r) IN $countryTypes))
     RETURN [n IN nodes(p) | n.id] AS nodeIds,
            [r IN relationships(p) | r {.*, _type: type(r), _from: startNode(r).id, _to: endNode(r).id}] AS rels
     LIMIT 25`,
    { ...args, countryTypes: COUNTRY_TYPES },
  );
  return rows.map((row) => ({
    nodeIds: row.nodeIds,
    steps: row.rels.map((r) => ({
      type: r._type,
      fromId: r._from,
      toId: r._to,
      edge: { ...(r as object), id: (r.id as string) ?? `${r._from}-${r._type}-${r._to}`, sourceIds: (r.sourceIds as string[]) ?? [] } as EdgeRow,
    })),
  }));
}
