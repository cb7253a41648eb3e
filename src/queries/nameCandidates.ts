import { int, type Query } from '../db/database';
import { NODE_PROJECTION } from '../records/projection';
import type { NodeRow } from '../records/rows';

/**
 * Organizations and persons for each of a batch of full-text queries on `record_names`, in one statement:
 * an import's candidates for every name of its batch (the queries built by import/nameQuery.ts). Up to
 * its `limit` per query, best first, in the order of `lookups`.
 */
export async function partiesByNameQueries(
  query: Query,
  lookups: ReadonlyArray<{ text: string; limit: number }>,
): Promise<NodeRow[][]> {
  if (lookups.length === 0) return [];
  const rows = await query<{ i: number; hits: NodeRow[] }>(
    `UNWIND range(0, size($texts) - 1) AS i
     CALL (i) {
       CALL db.index.fulltext.queryNodes('record_names', $texts[i], {limit: $limits[i]}) YIELD node AS n
       WHERE n:Organization OR n:Person
       RETURN collect(${NODE_PROJECTION}) AS hits
     }
     RETURN i, hits`,
    { texts: lookups.map((l) => l.text), limits: lookups.map((l) => int(l.limit)) },
  );
  const out: NodeRow[][] = lookups.map(() => []);
  for (const r of rows) out[r.i] = r.hits;
  return out;
}
