import { int, type Query } from '../db/database';

/**
 * The import review list: incoming parties that matched more than one record (or a similar name in an
 * unconfirmed country), kept until an editor decides. Stored as :ImportReview nodes, not :Record, so no
 * reasoning, search or export ever sees them as facts. Keyed by source and local id: a rerun of the same
 * import refreshes its entry instead of adding another.
 */
export interface ReviewRow {
  id: string;
  status: 'OPEN' | 'MERGED' | 'CREATED' | 'SKIPPED';
  sourceId: string;
  file: string;
  line: number;
  localId: string;
  label: 'Organization' | 'Person';
  name: string;
  /** The incoming party (format-independent, see import/incoming.ts), as JSON. */
  partyJson: string;
  derivedId: string;
  candidateIds: string[];
  reason: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolvedId: string | null;
}

const REVIEW_PROJECTION = `r {.*, createdAt: toString(r.createdAt), resolvedAt: toString(r.resolvedAt)}`;

export async function upsertReviews(
  query: Query,
  rows: ReadonlyArray<Omit<ReviewRow, 'status' | 'createdAt' | 'resolvedAt' | 'resolvedBy' | 'resolvedId'>>,
): Promise<void> {
  if (rows.length === 0) return;
  // A decided entry stays decided: a rerun refreshes only open ones (an editor's decision is not undone).
  await query(
    `UNWIND $rows AS row
     MERGE (r:ImportReview {id: row.id})
     ON CREATE SET r.status = 'OPEN', r.createdAt = datetime()
     WITH r, row WHERE r.status = 'OPEN'
     SET r.sourceId = row.sourceId, r.file = row.file, r.line = row.line, r.localId = row.localId,
         r.label = row.label, r.name = row.name, r.partyJson = row.partyJson, r.derivedId = row.derivedId,
         r.candidateIds = row.candidateIds, r.reason = row.reason`,
    { rows: rows.map((r) => ({ ...r, line: int(r.line) })) },
  );
}

export async function fetchReviews(
  query: Query,
  status: ReviewRow['status'] | null,
  first: number,
): Promise<ReviewRow[]> {
  const rows = await query<{ review: ReviewRow }>(
    `MATCH (r:ImportReview) WHERE $status IS NULL OR r.status = $status
     RETURN ${REVIEW_PROJECTION} AS review ORDER BY r.createdAt, r.id LIMIT $first`,
    { status, first: int(first) },
  );
  return rows.map((r) => r.review);
}

export async function fetchReview(query: Query, id: string): Promise<ReviewRow | null> {
  const rows = await query<{ review: ReviewRow }>(
    `MATCH (r:ImportReview {id: $id}) RETURN ${REVIEW_PROJECTION} AS review`,
    { id },
  );
  return rows[0]?.review ?? null;
}

export async function markReviewResolved(
  query: Query,
  id: string,
  status: Exclude<ReviewRow['status'], 'OPEN'>,
  resolvedId: string | null,
  resolvedBy: string,
): Promise<void> {
  await query(
    `MATCH (r:ImportReview {id: $id})
     SET r.status = $status, r.resolvedId = $resolvedId, r.resolvedBy = $resolvedBy, r.resolvedAt = datetime()`,
    { id, status, resolvedId, resolvedBy },
  );
}
