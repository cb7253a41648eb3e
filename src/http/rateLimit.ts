/**
 * A token bucket per client (its principal when it sent credentials, else its address; the router decides):
 * `burst` requests at once, refilled at `perSecond`. Hand-written because it is a dozen lines and needs no
 * store; buckets full again are forgotten so the map stays as small as the set of active clients.
 */
export interface RateLimiter {
  /** 0 when the request may go ahead, else the seconds to wait before the next one will be let through. */
  take(client: string): number;
}

export function createRateLimiter(
  perSecond: number,
  burst: number,
  now = () => performance.now(),
): RateLimiter {
  if (perSecond <= 0) return { take: () => 0 };
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  return {
    take(client) {
      const t = now();
      if (t - lastSweep > 60_000) {
        for (const [key, b] of buckets)
          if (b.tokens + ((t - b.at) / 1000) * perSecond >= burst) buckets.delete(key);
        lastSweep = t;
      }
      const bucket = buckets.get(client) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
      bucket.at = t;
      buckets.set(client, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    },
  };
}
