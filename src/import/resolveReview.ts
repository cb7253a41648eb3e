import type { Database } from '../db/database';
import { fetchRecords } from '../queries/records';
import { fetchReview, markReviewResolved, type ReviewRow } from '../queries/importReview';
import { DataSetError, formatIssue } from '../seed/dataSetError';
import { missingCountries } from './countries';
import type { IncomingParty } from './incoming';
import { mergedRecord, newRecord, recordFromRow, type PartyRecord } from './partyRecords';
import { writeBatch } from './writeBatch';

/**
 * An editor's decision on an entry of the review list: MERGE the incoming party into a record we hold
 * (its identifiers, name as alias and source are added), CREATE it as a new record, or SKIP it. Rerunning
 * the import afterwards finds the party by its identifiers (or its own id) and writes what referred to it.
 */
export type ReviewDecision = 'MERGE' | 'CREATE' | 'SKIP';

export type ReviewOutcome =
  | { ok: true; review: ReviewRow }
  | { ok: false; code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_USER_INPUT'; argument: string; message: string };

export async function resolveReview(
  db: Database,
  id: string,
  decision: ReviewDecision,
  into: string | null,
  resolvedBy: string,
): Promise<ReviewOutcome> {
  const review = await db.read((query) => fetchReview(query, id));
  if (!review)
    return { ok: false, code: 'NOT_FOUND', argument: 'id', message: `no review entry has id "${id}"` };
  if (review.status !== 'OPEN') {
    return {
      ok: false,
      code: 'CONFLICT',
      argument: 'id',
      message: `was already resolved (${review.status}) by ${review.resolvedBy}`,
    };
  }
  if (decision === 'MERGE' && !into) {
    return {
      ok: false,
      code: 'BAD_USER_INPUT',
      argument: 'into',
      message: 'is required to MERGE: the id of the record to merge into',
    };
  }
  const party = JSON.parse(review.partyJson) as IncomingParty;
  let record: PartyRecord | null = null;
  if (decision === 'MERGE') {
    const [row] = await db.read((query) => fetchRecords(query, [into!]));
    if (!row || row._label !== party.label) {
      return {
        ok: false,
        code: 'BAD_USER_INPUT',
        argument: 'into',
        message: `must be the id of ${party.label === 'Person' ? 'a person' : 'an organization'} we hold, got "${into}"`,
      };
    }
    record = mergedRecord(recordFromRow(row), party, review.sourceId, false);
  } else if (decision === 'CREATE') {
    record = newRecord(party, review.derivedId, review.sourceId);
  }
  if (record) {
    const section = party.label === 'Person' ? 'persons' : 'organizations';
    try {
      await writeBatch(
        db,
        `review ${review.id}`,
        { countries: await missingCountries(db, review.sourceId, [record]), [section]: [record] },
        { id: resolvedBy, name: resolvedBy },
      );
    } catch (error) {
      if (!(error instanceof DataSetError)) throw error;
      return {
        ok: false,
        code: 'BAD_USER_INPUT',
        argument: decision === 'MERGE' ? 'into' : 'decision',
        message: error.issues.map(formatIssue).join('; '),
      };
    }
  }
  const status = decision === 'MERGE' ? 'MERGED' : decision === 'CREATE' ? 'CREATED' : 'SKIPPED';
  await db.write((query) => markReviewResolved(query, review.id, status, record?.id ?? null, resolvedBy));
  const updated = await db.read((query) => fetchReview(query, id));
  return { ok: true, review: updated! };
}
