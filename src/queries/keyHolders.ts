import type { Query } from '../db/database';

/**
 * Which of these (record id, identifier key) pairs name a record that holds that key: one index seek per
 * pair, where a full-text lookup of the key costs far more. An import asks it for the records it derived
 * for its own parties before looking their keys up in the full-text index.
 */
export async function recordsHoldingKeys(
  query: Query,
  pairs: ReadonlyArray<{ id: string; key: string }>,
): Promise<Array<{ id: string; key: string }>> {
  if (pairs.length === 0) return [];
  return query<{ id: string; key: string }>(
    `UNWIND $pairs AS pair
     MATCH (n:Record {id: pair.id})
     WHERE pair.key IN n.identifiers
     RETURN n.id AS id, pair.key AS key`,
    { pairs },
  );
}
