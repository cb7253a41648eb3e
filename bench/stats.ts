/** Not public API: the number formatting and latency summaries both benchmarks report with. */
export const say = (line: string) => console.log(line);
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(s, 50), 2),
    p90: round(percentile(s, 90), 2),
    p99: round(percentile(s, 99), 2),
    max: round(s[s.length - 1] ?? NaN, 2),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length, 2),
  };
}

/**
 * `total` calls of `task` from `clients` async clients, each starting its next call when its last one ends
 * (a closed loop, as `clients` users each waiting for their answer): per-call milliseconds and the wall time.
 */
export async function concurrently<T>(
  clients: number,
  total: number,
  task: (i: number) => Promise<T>,
): Promise<{ ms: number[]; results: T[]; wallMs: number }> {
  const ms: number[] = [];
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      results.push(await task(i));
      ms.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { ms, results, wallMs: performance.now() - started };
}

/** What a bench reports of calls made from several clients at once (the per-part split is not kept). */
export interface ConcurrentFigures {
  clients: number;
  count: number;
  totalMs: ReturnType<typeof summary>;
  perSecond: number;
}

/** `concurrently`, summarised as the benches report it. */
export async function concurrentFigures(
  clients: number,
  total: number,
  task: (i: number) => Promise<unknown>,
): Promise<ConcurrentFigures> {
  const c = await concurrently(clients, total, task);
  return {
    clients,
    count: c.ms.length,
    totalMs: summary(c.ms),
    perSecond: round(c.ms.length / (c.wallMs / 1000)),
  };
}
