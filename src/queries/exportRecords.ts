import { int, type Query } from '../db/database';
import { knownAt, RECORD_VERSION_LABEL, VERSION_OF } from '../records/recordTime';
import {
  LABELS,
  RECORD_RELATIONSHIP_TYPES,
  type Label,
  type RecordRelationshipType,
} from '../records/vocabulary';

/**
 * What exports read (src/export/): records as stored, a page at a time in a stable order, so an export of any
 * size holds one page in memory. Without `knownAsOf` the current graph; with it, each record in the version
 * current at that instant, a `:Record` or a `:RecordVersion` alike (the one filter `knownAt`). Labels and
 * relationship types cannot be parameters: they are spliced in, and only those of the vocabulary are taken.
 */

export type StoredProps = Record<string, unknown>;

/** Where a page starts: after this sort key and id (both exclusive together); null for the first page. */
export interface PageCursor {
  key: string;
  id: string;
}

function checkedLabel(label: Label): Label {
  if (!LABELS.includes(label)) throw new Error(`Unknown label ${String(label)}`);
  return label;
}

function checkedType(type: RecordRelationshipType): RecordRelationshipType {
  if (!RECORD_RELATIONSHIP_TYPES.includes(type)) throw new Error(`Unknown relationship type ${String(type)}`);
  return type;
}

/** Up to `limit` nodes of `label` after the id `after`, in id order, as their stored properties. */
export async function fetchNodePage(
  query: Query,
  label: Label,
  after: string | null,
  limit: number,
  knownAsOf: string | null,
): Promise<StoredProps[]> {
  const l = checkedLabel(label);
  const params = { after, limit: int(limit), knownAsOf, label: l };
  const rows =
    knownAsOf === null
      ? await query<{ props: StoredProps }>(
          `MATCH (n:${l}) WHERE $after IS NULL OR n.id > $after
           RETURN properties(n) AS props ORDER BY n.id LIMIT $limit`,
          params,
        )
      : await query<{ props: StoredProps }>(
          `CALL () {
             MATCH (n:${l}) WHERE ($after IS NULL OR n.id > $after) AND ${knownAt('n')}
             RETURN properties(n) AS props, n.id AS id
             UNION ALL
             MATCH (v:${RECORD_VERSION_LABEL})
             WHERE v.${VERSION_OF} = $label AND ($after IS NULL OR v.id > $after) AND ${knownAt('v')}
             RETURN properties(v) AS props, v.id AS id
           }
           RETURN props ORDER BY id LIMIT $limit`,
          params,
        );
  return rows.map((r) => r.props);
}

/**
 * Up to `limit` relationship records of `type` after `after`, ordered by the property `sortKey` then id (a
 * designation export orders by entity, so the designations of one entity come together), as their stored
 * properties with the ids of their ends in `_from` and `_to`.
 */
export async function fetchRelationshipPage(
  query: Query,
  type: RecordRelationshipType,
  sortKey: string,
  after: PageCursor | null,
  limit: number,
  knownAsOf: string | null,
): Promise<StoredProps[]> {
  const t = checkedType(type);
  if (!/^[a-z][A-Za-z]*$/.test(sortKey)) throw new Error(`Bad sort key ${sortKey}`);
  const params = {
    afterKey: after?.key ?? null,
    afterId: after?.id ?? null,
    limit: int(limit),
    knownAsOf,
    type: t,
  };
  const afterClause = (x: string) =>
    `($afterKey IS NULL OR ${x}.${sortKey} > $afterKey OR (${x}.${sortKey} = $afterKey AND ${x}.id > $afterId))`;
  const rows =
    knownAsOf === null
      ? await query<{ props: StoredProps }>(
          `MATCH (a:Record)-[r:${t}]->(b:Record) WHERE ${afterClause('r')}
           RETURN r {.*, _from: a.id, _to: b.id} AS props ORDER BY r.${sortKey}, r.id LIMIT $limit`,
          params,
        )
      : await query<{ props: StoredProps }>(
          `CALL () {
             MATCH (a:Record)-[r:${t}]->(b:Record) WHERE ${afterClause('r')} AND ${knownAt('r')}
             RETURN r {.*, _from: a.id, _to: b.id} AS props, r.${sortKey} AS key, r.id AS id
             UNION ALL
             MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} = $type AND ${afterClause('v')} AND ${knownAt('v')}
             RETURN properties(v) AS props, v.${sortKey} AS key, v.id AS id
           }
           RETURN props ORDER BY key, id LIMIT $limit`,
          params,
        );
  return rows.map((r) => r.props);
}

/**
 * The parties one ownership or control step from `ids`: their owners and controllers (`UP`) or what they own
 * and control (`DOWN`). One round trip per level of a subgraph walk, current and past edges together.
 */
export async function fetchNeighbourParties(
  query: Query,
  ids: readonly string[],
  direction: 'UP' | 'DOWN',
  knownAsOf: string | null,
): Promise<string[]> {
  const [pattern, near, far] =
    direction === 'UP'
      ? ['(x:Record)<-[r:OWNS|CONTROLS]-(o:Record)', '_to', '_from']
      : ['(x:Record)-[r:OWNS|CONTROLS]->(o:Record)', '_from', '_to'];
  const rows =
    knownAsOf === null
      ? await query<{ id: string }>(`MATCH ${pattern} WHERE x.id IN $ids RETURN DISTINCT o.id AS id`, {
          ids: [...ids],
        })
      : await query<{ id: string }>(
          `CALL () {
             MATCH ${pattern} WHERE x.id IN $ids AND ${knownAt('r')} AND ${knownAt('o')} RETURN o.id AS id
             UNION
             MATCH (v:${RECORD_VERSION_LABEL})
             WHERE v.${near} IN $ids AND v.${VERSION_OF} IN ['OWNS', 'CONTROLS'] AND ${knownAt('v')}
             RETURN v.${far} AS id
           }
           RETURN id`,
          { ids: [...ids], knownAsOf },
        );
  return rows.map((r) => r.id);
}

/**
 * Relationship records of `types` between parties of `ids` (both ends among them for OWNS and CONTROLS; the
 * entity among them for DESIGNATES), as stored, in id order.
 */
export async function fetchRelationshipsAmong(
  query: Query,
  type: RecordRelationshipType,
  ids: readonly string[],
  knownAsOf: string | null,
): Promise<StoredProps[]> {
  const t = checkedType(type);
  // A designation starts at a policy, which is not among the parties.
  const fromAmong = t === 'DESIGNATES' ? 'true' : 'a.id IN $ids';
  const versionFromAmong = t === 'DESIGNATES' ? 'true' : 'v._from IN $ids';
  const rows =
    knownAsOf === null
      ? await query<{ props: StoredProps }>(
          `MATCH (a:Record)-[r:${t}]->(b:Record) WHERE b.id IN $ids AND ${fromAmong}
           RETURN r {.*, _from: a.id, _to: b.id} AS props ORDER BY r.id`,
          { ids: [...ids] },
        )
      : await query<{ props: StoredProps }>(
          `CALL () {
             MATCH (a:Record)-[r:${t}]->(b:Record) WHERE b.id IN $ids AND ${fromAmong} AND ${knownAt('r')}
             RETURN r {.*, _from: a.id, _to: b.id} AS props, r.id AS id
             UNION ALL
             MATCH (v:${RECORD_VERSION_LABEL})
             WHERE v.${VERSION_OF} = $type AND v._to IN $ids AND ${versionFromAmong} AND ${knownAt('v')}
             RETURN properties(v) AS props, v.id AS id
           }
           RETURN props ORDER BY id`,
          { ids: [...ids], knownAsOf, type: t },
        );
  return rows.map((r) => r.props);
}

/** Nodes by id, as stored (current, or as known at `knownAsOf`), in id order; unknown ids are absent. */
export async function fetchNodesById(
  query: Query,
  ids: readonly string[],
  knownAsOf: string | null,
): Promise<StoredProps[]> {
  const rows =
    knownAsOf === null
      ? await query<{ props: StoredProps }>(
          `MATCH (n:Record) WHERE n.id IN $ids
           RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS props ORDER BY n.id`,
          { ids: [...ids] },
        )
      : await query<{ props: StoredProps }>(
          `CALL () {
             MATCH (n:Record) WHERE n.id IN $ids AND ${knownAt('n')}
             RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS props, n.id AS id
             UNION ALL
             MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.id IN $ids AND ${knownAt('v')}
             RETURN v {.*, _label: v.${VERSION_OF}} AS props, v.id AS id
           }
           RETURN props ORDER BY id`,
          { ids: [...ids], knownAsOf },
        );
  return rows.map((r) => r.props);
}
