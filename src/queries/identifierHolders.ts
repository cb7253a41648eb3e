import { int, type Query } from '../db/database';
import { NODE_PROJECTION } from '../records/projection';
import type { NodeRow } from '../records/rows';
import { identifierPhrase } from './identifiers';

/**
 * Organizations and persons holding any of a batch of identifier keys, in ONE full-text query per chunk of
 * keys rather than one per key: the keys are OR-ed into a single Lucene query on the `record_identifiers`
 * index (keyword analyzer: each key one exact term, so every hit holds one of them; the WHERE below checks
 * it all the same). An import resolves its whole batch's keys with it. Lucene refuses a query of more than
 * 1024 clauses, so a batch of more keys is sent in chunks of `CHUNK`, all in the caller's transaction.
 */

/** Keys per query: under Lucene's 1024-clause limit. */
export const CHUNK = 500;
/** Records returned per key at most (a non-unique scheme may be held by several; a conflict by two). */
const PER_KEY = 50;

/** For each key asked, the records holding it (absent: none). */
export async function recordsByIdentifierKeys(
  query: Query,
  keys: readonly string[],
): Promise<Map<string, NodeRow[]>> {
  const unique = [...new Set(keys)];
  const out = new Map<string, NodeRow[]>();
  for (let start = 0; start < unique.length; start += CHUNK) {
    const chunk = unique.slice(start, start + CHUNK);
    const rows = await query<{ key: string; hits: NodeRow[] }>(
      `CALL db.index.fulltext.queryNodes('record_identifiers', $text, {limit: $limit}) YIELD node AS n
       UNWIND [k IN n.identifiers WHERE k IN $keys] AS key
       RETURN key, collect(${NODE_PROJECTION}) AS hits`,
      { text: chunk.map(identifierPhrase).join(' OR '), keys: chunk, limit: int(chunk.length * PER_KEY) },
    );
    for (const r of rows) out.set(r.key, r.hits);
  }
  return out;
}

/** Ids of records holding each key, for uniqueness checks before a write: key → ids (a batch in one query). */
export async function holdersOfKeys(query: Query, keys: readonly string[]): Promise<Map<string, string[]>> {
  const hits = await recordsByIdentifierKeys(query, keys);
  return new Map(keys.map((key) => [key, (hits.get(key) ?? []).map((row) => row.id)]));
}
