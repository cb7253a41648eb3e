import type { Query } from '../db/database';
import { int } from '../db/database';
import { CHANGE_SET_LABEL, RECORD_VERSION_LABEL, VERSION_OF } from '../records/recordTime';
import { RECORD_RELATIONSHIP_TYPES } from '../records/vocabulary';

/**
 * The audit trail (issue 12): every version of a record with the change set that wrote it and the one that
 * ended it, and change sets by time, record and author.
 */

export interface ChangeSetRow {
  id: string;
  at: string;
  authorId: string;
  authorName: string;
  reason: string;
  sourceIds: string[];
  recordIds: string[];
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
}

export interface RecordVersionRow {
  recordId: string;
  kind: string;
  version: number;
  recordedAt: string | null;
  /** When the version stopped being the database's answer; null for the current one. */
  supersededAt: string | null;
  retracted: boolean;
  /** The stored properties of that version (record time and bookkeeping left out). */
  properties: Record<string, unknown>;
  changeSet: ChangeSetRow | null;
  supersededBy: ChangeSetRow | null;
}

const BOOKKEEPING = [
  VERSION_OF,
  'supersededAt',
  'supersededBy',
  'retracted',
  'changeSetId',
  'recordedAt',
  'version',
];

/** Every version of a record, oldest first: past ones from `:RecordVersion`, then the current one. */
export async function fetchHistory(query: Query, id: string): Promise<RecordVersionRow[]> {
  const rows = await query<{ p: Record<string, unknown>; kind: string; current: boolean }>(
    `CALL () {
       MATCH (v:${RECORD_VERSION_LABEL} {id: $id}) RETURN properties(v) AS p, v.${VERSION_OF} AS kind, false AS current
       UNION ALL
       MATCH (n:Record {id: $id})
       RETURN properties(n) AS p, [l IN labels(n) WHERE l <> 'Record'][0] AS kind, true AS current
       ${RECORD_RELATIONSHIP_TYPES.map(
         (type) => `UNION ALL
       MATCH (a)-[r:${type} {id: $id}]->(b) RETURN r {.*, _from: a.id, _to: b.id} AS p, '${type}' AS kind, true AS current`,
       ).join('\n')}
     }
     RETURN p, kind, current
     ORDER BY coalesce(p.version, 1), current`,
    { id },
  );
  const changeIds = [
    ...new Set(rows.flatMap((r) => [r.p.changeSetId, r.p.supersededBy]).filter((x): x is string => !!x)),
  ];
  const changes = await fetchChangeSetsById(query, changeIds);
  return rows.map(({ p, kind }) => ({
    recordId: id,
    kind,
    version: typeof p.version === 'number' ? p.version : 1,
    recordedAt: (p.recordedAt as string | undefined) ?? null,
    supersededAt: (p.supersededAt as string | undefined) ?? null,
    retracted: p.retracted === true,
    properties: Object.fromEntries(Object.entries(p).filter(([k]) => !BOOKKEEPING.includes(k))),
    changeSet: changes.get(p.changeSetId as string) ?? null,
    supersededBy: changes.get(p.supersededBy as string) ?? null,
  }));
}

export async function fetchChangeSetsById(
  query: Query,
  ids: readonly string[],
): Promise<Map<string, ChangeSetRow>> {
  if (ids.length === 0) return new Map();
  const rows = await query<{ c: ChangeSetRow }>(
    `MATCH (c:${CHANGE_SET_LABEL}) WHERE c.id IN $ids RETURN properties(c) AS c`,
    { ids: [...ids] },
  );
  return new Map(rows.map((r) => [r.c.id, r.c]));
}

/** Change sets newest first, filtered by time (at or after `since`), a record they touched, and author. */
export async function fetchChanges(
  query: Query,
  filter: { since?: string | null; recordId?: string | null; authorId?: string | null; first: number },
): Promise<ChangeSetRow[]> {
  // With a record, its change sets are found from its versions (each names the change that wrote it, and a
  // retracted one the change that retracted it), through the id indexes, instead of scanning every change
  // set's list of record ids.
  const matchChangeSets = filter.recordId
    ? `CALL () {
         MATCH (v:${RECORD_VERSION_LABEL} {id: $recordId}) RETURN [v.changeSetId, v.supersededBy] AS ids
         UNION ALL
         MATCH (n:Record {id: $recordId}) RETURN [n.changeSetId] AS ids
         ${RECORD_RELATIONSHIP_TYPES.map(
           (type) => `UNION ALL
         MATCH ()-[r:${type} {id: $recordId}]->() RETURN [r.changeSetId] AS ids`,
         ).join('\n')}
       }
       UNWIND ids AS changeSetId
       WITH DISTINCT changeSetId WHERE changeSetId IS NOT NULL
       MATCH (c:${CHANGE_SET_LABEL} {id: changeSetId})`
    : `MATCH (c:${CHANGE_SET_LABEL})`;
  const rows = await query<{ c: ChangeSetRow }>(
    `${matchChangeSets}
     WHERE ($since IS NULL OR c.at >= $since)
       AND ($authorId IS NULL OR c.authorId = $authorId)
     RETURN properties(c) AS c
     ORDER BY c.at DESC, c.id
     LIMIT $first`,
    {
      since: filter.since ?? null,
      recordId: filter.recordId ?? null,
      authorId: filter.authorId ?? null,
      first: int(filter.first),
    },
  );
  return rows.map((r) => r.c);
}
