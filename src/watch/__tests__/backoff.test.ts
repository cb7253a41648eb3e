import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../backoff';

describe('Webhook retry delays: exponential back-off with equal jitter', () => {
  it.each([
    { failures: 1, low: 500, high: 1000 },
    { failures: 2, low: 1000, high: 2000 },
    { failures: 3, low: 2000, high: 4000 },
    { failures: 6, low: 16_000, high: 32_000 },
  ])('after $failures failure(s) waits between $low and $high ms (base 1 s)', ({ failures, low, high }) => {
    expect(retryDelayMs(failures, 1000, () => 0)).toBe(low);
    expect(retryDelayMs(failures, 1000, () => 1)).toBe(high);
    const jittered = retryDelayMs(failures, 1000, () => 0.5);
    expect(jittered).toBeGreaterThan(low);
    expect(jittered).toBeLessThan(high);
  });

  it('never waits more than an hour', () => {
    expect(retryDelayMs(40, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('spreads receivers that failed together', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, 1000, random)));
    expect(delays.size).toBeGreaterThan(15);
  });
});
