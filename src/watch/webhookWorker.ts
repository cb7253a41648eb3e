import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import {
  claimDueDeliveries,
  claimWebhookScans,
  finishDeliveryAttempt,
  recordWebhookScan,
  type ClaimedDelivery,
  type NewDelivery,
  type WebhookScanTarget,
} from '../queries/watchlists';
import { retryDelayMs } from './backoff';
import { onWriteCommitted } from './notifier';
import { deliveryId, verdictChangedPayload } from './payload';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  VERDICT_CHANGED_EVENT,
} from './signature';
import { findVerdictChanges, type VerdictChangeRow } from './verdictChanges';

/**
 * Webhook delivery (issue 12 item 6), safe with any number of server instances over one Neo4j:
 *
 * 1. Scan: for each list with a webhook that no other instance holds (a lease on the list, claimed in a write
 *    transaction), the change sets recorded since its cursor are examined with `findVerdictChanges`; those that
 *    changed a watched verdict are queued as `:WebhookDelivery` nodes, and the cursor moves, in one transaction.
 *    Change sets are found by time, not by an in-process event, so writes by another instance or by the CLI
 *    import are delivered too. A write's record time is taken when its transaction starts, so one committing
 *    late can carry a time before the cursor: the scan looks back LOOKBACK_MS and remembers what it examined
 *    there, so such a change set is examined once, late, rather than never.
 * 2. Deliver: due deliveries are claimed (status DELIVERING with a lease) in a write transaction, POSTed,
 *    and ended as DELIVERED, FAILED after the last attempt, or PENDING again after a back-off. A stopping
 *    instance puts what it holds back to PENDING; one that dies leaves a lease that runs out, and another
 *    instance (or the next start) claims it again. A receiver may therefore, rarely, see one delivery twice:
 *    the `X-AEG-Delivery` header is the same on every attempt.
 *
 * The secret signs bodies and is never logged; logs name a delivery, its list and the receiver's host only.
 */

export const LOOKBACK_MS = 15 * 60_000;
const SCAN_LEASE_MS = 60_000;
const DELIVERY_LEASE_MARGIN_MS = 30_000;
const DELIVERIES_PER_ROUND = 20;
const ERROR_TEXT_MAX = 300;

export type WebhookSettings = Pick<
  Config,
  | 'WEBHOOK_MAX_ATTEMPTS'
  | 'WEBHOOK_BASE_DELAY_MS'
  | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_POLL_MS'
  | 'VERDICT_CHANGES_MAX_CHANGE_SETS'
  | 'VERDICT_CHANGES_MAX_EVALUATIONS'
>;

export interface WebhookWorker {
  readonly id: string;
  /** One scan and one delivery round now (tests call it; the timer and writes call it too). */
  runOnce(): Promise<void>;
  /** Stops the timer, aborts attempts in flight and puts them back to PENDING. */
  stop(): Promise<void>;
}

export interface WebhookWorkerOptions {
  id?: string;
  random?: () => number;
  /** Off in tests that drive `runOnce` themselves. */
  timer?: boolean;
}

export function startWebhookWorker(
  db: Database,
  settings: WebhookSettings,
  log: Logger,
  options: WebhookWorkerOptions = {},
): WebhookWorker {
  const id = options.id ?? `worker:${randomUUID()}`;
  const random = options.random ?? Math.random;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;

  const schedule = (ms: number) => {
    if (options.timer === false || stopping.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void runOnce(), ms);
    timer.unref();
  };

  async function round(): Promise<void> {
    const now = new Date();
    const scans = await db.write((query) =>
      claimWebhookScans(query, id, now.toISOString(), new Date(now.getTime() + SCAN_LEASE_MS).toISOString()),
    );
    for (const scan of scans) {
      if (stopping.signal.aborted) return;
      const truncated = await scanList(scan).catch((error: unknown) => {
        log.warn('Webhook scan failed', { watchlistId: scan.watchlist.id, error: errorText(error) });
        return false;
      });
      // A backlog longer than one scan's bounds: carry on now rather than at the next poll.
      if (truncated) again = true;
    }
    await deliverDue();
  }

  /** Queues what one list's scan found; true when its bounds stopped it before the newest change set. */
  async function scanList(scan: WebhookScanTarget): Promise<boolean> {
    const seen = new Map(
      scan.seen.map((entry) => {
        const [at, changeSetId] = entry.split(' ');
        return [changeSetId!, at!] as const;
      }),
    );
    const lookback = new Date(Date.parse(scan.cursor) - LOOKBACK_MS).toISOString();
    const since = lookback > scan.from ? lookback : scan.from;
    const report = await db.read((query) =>
      findVerdictChanges(
        query,
        scan.watchlist,
        { since, until: null },
        {
          unknownAs: 'NOT_COVERED',
          maxChangeSets: settings.VERDICT_CHANGES_MAX_CHANGE_SETS,
          maxEvaluations: settings.VERDICT_CHANGES_MAX_EVALUATIONS,
          skipIds: new Set(seen.keys()),
        },
      ),
    );
    const byChangeSet = new Map<string, VerdictChangeRow[]>();
    for (const change of report.changes) {
      const list = byChangeSet.get(change.changeSet.id) ?? [];
      list.push(change);
      byChangeSet.set(change.changeSet.id, list);
    }
    const deliveries: NewDelivery[] = [...byChangeSet].map(([changeSetId, changes]) => {
      const idOf = deliveryId(scan.watchlist.id, changeSetId);
      return { id: idOf, changeSetId, payload: verdictChangedPayload(idOf, scan.watchlist, changes) };
    });
    const examinedAt = new Map<string, string>(seen);
    for (const c of report.examinedChangeSets) examinedAt.set(c.id, c.at);
    const latest = [...examinedAt.values()].reduce((a, b) => (a > b ? a : b), scan.cursor);
    const cursor = report.truncated && report.nextSince ? report.nextSince : latest;
    const keepFrom = new Date(Date.parse(cursor) - LOOKBACK_MS).toISOString();
    const stillSeen = [...examinedAt]
      .filter(([, at]) => at >= keepFrom)
      .map(([changeSetId, at]) => `${at} ${changeSetId}`);
    const now = new Date().toISOString();
    await db.write((query) =>
      recordWebhookScan(
        query,
        { watchlistId: scan.watchlist.id, worker: id, cursor, seen: stillSeen, now },
        deliveries,
      ),
    );
    if (deliveries.length > 0)
      log.info('Webhook deliveries queued', {
        watchlistId: scan.watchlist.id,
        deliveries: deliveries.length,
      });
    return report.truncated;
  }

  async function deliverDue(): Promise<void> {
    while (!stopping.signal.aborted) {
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + settings.WEBHOOK_TIMEOUT_MS + DELIVERY_LEASE_MARGIN_MS);
      const claimed = await db.write((query) =>
        claimDueDeliveries(query, {
          worker: id,
          now: now.toISOString(),
          leaseUntil: leaseUntil.toISOString(),
          limit: DELIVERIES_PER_ROUND,
        }),
      );
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((delivery) => attempt(delivery)));
    }
  }

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const attempts = delivery.attempts + 1;
    let failure: { error: string; status: number | null } | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ai-exposure-graph-webhook',
          [SIGNATURE_HEADER]: signBody(delivery.secret, timestamp, delivery.payload),
          [TIMESTAMP_HEADER]: timestamp,
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: VERDICT_CHANGED_EVENT,
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(settings.WEBHOOK_TIMEOUT_MS)]),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299)
        failure = { error: `receiver answered HTTP ${response.status}`, status: response.status };
    } catch (error) {
      failure = { error: errorText(error), status: null };
    }
    const now = new Date();
    if (stopping.signal.aborted && failure) {
      // Not the receiver's fault: put it back, as it was, for another instance or the next start.
      await finish(
        delivery,
        'PENDING',
        delivery.attempts,
        delivery.lastError,
        delivery.lastStatusCode,
        now,
        now,
      );
      return;
    }
    if (!failure) {
      await finish(delivery, 'DELIVERED', attempts, null, null, null, now);
      return;
    }
    const host = hostOf(delivery.url);
    if (attempts >= settings.WEBHOOK_MAX_ATTEMPTS) {
      log.warn('Webhook delivery failed for good', {
        deliveryId: delivery.id,
        host,
        attempts,
        error: failure.error,
      });
      await finish(delivery, 'FAILED', attempts, failure.error, failure.status, null, now);
      return;
    }
    const next = new Date(now.getTime() + retryDelayMs(attempts, settings.WEBHOOK_BASE_DELAY_MS, random));
    log.info('Webhook delivery will be retried', {
      deliveryId: delivery.id,
      host,
      attempts,
      nextAttemptAt: next.toISOString(),
      error: failure.error,
    });
    await finish(delivery, 'PENDING', attempts, failure.error, failure.status, next, now);
    schedule(next.getTime() - Date.now());
  }

  function finish(
    delivery: ClaimedDelivery,
    status: 'PENDING' | 'DELIVERED' | 'FAILED',
    attempts: number,
    lastError: string | null,
    lastStatusCode: number | null,
    nextAttemptAt: Date | null,
    now: Date,
  ): Promise<void> {
    return db.write((query) =>
      finishDeliveryAttempt(query, {
        id: delivery.id,
        worker: id,
        status,
        attempts,
        lastError,
        lastStatusCode,
        nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
        now: now.toISOString(),
      }),
    );
  }

  function runOnce(): Promise<void> {
    if (stopping.signal.aborted) return Promise.resolve();
    if (running) {
      // A write arrived during a round: run once more after it, so its change set is not left to the poll.
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await round();
        } catch (error) {
          if (!stopping.signal.aborted) log.warn('Webhook round failed', { error: errorText(error) });
        }
      } while (again && !stopping.signal.aborted);
    })().finally(() => {
      running = null;
      schedule(settings.WEBHOOK_POLL_MS);
    });
    return running;
  }

  const unsubscribe = onWriteCommitted(() => void runOnce());
  schedule(0);

  return {
    id,
    runOnce,
    async stop() {
      unsubscribe();
      stopping.abort();
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}

/** An error's message and cause (fetch puts the socket's reason there), short, without the URL's secrets. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, ERROR_TEXT_MAX);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`.slice(0, ERROR_TEXT_MAX);
}
