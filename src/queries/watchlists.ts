import type { Query } from '../db/database';
import { int } from '../db/database';
import { CHANGE_SET_LABEL, RECORD_VERSION_LABEL, VERSION_OF } from '../records/recordTime';
import type { ChangeSetRow } from './history';

/**
 * Watchlists and webhook deliveries (issue 12 item 6), stored in Neo4j beside the records so that every
 * server instance sees the same lists and the same delivery queue. Neither is a `:Record`: they are the
 * users' own settings, not facts of the graph, and carry no record time. The webhook secret is read here only
 * by `fetchWebhookTargets` (to sign); the other reads leave it out.
 */

export const WATCHLIST_LABEL = 'Watchlist';
export const WEBHOOK_DELIVERY_LABEL = 'WebhookDelivery';

export interface WatchlistRow {
  id: string;
  name: string;
  ownerId: string;
  ownerName: string;
  entityIds: string[];
  policyIds: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
}

const WATCHLIST_FIELDS = `w {.id, .name, .ownerId, .ownerName, .entityIds, .policyIds, .createdAt, .updatedAt,
  .version, webhookUrl: w.webhookUrl, hasWebhookSecret: w.webhookSecret IS NOT NULL}`;

export async function fetchWatchlists(
  query: Query,
  filter: { ids?: readonly string[] | null; ownerId?: string | null; first?: number },
): Promise<WatchlistRow[]> {
  const rows = await query<{ w: WatchlistRow }>(
    `MATCH (w:${WATCHLIST_LABEL})
     WHERE ($ids IS NULL OR w.id IN $ids) AND ($ownerId IS NULL OR w.ownerId = $ownerId)
     RETURN ${WATCHLIST_FIELDS} AS w
     ORDER BY w.name, w.id
     LIMIT $first`,
    {
      ids: filter.ids ? [...filter.ids] : null,
      ownerId: filter.ownerId ?? null,
      first: int(filter.first ?? 1000),
    },
  );
  return rows.map((r) => r.w);
}

export interface WatchlistWrite {
  name: string;
  entityIds: string[];
  policyIds: string[];
  /** Undefined leaves the webhook as it is; null removes it. */
  webhook?: { url: string; secret: string } | null;
}

export async function createWatchlist(
  query: Query,
  id: string,
  owner: { id: string; name: string },
  input: WatchlistWrite,
  now: string,
): Promise<WatchlistRow> {
  const [row] = await query<{ w: WatchlistRow }>(
    `CREATE (w:${WATCHLIST_LABEL} {id: $id, name: $name, ownerId: $ownerId, ownerName: $ownerName,
       entityIds: $entityIds, policyIds: $policyIds, createdAt: $now, updatedAt: $now, version: 1,
       webhookUrl: $url, webhookSecret: $secret, webhookCursor: CASE WHEN $url IS NULL THEN null ELSE $now END,
       webhookFrom: CASE WHEN $url IS NULL THEN null ELSE $now END, webhookSeen: []})
     RETURN ${WATCHLIST_FIELDS} AS w`,
    {
      id,
      name: input.name,
      ownerId: owner.id,
      ownerName: owner.name,
      entityIds: input.entityIds,
      policyIds: input.policyIds,
      now,
      url: input.webhook?.url ?? null,
      secret: input.webhook?.secret ?? null,
    },
  );
  return row!.w;
}

/**
 * Replaces a list's name, entities and policies (and its webhook unless `webhook` is undefined) under the
 * node's write lock, taken before the version is read, so two concurrent updates cannot both pass the check.
 * Returns null when the list is gone, or the version found when it is not the one expected.
 */
export async function updateWatchlist(
  query: Query,
  id: string,
  input: WatchlistWrite,
  expectedVersion: number | null,
  now: string,
): Promise<{ row: WatchlistRow } | { foundVersion: number } | null> {
  const [locked] = await query<{ version: number }>(
    `MATCH (w:${WATCHLIST_LABEL} {id: $id}) SET w._lock = true REMOVE w._lock RETURN w.version AS version`,
    { id },
  );
  if (!locked) return null;
  if (expectedVersion !== null && locked.version !== expectedVersion) return { foundVersion: locked.version };
  const keepHook = input.webhook === undefined;
  const [row] = await query<{ w: WatchlistRow }>(
    `MATCH (w:${WATCHLIST_LABEL} {id: $id})
     SET w.name = $name, w.entityIds = $entityIds, w.policyIds = $policyIds, w.updatedAt = $now,
         w.version = w.version + 1
     FOREACH (_ IN CASE WHEN $keepHook THEN [] ELSE [1] END |
       SET w.webhookCursor = CASE
             WHEN $url IS NULL THEN null
             WHEN w.webhookUrl IS NULL THEN $now
             ELSE w.webhookCursor END,
           w.webhookFrom = CASE
             WHEN $url IS NULL THEN null
             WHEN w.webhookUrl IS NULL THEN $now
             ELSE w.webhookFrom END,
           w.webhookSeen = CASE WHEN w.webhookUrl IS NULL THEN [] ELSE w.webhookSeen END,
           w.webhookUrl = $url, w.webhookSecret = $secret)
     RETURN ${WATCHLIST_FIELDS} AS w`,
    {
      id,
      name: input.name,
      entityIds: input.entityIds,
      policyIds: input.policyIds,
      now,
      keepHook,
      url: input.webhook?.url ?? null,
      secret: input.webhook?.secret ?? null,
    },
  );
  return { row: row!.w };
}

/** Deletes a list and its deliveries; true when there was one. */
export async function deleteWatchlist(query: Query, id: string): Promise<boolean> {
  const rows = await query<{ id: string }>(
    `MATCH (w:${WATCHLIST_LABEL} {id: $id})
     OPTIONAL MATCH (d:${WEBHOOK_DELIVERY_LABEL} {watchlistId: $id})
     DETACH DELETE d
     WITH DISTINCT w
     DETACH DELETE w
     RETURN $id AS id`,
    { id },
  );
  return rows.length > 0;
}

/** Which of `ids` are current records with one of `labels` (for validating a list's entities and policies). */
export async function fetchExistingIds(
  query: Query,
  ids: readonly string[],
  labels: readonly string[],
): Promise<Set<string>> {
  const rows = await query<{ id: string }>(
    `MATCH (n:Record) WHERE n.id IN $ids AND any(l IN labels(n) WHERE l IN $labels) RETURN n.id AS id`,
    { ids: [...ids], labels: [...labels] },
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Change sets recorded in [since, until], oldest first, at most `limit`. Ties in time are ordered by id, the
 * same order every time, so a window can be continued from the time of the first change set not examined.
 */
export async function fetchChangeSetsBetween(
  query: Query,
  window: { since: string; until: string | null; limit: number },
): Promise<ChangeSetRow[]> {
  const rows = await query<{ c: ChangeSetRow }>(
    `MATCH (c:${CHANGE_SET_LABEL})
     WHERE c.at >= $since AND ($until IS NULL OR c.at <= $until)
     RETURN properties(c) AS c
     ORDER BY c.at, c.id
     LIMIT $limit`,
    { since: window.since, until: window.until, limit: int(window.limit) },
  );
  return rows.map((r) => r.c);
}

/**
 * Every id that can bear on an entity's verdict, as known at any time: the entity, every party upstream of it
 * through OWNS or CONTROLS records current or past, and those records' ids. A change set touching none of
 * them (nor the policy) cannot change the entity's verdict under any policy. One round trip per level of
 * owners, current and past edges together, as the knownAsOf reads walk it.
 */
export async function fetchUpstreamIdsEver(query: Query, entityId: string): Promise<Set<string>> {
  const ids = new Set<string>([entityId]);
  let frontier = [entityId];
  while (frontier.length > 0) {
    const rows = await query<{ edge: string; owner: string }>(
      `CALL () {
         MATCH (x:Record)<-[r:OWNS|CONTROLS]-(o:Record) WHERE x.id IN $ids RETURN r.id AS edge, o.id AS owner
         UNION
         MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._to IN $ids AND v.${VERSION_OF} IN ['OWNS', 'CONTROLS']
         RETURN v.id AS edge, v._from AS owner
       }
       RETURN edge, owner`,
      { ids: frontier },
    );
    const next: string[] = [];
    for (const { edge, owner } of rows) {
      ids.add(edge);
      if (!ids.has(owner)) {
        ids.add(owner);
        next.push(owner);
      }
    }
    frontier = next;
  }
  return ids;
}

/** A policy's id and the ids of its designations, current or past: what can change its rule. */
export async function fetchPolicyIdsEver(query: Query, policyId: string): Promise<Set<string>> {
  const rows = await query<{ id: string }>(
    `CALL () {
       MATCH (p:Record {id: $id})-[r:DESIGNATES]->() RETURN r.id AS id
       UNION
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._from = $id AND v.${VERSION_OF} = 'DESIGNATES' RETURN v.id AS id
     }
     RETURN id`,
    { id: policyId },
  );
  return new Set([policyId, ...rows.map((r) => r.id)]);
}

// ---------------------------------------------------------------------------------------------------------
// Webhooks: scanning change sets for lists with a webhook, and the delivery queue.

export interface WebhookScanTarget {
  watchlist: WatchlistRow;
  /** Change sets at or after this instant not in `seen` are still to be examined. */
  cursor: string;
  /** When the webhook was set: change sets before it are never delivered. */
  from: string;
  /** `<at> <id>` of change sets examined near the cursor. */
  seen: string[];
}

/**
 * Claims, for `leaseMs`, the lists with a webhook that no other instance is scanning: the node's write lock
 * is taken before the lease is read, so two instances never both win one list.
 */
export async function claimWebhookScans(
  query: Query,
  worker: string,
  now: string,
  leaseUntil: string,
): Promise<WebhookScanTarget[]> {
  const rows = await query<{ w: WatchlistRow; cursor: string; from: string; seen: string[] }>(
    `MATCH (w:${WATCHLIST_LABEL}) WHERE w.webhookUrl IS NOT NULL
     SET w._lock = true REMOVE w._lock
     WITH w WHERE w.webhookUrl IS NOT NULL AND (w.scanLeaseUntil IS NULL OR w.scanLeaseUntil < $now)
     SET w.scanLeaseUntil = $leaseUntil, w.scanLeaseBy = $worker
     RETURN ${WATCHLIST_FIELDS} AS w, w.webhookCursor AS cursor, coalesce(w.webhookFrom, w.webhookCursor) AS from,
       coalesce(w.webhookSeen, []) AS seen`,
    { worker, now, leaseUntil },
  );
  return rows.map((r) => ({ watchlist: r.w, cursor: r.cursor, from: r.from, seen: r.seen }));
}

export interface NewDelivery {
  id: string;
  changeSetId: string;
  payload: string;
}

/**
 * Queues the deliveries a scan found and moves the list's cursor, in one transaction, only while this worker
 * still holds the scan lease. A delivery's id is its list's and change set's, so one change set is never
 * queued twice for a list.
 */
export async function recordWebhookScan(
  query: Query,
  scan: { watchlistId: string; worker: string; cursor: string; seen: string[]; now: string },
  deliveries: readonly NewDelivery[],
): Promise<boolean> {
  const rows = await query<{ id: string }>(
    `MATCH (w:${WATCHLIST_LABEL} {id: $watchlistId}) WHERE w.scanLeaseBy = $worker
     SET w.webhookCursor = $cursor, w.webhookSeen = $seen, w.scanLeaseUntil = null, w.scanLeaseBy = null
     WITH w
     CALL (w) {
       UNWIND $deliveries AS d
       MERGE (x:${WEBHOOK_DELIVERY_LABEL} {id: d.id})
       ON CREATE SET x.watchlistId = w.id, x.changeSetId = d.changeSetId, x.payload = d.payload,
         x.status = 'PENDING', x.attempts = 0, x.createdAt = $now, x.nextAttemptAt = $now
     }
     RETURN w.id AS id`,
    { ...scan, deliveries: [...deliveries] },
  );
  return rows.length > 0;
}

export interface DeliveryRow {
  id: string;
  watchlistId: string;
  changeSetId: string;
  status: 'PENDING' | 'DELIVERING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: string;
}

export interface ClaimedDelivery extends DeliveryRow {
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` deliveries due now: pending ones whose next attempt has come, and those another
 * instance claimed but whose lease ran out (it stopped or died mid-attempt). Locked before being read again,
 * so two instances never both claim one.
 */
export async function claimDueDeliveries(
  query: Query,
  claim: { worker: string; now: string; leaseUntil: string; limit: number },
): Promise<ClaimedDelivery[]> {
  const rows = await query<{ d: DeliveryRow; url: string; secret: string }>(
    `MATCH (d:${WEBHOOK_DELIVERY_LABEL})
     WHERE (d.status = 'PENDING' AND d.nextAttemptAt <= $now) OR (d.status = 'DELIVERING' AND d.leaseUntil < $now)
     WITH d ORDER BY d.nextAttemptAt LIMIT $limit
     SET d._lock = true REMOVE d._lock
     WITH d WHERE (d.status = 'PENDING' AND d.nextAttemptAt <= $now) OR (d.status = 'DELIVERING' AND d.leaseUntil < $now)
     MATCH (w:${WATCHLIST_LABEL} {id: d.watchlistId}) WHERE w.webhookUrl IS NOT NULL
     SET d.status = 'DELIVERING', d.leaseBy = $worker, d.leaseUntil = $leaseUntil
     RETURN properties(d) AS d, w.webhookUrl AS url, w.webhookSecret AS secret`,
    { ...claim, limit: int(claim.limit) },
  );
  return rows.map((r) => ({ ...withDeliveryDefaults(r.d), url: r.url, secret: r.secret }));
}

/** Ends an attempt held by `worker`: delivered, failed for good, or pending again at `nextAttemptAt`. */
export async function finishDeliveryAttempt(
  query: Query,
  attempt: {
    id: string;
    worker: string;
    status: 'PENDING' | 'DELIVERED' | 'FAILED';
    attempts: number;
    lastError: string | null;
    lastStatusCode: number | null;
    nextAttemptAt: string | null;
    now: string;
  },
): Promise<void> {
  await query(
    `MATCH (d:${WEBHOOK_DELIVERY_LABEL} {id: $id}) WHERE d.leaseBy = $worker AND d.status = 'DELIVERING'
     SET d.status = $status, d.attempts = $attempts, d.lastError = $lastError, d.lastStatusCode = $lastStatusCode,
         d.nextAttemptAt = $nextAttemptAt, d.leaseBy = null, d.leaseUntil = null,
         d.lastAttemptAt = $now, d.deliveredAt = CASE WHEN $status = 'DELIVERED' THEN $now ELSE null END`,
    {
      ...attempt,
      attempts: int(attempt.attempts),
      lastStatusCode: attempt.lastStatusCode === null ? null : int(attempt.lastStatusCode),
    },
  );
}

/** A list's deliveries, newest first. */
export async function fetchDeliveries(
  query: Query,
  watchlistId: string,
  first: number,
): Promise<DeliveryRow[]> {
  const rows = await query<{ d: DeliveryRow }>(
    `MATCH (d:${WEBHOOK_DELIVERY_LABEL} {watchlistId: $watchlistId})
     RETURN properties(d) AS d ORDER BY d.createdAt DESC, d.id LIMIT $first`,
    { watchlistId, first: int(first) },
  );
  return rows.map((r) => withDeliveryDefaults(r.d));
}

function withDeliveryDefaults(d: DeliveryRow): DeliveryRow {
  return {
    ...d,
    attempts: Number(d.attempts ?? 0),
    lastError: d.lastError ?? null,
    lastStatusCode:
      d.lastStatusCode === null || d.lastStatusCode === undefined ? null : Number(d.lastStatusCode),
    nextAttemptAt: d.nextAttemptAt ?? null,
    deliveredAt: d.deliveredAt ?? null,
  };
}
