import { randomUUID } from 'node:crypto';
import type { Query } from '../db/database';
import { CHANGE_SET_LABEL, recordTime } from '../records/recordTime';

/**
 * A write's audit entry: who made it, when (the record time every record it touches gets), why, and which
 * sources it cites. Stored as a `:ChangeSet` node beside the records (not a `:Record`, so no record query
 * sees it), with the ids of the records it created, updated or retracted.
 */
export interface ChangeSet {
  id: string;
  /** Record time: ISO-8601 UTC, set by the server. */
  at: string;
  authorId: string;
  authorName: string;
  reason: string;
  sourceIds: string[];
}

export interface ChangeSummary {
  recordIds: string[];
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
}

export function newChangeSet(
  author: { id: string; name: string },
  reason: string,
  sourceIds: readonly string[],
  at: Date = new Date(),
): ChangeSet {
  return {
    id: `change:${randomUUID()}`,
    at: recordTime(at),
    authorId: author.id,
    authorName: author.name,
    reason,
    sourceIds: [...new Set(sourceIds)].sort(),
  };
}

/**
 * Stores the change set in the write transaction that made the change. One change may be stored in parts (the
 * records written, then those retracted, in one call): each part adds its records and counts to the same node.
 */
export async function storeChangeSet(query: Query, change: ChangeSet, summary: ChangeSummary): Promise<void> {
  await query(
    `MERGE (c:${CHANGE_SET_LABEL} {id: $change.id})
     ON CREATE SET c = $change, c.recordIds = [], c.created = 0, c.updated = 0, c.unchanged = 0, c.retracted = 0
     SET c.recordIds = c.recordIds + $summary.recordIds, c.created = c.created + $summary.created,
         c.updated = c.updated + $summary.updated, c.unchanged = c.unchanged + $summary.unchanged,
         c.retracted = c.retracted + $summary.retracted`,
    { change, summary },
  );
}
