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
