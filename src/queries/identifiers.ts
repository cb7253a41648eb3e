import { int, type Query } from '../db/database';
import { NODE_PROJECTION } from '../records/projection';
import type { NodeRow } from '../records/rows';

/**
 * Organizations and persons by identifier key, through the `record_identifiers` full-text index (keyword
 * analyzer: one exact term per key). Each key is quoted as a Lucene phrase, inside which only `"` and `\`
 * are syntax; canonical keys hold neither (model/identifier.ts), and any that did would be escaped here.
 */
export function identifierPhrase(key: string): string {
  return `"${key.replace(/["\\]/g, '\\$&')}"`;
}

/** For each key, in order, the records holding it (more than one only for non-unique schemes, or a conflict). */
export async function partiesByIdentifierKeys(query: Query, keys: readonly string[]): Promise<NodeRow[][]> {
  if (keys.length === 0) return [];
  const rows = await query<{ i: number; hits: NodeRow[] }>(
    `UNWIND range(0, size($phrases) - 1) AS i
     CALL (i) {
       CALL db.index.fulltext.queryNodes('record_identifiers', $phrases[i], {limit: $limit}) YIELD node AS n
       WHERE $keys[i] IN n.identifiers
       RETURN collect(${NODE_PROJECTION}) AS hits
     }
     RETURN i, hits`,
    { phrases: keys.map(identifierPhrase), keys, limit: int(50) },
  );
  const out: NodeRow[][] = keys.map(() => []);
  for (const r of rows) out[r.i] = r.hits;
  return out;
}

/** Which of these ids name a record in the database (a reference check before a load writes anything). */
export async function existingIds(query: Query, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await query<{ id: string }>('MATCH (n:Record) WHERE n.id IN $ids RETURN n.id AS id', { ids });
  return new Set(rows.map((r) => r.id));
}
