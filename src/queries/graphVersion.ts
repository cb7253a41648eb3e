import type { Query } from '../db/database';

/**
 * One counter that every write to the graph bumps in its own transaction: a response cache keyed by it is
 * exact across any number of API instances, and a client can tell whether anything changed since it read.
 * It lives on a node that is not a :Record, so no record query sees it.
 */
export const GRAPH_VERSION_KEY = 'graph';

/** Bumps the counter; call inside the write transaction that changes records. */
export async function bumpGraphVersion(query: Query): Promise<number> {
  const rows = await query<{ version: number }>(
    `MERGE (g:GraphVersion {key: $key})
     SET g.counter = coalesce(g.counter, 0) + 1, g.changedAt = datetime()
     RETURN g.counter AS version`,
    { key: GRAPH_VERSION_KEY },
  );
  return rows[0]?.version ?? 0;
}

/** The counter as last committed: 0 for a graph never written through the API or a loader. */
export async function readGraphVersion(query: Query): Promise<number> {
  const rows = await query<{ version: number | null }>(
    'OPTIONAL MATCH (g:GraphVersion {key: $key}) RETURN g.counter AS version',
    { key: GRAPH_VERSION_KEY },
  );
  return rows[0]?.version ?? 0;
}

/**
 * The counter with the instant of its last bump: a key that also tells apart two databases that reached the
 * same count (a wiped and reloaded graph restarts the counter), for caches that outlive such a reload.
 */
export async function readGraphStamp(query: Query): Promise<string> {
  const rows = await query<{ version: number | null; changedAt: string | null }>(
    'OPTIONAL MATCH (g:GraphVersion {key: $key}) RETURN g.counter AS version, toString(g.changedAt) AS changedAt',
    { key: GRAPH_VERSION_KEY },
  );
  return graphStamp(rows[0]?.version ?? null, rows[0]?.changedAt ?? null);
}

/**
 * A subquery giving the stamp's parts (`version`, `changedAt`) as one row, for a statement that reads the stamp
 * after its own rows (its caller passes `versionKey`: GRAPH_VERSION_KEY). Pass them to graphStamp.
 */
export const GRAPH_STAMP_CALL = `CALL () {
       OPTIONAL MATCH (g:GraphVersion {key: $versionKey})
       RETURN g.counter AS version, toString(g.changedAt) AS changedAt ORDER BY version DESC LIMIT 1
     }`;

/** The stamp (see readGraphStamp) of a counter and its last bump as read by any query. */
export function graphStamp(version: number | null, changedAt: string | null): string {
  return `${version ?? 0}@${changedAt ?? ''}`;
}
