import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyChange } from '../src/write/applyChange';
import { verifySignature } from '../src/watch/signature';
import { startWebhookWorker, type WebhookSettings, type WebhookWorker } from '../src/watch/webhookWorker';
import { capturingLogger } from './support/capturingLogger';
import { baseGraph, useWriteHarness } from './support/writeHarness';

/**
 * Issue 12 item 6, webhooks: after a write changes a watched verdict, the list's receiver gets one signed
 * JSON POST per change set, retried with back-off when it fails, claimed in Neo4j so that two instances never
 * both send it, and put back when an instance stops mid-attempt. A write that changes no watched verdict
 * sends nothing. The receiver is a real HTTP server in this process.
 */

const h = useWriteHarness();
const p = 'hook';
const entity = `org:${p}-sub`;
const policy = `policy:${p}-cn-50`;
const own = `own:${p}-parent-sub`;
const src = `src:${p}-filing`;
const SECRET = 'webhook-secret-for-the-tests-0123';

const SETTINGS: WebhookSettings = {
  WEBHOOK_MAX_ATTEMPTS: 3,
  WEBHOOK_BASE_DELAY_MS: 40,
  WEBHOOK_TIMEOUT_MS: 3000,
  WEBHOOK_POLL_MS: 60_000,
  VERDICT_CHANGES_MAX_CHANGE_SETS: 200,
  VERDICT_CHANGES_MAX_EVALUATIONS: 2000,
};

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver that records what it gets and answers each request with the next status queued (200 after). */
class Receiver {
  readonly received: Received[] = [];
  readonly statuses: number[] = [];
  hang = false;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (this.hang) return; // never answers: the sender's timeout or stop ends it
        res.statusCode = this.statuses.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/aeg`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const receiver = new Receiver();
const workers: WebhookWorker[] = [];
let listId: string;

function worker(log = capturingLogger(), settings: Partial<WebhookSettings> = {}): WebhookWorker {
  const w = startWebhookWorker(h.db, { ...SETTINGS, ...settings }, log, { timer: false, random: () => 0.5 });
  workers.push(w);
  return w;
}

const DELIVERIES = `query($id: ID!) { watchlist(id: $id) { deliveries { id changeSetId status attempts lastError lastStatusCode nextAttemptAt deliveredAt } } }`;

async function deliveries(): Promise<
  Array<{ id: string; changeSetId: string; status: string; attempts: number; lastError: string | null }>
> {
  const answer = await h.as('editor', DELIVERIES, { id: listId });
  expect(answer.errors).toBeUndefined();
  return answer.data.watchlist.deliveries;
}

/** Corrects the stake so that the watched verdict flips (60% -> 40% or back): a change the list must hear of. */
async function flipVerdict(reason: string): Promise<string> {
  const now = await h.as('reader', `{ policyVerdict(entity: "${entity}", policy: "${policy}") { verdict } }`);
  const exact = now.data.policyVerdict.verdict === 'COVERED' ? 40 : 60;
  const answer = await h.as(
    'editor',
    `mutation { correctShare(id: "${own}", share: {exact: ${exact}}, reason: "${reason}", sources: ["${src}"]) { written changeSet { id } } }`,
  );
  expect(answer.data.correctShare.written).toBe(true);
  return answer.data.correctShare.changeSet.id as string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await h.load(baseGraph(p));
  await receiver.start();
  const created = await h.as(
    'editor',
    `mutation($input: WatchlistInput!) { createWatchlist(input: $input) { id } }`,
    {
      input: {
        name: 'Hooked',
        entities: [entity],
        policies: [policy],
        webhook: { url: receiver.url, secret: SECRET },
      },
    },
  );
  expect(created.errors).toBeUndefined();
  listId = created.data.createWatchlist.id as string;
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  receiver.hang = false;
  receiver.statuses.length = 0;
});

afterAll(() => receiver.stop());

/** Runs the worker until the receiver has `count` requests or `rounds` rounds have passed. */
async function roundsUntil(w: WebhookWorker, count: number, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds && receiver.received.length < count; i++) {
    await w.runOnce();
    if (receiver.received.length < count) await sleep(60);
  }
}

it('posts one signed delivery for a write that changes a watched verdict; the receiver can verify it', async () => {
  const log = capturingLogger();
  const w = worker(log);
  await w.runOnce(); // nothing has changed since the webhook was set: nothing is sent
  expect(receiver.received).toHaveLength(0);
  const start = receiver.received.length;

  const changeSetId = await flipVerdict('The registry says 40%');
  await roundsUntil(w, start + 1);
  expect(receiver.received).toHaveLength(start + 1);
  const { headers, body } = receiver.received[start]!;
  expect(headers['content-type']).toBe('application/json');
  expect(headers['x-aeg-event']).toBe('verdict.changed');
  expect(headers['x-aeg-delivery']).toBe(`${listId}|${changeSetId}`);
  const signature = headers['x-aeg-signature'] as string;
  const timestamp = headers['x-aeg-timestamp'] as string;
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verifySignature(SECRET, { timestamp, body, signature })).toBe(true);
  expect(verifySignature('not-the-secret-at-all', { timestamp, body, signature })).toBe(false);
  expect(verifySignature(SECRET, { timestamp, body: body.replace('40', '41'), signature })).toBe(false);

  const payload = JSON.parse(body);
  expect(payload).toMatchObject({
    event: 'verdict.changed',
    deliveryId: `${listId}|${changeSetId}`,
    watchlist: { id: listId, name: 'Hooked' },
    changeSet: { id: changeSetId, reason: 'The registry says 40%', recordIds: [own], sourceIds: [src] },
    changes: [
      {
        entityId: entity,
        policyId: policy,
        changed: ['VERDICT', 'SHARE'],
        before: { verdict: 'COVERED', share: { lower: 60, upper: 60 } },
        after: { verdict: 'NOT_COVERED', share: { lower: 40, upper: 40 } },
      },
    ],
  });
  expect(payload.changes[0].before.explanation).toEqual(expect.any(String));

  const [delivery] = await deliveries();
  expect(delivery).toMatchObject({ changeSetId, status: 'DELIVERED', attempts: 1, lastError: null });
  // Another round sends nothing again.
  await w.runOnce();
  expect(receiver.received).toHaveLength(start + 1);
  expect(JSON.stringify(log.lines)).not.toContain(SECRET);
});

it('sends nothing for a write that touches a watched entity without changing its verdict', async () => {
  const w = worker();
  const before = receiver.received.length;
  const known = (await deliveries()).length;
  const alias = await h.as(
    'editor',
    `mutation { addAlias(id: "${entity}", alias: "${p} Trade Name", reason: "Trade name", sources: ["${src}"]) { written } }`,
  );
  expect(alias.data.addAlias.written).toBe(true);
  await w.runOnce();
  await sleep(100);
  await w.runOnce();
  expect(receiver.received).toHaveLength(before);
  expect(await deliveries()).toHaveLength(known);
});

it('retries a failing receiver with back-off until it answers 2xx, recording each failure', async () => {
  const log = capturingLogger();
  const w = worker(log);
  const start = receiver.received.length;
  receiver.statuses.push(500, 503);
  const changeSetId = await flipVerdict('Back to 60% after review');
  await roundsUntil(w, start + 3);
  expect(receiver.received).toHaveLength(start + 3);
  // The same delivery each time, signed anew.
  const ids = receiver.received.slice(start).map((r) => r.headers['x-aeg-delivery']);
  expect(new Set(ids)).toEqual(new Set([`${listId}|${changeSetId}`]));
  const delivery = (await deliveries()).find((d) => d.changeSetId === changeSetId);
  expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 3 });
  const retries = log.lines.filter((l) => l.msg === 'Webhook delivery will be retried');
  expect(retries.map((l) => l.error)).toEqual(['receiver answered HTTP 500', 'receiver answered HTTP 503']);
  expect(retries.map((l) => l.attempts)).toEqual([1, 2]);
  // Back-off grows: 40 ms base, equal jitter at 0.5 -> 30 ms then 60 ms.
  const waits = retries.map((l) => Date.parse(l.nextAttemptAt as string));
  expect(waits[1]! - waits[0]!).toBeGreaterThanOrEqual(30);
  expect(JSON.stringify(log.lines)).not.toContain(SECRET);
});

it('gives up after WEBHOOK_MAX_ATTEMPTS, keeping the last error', async () => {
  const w = worker(capturingLogger(), { WEBHOOK_MAX_ATTEMPTS: 2 });
  const start = receiver.received.length;
  receiver.statuses.push(500, 500, 500);
  const changeSetId = await flipVerdict('Registry extract of March');
  await roundsUntil(w, start + 2);
  await sleep(100);
  await w.runOnce();
  expect(receiver.received).toHaveLength(start + 2);
  const delivery = (await deliveries()).find((d) => d.changeSetId === changeSetId);
  expect(delivery).toMatchObject({ status: 'FAILED', attempts: 2, lastError: 'receiver answered HTTP 500' });
});

it('never lets two instances both send one delivery', async () => {
  const [a, b] = [worker(), worker()];
  const start = receiver.received.length;
  const changeSetId = await flipVerdict('Registry extract of April');
  await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
  await sleep(100);
  await Promise.all([a.runOnce(), b.runOnce()]);
  const sent = receiver.received.slice(start).map((r) => r.headers['x-aeg-delivery']);
  expect(sent).toEqual([`${listId}|${changeSetId}`]);
});

it('puts a delivery back when its instance stops mid-attempt, and another instance sends it', async () => {
  const stopping = worker();
  const start = receiver.received.length;
  receiver.hang = true;
  const changeSetId = await flipVerdict('Registry extract of May');
  const round = stopping.runOnce();
  for (let i = 0; i < 100 && receiver.received.length === start; i++) await sleep(50);
  expect(receiver.received).toHaveLength(start + 1);
  await stopping.stop();
  await round;
  const pending = (await deliveries()).find((d) => d.changeSetId === changeSetId);
  expect(pending).toMatchObject({ status: 'PENDING', attempts: 0 });

  receiver.hang = false;
  const other = worker();
  await roundsUntil(other, start + 2);
  expect(receiver.received.slice(start).map((r) => r.headers['x-aeg-delivery'])).toEqual([
    `${listId}|${changeSetId}`,
    `${listId}|${changeSetId}`,
  ]);
  expect((await deliveries()).find((d) => d.changeSetId === changeSetId)).toMatchObject({
    status: 'DELIVERED',
    attempts: 1,
  });
});

it('delivers on its own after a mutation commits, without waiting for the poll', async () => {
  const live = startWebhookWorker(h.db, SETTINGS, capturingLogger(), { random: () => 0.5 });
  workers.push(live);
  await sleep(200); // its first round, on start
  const start = receiver.received.length;
  const changeSetId = await flipVerdict('Registry extract of June');
  for (let i = 0; i < 100 && receiver.received.length === start; i++) await sleep(50);
  expect(receiver.received.slice(start).map((r) => r.headers['x-aeg-delivery'])).toEqual([
    `${listId}|${changeSetId}`,
  ]);
});

it('delivers a write made without this server (another instance, the CLI import) at its next round', async () => {
  const w = worker();
  await w.runOnce();
  const start = receiver.received.length;
  const now = await h.as('reader', `{ policyVerdict(entity: "${entity}", policy: "${policy}") { verdict } }`);
  const exact = now.data.policyVerdict.verdict === 'COVERED' ? 30 : 70;
  // Straight through the write layer, as `npm run import` writes: no GraphQL, no in-process notice.
  const outcome = await applyChange(h.db, {
    author: { id: 'system:import', name: 'Import' },
    reason: 'Registry bulk import',
    sourceIds: [src],
    edits: () => Promise.resolve([{ id: own, edit: (r) => ({ ...r, share: { exact } }) }]),
  });
  expect(outcome.written).toBe(true);
  expect(receiver.received).toHaveLength(start);
  await roundsUntil(w, start + 1);
  const [sent] = receiver.received.slice(start);
  expect(sent?.headers['x-aeg-delivery']).toBe(`${listId}|${outcome.changeSet!.id}`);
  expect(JSON.parse(sent!.body).changeSet.author).toEqual({ id: 'system:import', name: 'Import' });
});

it('gets through a busy window longer than its bounds, without stalling on change sets it already examined', async () => {
  const w = worker(capturingLogger(), { VERDICT_CHANGES_MAX_CHANGE_SETS: 2 });
  await w.runOnce();
  const start = receiver.received.length;
  for (let i = 0; i < 5; i++) {
    const added = await h.as(
      'editor',
      `mutation { addSource(source: {id: "src:${p}-busy-${i}", url: "https://example.org/b${i}", publisher: "P", title: "T"}, reason: "Filing ${i}") { written } }`,
    );
    expect(added.data.addSource.written).toBe(true);
  }
  await w.runOnce();
  expect(receiver.received).toHaveLength(start);
  const changeSetId = await flipVerdict('Registry extract after a busy morning');
  await roundsUntil(w, start + 1, 5);
  expect(receiver.received.slice(start).map((r) => r.headers['x-aeg-delivery'])).toEqual([
    `${listId}|${changeSetId}`,
  ]);
});
