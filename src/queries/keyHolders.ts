import type { Query } from '../db/database';

/**
 * Which of these record ids exist, and which of the identifier keys asked with each one the record holds: one
 * index seek per id, where a full-text lookup of a key costs far more. An import's second pass asks it for
 * the records it derived for its own parties (does the party exist, and does it hold the unique key a
 * reference carries?) before looking any other key up in the full-text index. One statement answers both
 * questions: asked apart (existence, then keys), every id was sought twice.
 */
export async function recordsAndKeysHeld(
  query: Query,
  records: ReadonlyArray<{ id: string; keys: readonly string[] }>,
): Promise<Map<string, string[]>> {
  if (records.length === 0) return new Map();
  const rows = await query<{ id: string; held: string[] }>(
    `UNWIND $records AS record
     MATCH (n:Record {id: record.id})
     RETURN n.id AS id, [k IN record.keys WHERE k IN coalesce(n.identifiers, [])] AS held`,
    { records },
  );
  return new Map(rows.map((r) => [r.id, r.held]));
}
