import type { Query } from '../db/database';

/**
 * The owner's stakes in an entity that are open on `day` (started before it, not ended by it): a new
 * stake from `day` ends them, so the change of stake is a dated change in the world, both kept.
 */
export async function openStakes(query: Query, owner: string, owned: string, day: string): Promise<string[]> {
  const rows = await query<{ id: string }>(
    `MATCH (:Record {id: $owner})-[r:OWNS]->(:Record {id: $owned})
     WHERE (r.endDate IS NULL OR r.endDate > $day) AND (r.startDate IS NULL OR r.startDate < $day)
     RETURN r.id AS id ORDER BY r.id`,
    { owner, owned, day },
  );
  return rows.map((r) => r.id);
}
