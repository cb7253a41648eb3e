import { int, type Query } from '../db/database';
import { NODE_PROJECTION } from '../records/projection';
import type { NodeRow } from '../records/rows';

/**
 * Organizations and persons for each of a batch of full-text queries on `record_names`, in one statement:
 * an import's candidates for every name of its batch (the queries built by import/nameQuery.ts). Up to
 * `LIMIT` per query, best first, in the order of `texts`.
 */
const LIMIT = 20;

export async function partiesByNameQueries(query: Query, texts: readonly string[]): Promise<NodeRow[][]> {
  if (texts.length === 0) return [];
  const rows = await query<{ i: number; hits: NodeRow[] }>(
    `UNWIND range(0, size($texts) - 1) AS i
     CALL (i) {
       CALL db.index.fulltext.queryNodes('record_names', $texts[i], {limit: $limit}) YIELD node AS n
       WHERE n:Organization OR n:Person
       RETURN collect(${NODE_PROJECTION}) AS hits
     }
     RETURN i, hits`,
    { texts, limit: int(LIMIT) },
  );
  const out: NodeRow[][] = texts.map(() => []);
  for (const r of rows) out[r.i] = r.hits;
  return out;
}
