import type { PolicyVerdict } from '../reasoning';
import { percent } from '../records/share';
import type { WatchlistRow } from '../queries/watchlists';
import { VERDICT_CHANGED_EVENT } from './signature';
import type { VerdictChangeRow } from './verdictChanges';

/**
 * The JSON a webhook receives for one change set: which watched verdicts it changed, each before and after
 * with its explanation sentence, and the change set's who, when, why, records and sources. The same facts
 * `verdictChanges` answers, in a shape that needs no second request.
 */

function verdictJson(v: PolicyVerdict | null) {
  if (!v) return null;
  const decided = v.method === 'AGGREGATE' ? v.aggregate : v.lookThrough;
  return {
    verdict: v.verdict,
    policyStatus: v.policyStatus.status,
    method: v.method,
    share: percent(decided),
    explanation: v.explanation.sentence,
  };
}

export function verdictChangedPayload(
  deliveryId: string,
  watchlist: Pick<WatchlistRow, 'id' | 'name'>,
  changes: readonly VerdictChangeRow[],
): string {
  const change = changes[0]!.changeSet;
  return JSON.stringify({
    event: VERDICT_CHANGED_EVENT,
    deliveryId,
    watchlist: { id: watchlist.id, name: watchlist.name },
    changeSet: {
      id: change.id,
      at: change.at,
      author: { id: change.authorId, name: change.authorName },
      reason: change.reason,
      sourceIds: change.sourceIds,
      recordIds: change.recordIds,
    },
    changes: changes.map((c) => ({
      entityId: c.entityId,
      policyId: c.policyId,
      asOf: c.asOf,
      knownBefore: c.knownBefore,
      knownAfter: c.knownAfter,
      changed: c.changed,
      before: verdictJson(c.before),
      after: verdictJson(c.after),
    })),
  });
}

/** Delivery ids: one per list and change set, so a change set is never queued twice for a list. */
export function deliveryId(watchlistId: string, changeSetId: string): string {
  return `${watchlistId}|${changeSetId}`;
}
