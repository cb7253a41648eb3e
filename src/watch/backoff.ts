/**
 * When to try a failed delivery again: exponential back-off with "equal jitter" (half the delay fixed, half
 * random), so receivers that failed together are not retried in lockstep. Hand-written rather than p-retry:
 * the attempt count and next time must live in Neo4j (another instance, or this one after a restart, carries
 * on), whereas p-retry keeps them in one process's memory.
 */

/** At most an hour between attempts. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** Delay before attempt `failedAttempts + 1`, after `failedAttempts` failures (1, 2, …). */
export function retryDelayMs(
  failedAttempts: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
