import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook receiver knows a delivery came from this server and was not replayed: the body is signed
 * with HMAC-SHA256 under the list's secret, over `<timestamp>.<raw body>` (the timestamp header's value, a
 * dot, then the body's bytes exactly as received), as Stripe and Slack sign theirs. The signature header is
 * `sha256=<hex>`; a receiver recomputes it, compares in constant time, and refuses timestamps too old.
 */

export const SIGNATURE_HEADER = 'X-AEG-Signature';
/** Seconds since the Unix epoch when this attempt was sent (each retry is signed anew). */
export const TIMESTAMP_HEADER = 'X-AEG-Timestamp';
/** The delivery's id: the same on every retry of one delivery, so a receiver can drop duplicates. */
export const DELIVERY_HEADER = 'X-AEG-Delivery';
export const EVENT_HEADER = 'X-AEG-Event';
export const VERDICT_CHANGED_EVENT = 'verdict.changed';

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A receiver's check, as docs/watchlists.md shows it: the signature matches and the timestamp is within
 * `toleranceSeconds` of now.
 */
export function verifySignature(
  secret: string,
  delivery: { timestamp: string; body: string; signature: string },
  toleranceSeconds = 300,
  nowMs = Date.now(),
): boolean {
  const sent = Number(delivery.timestamp);
  if (!Number.isInteger(sent) || Math.abs(nowMs / 1000 - sent) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, delivery.timestamp, delivery.body));
  const given = Buffer.from(delivery.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
