import type { Query } from '../db/database';
import { NODE_PROJECTION } from '../records/projection';
import type { EdgeRow, NodeRow } from '../records/rows';
import type { Direction, RelationshipType } from '../records/vocabulary';
import { isRelationshipType } from '../records/vocabulary';

/**
 * Records by id and the relationships at them: what the per-request loaders batch. Relationship types cannot
 * be Cypher parameters, so they are spliced into the pattern, and only types of the vocabulary are accepted.
 */

export async function fetchRecords(query: Query, ids: readonly string[]): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(
    `MATCH (n:Record) WHERE n.id IN $ids RETURN ${NODE_PROJECTION} AS row`,
    {
      ids: [...ids],
    },
  );
  return rows.map((r) => r.row);
}

function pattern(type: RelationshipType, direction: Direction): string {
  if (!isRelationshipType(type)) throw new Error(`Unknown relationship type ${String(type)}`);
  return direction === 'OUT' ? `(k:Record)-[r:${type}]->(n:Record)` : `(k:Record)<-[r:${type}]-(n:Record)`;
}

/** Relationship records of one type at each of `ids` (`key`), with the record at the other end. */
export function fetchRelationships(
  query: Query,
  type: RelationshipType,
  direction: Direction,
  ids: readonly string[],
): Promise<Array<{ key: string; edge: EdgeRow; other: NodeRow }>> {
  const ends = direction === 'OUT' ? '_from: k.id, _to: n.id' : '_from: n.id, _to: k.id';
  return query(
    `MATCH ${pattern(type, direction)} WHERE k.id IN $ids
             RETURN k.id AS key, r {.*, ${ends}} AS edge, ${NODE_PROJECTION} AS other
             ORDER BY r.startDate, r.id`,
    { ids: [...ids] },
  );
}

/** Records linked to each of `ids` (`key`) by a reference relationship, in id order. */
export function fetchLinked(
  query: Query,
  type: RelationshipType,
  direction: Direction,
  ids: readonly string[],
): Promise<Array<{ key: string; other: NodeRow }>> {
  return query(
    `MATCH ${pattern(type, direction)} WHERE k.id IN $ids
             RETURN k.id AS key, ${NODE_PROJECTION} AS other ORDER BY n.id`,
    { ids: [...ids] },
  );
}

/**
 * DERIVED_FROM relationships by the allegation they rest on. An alleged derivation may concern a model the
 * allegation does not list (the `*-unspecified` placeholders), so they are found by their own `allegation`
 * property, not via accusedModels.
 */
export function fetchDerivationsByAllegation(
  query: Query,
  allegationIds: readonly string[],
): Promise<Array<{ key: string; edge: EdgeRow }>> {
  return query(
    `MATCH (c:Record)-[r:DERIVED_FROM]->(p:Record) WHERE r.allegation IN $ids
       RETURN r.allegation AS key, r {.*, _from: c.id, _to: p.id} AS edge
       ORDER BY r.startDate, r.id`,
    { ids: [...allegationIds] },
  );
}

/** Whether the database holds no record yet (`npm start` seeds an empty database); stops at the first found. */
export async function isDatabaseEmpty(query: Query): Promise<boolean> {
  const rows = await query<{ found: number }>('MATCH (n:Record) WITH n LIMIT 1 RETURN count(n) AS found', {});
  return (rows[0]?.found ?? 0) === 0;
}
