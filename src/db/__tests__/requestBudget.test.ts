import { getEventListeners } from 'node:events';
import { SessionSlots, onAbort, startBudget } from '../requestBudget';

/** Warnings Node emits while `work` runs (and the turn after, when process warnings are delivered). */
async function warningsDuring(work: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const record = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', record);
  try {
    await work();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', record);
  }
  return seen;
}

describe('onAbort: one listener on a signal, however many subscribe', () => {
  it('calls every subscriber once when the signal aborts, through a single listener', async () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const warnings = await warningsDuring(() => {
      for (let i = 0; i < 1000; i++) onAbort(controller.signal, () => calls.push(i));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort('timeout');
      return Promise.resolve();
    });
    expect(calls).toHaveLength(1000);
    expect(new Set(calls).size).toBe(1000);
    expect(warnings).toEqual([]);
  });

  it('forgets a subscriber that unsubscribed, and calls at once on a signal already aborted', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stop = onAbort(controller.signal, () => calls.push('gone'));
    onAbort(controller.signal, () => calls.push('kept'));
    stop();
    controller.abort();
    expect(calls).toEqual(['kept']);
    onAbort(controller.signal, () => calls.push('late'));
    expect(calls).toEqual(['kept', 'late']);
  });

  it('counts the same function subscribed twice as two subscriptions', () => {
    const controller = new AbortController();
    let calls = 0;
    const listener = () => calls++;
    const first = onAbort(controller.signal, listener);
    onAbort(controller.signal, listener);
    first();
    controller.abort();
    expect(calls).toBe(1);
  });
});

describe("SessionSlots: a request's sessions, with waiters that do not pile listeners on its signal", () => {
  it('makes 1,000 waiters wait on one listener, grants them in order, and warns of no leak', async () => {
    const budget = startBudget(60_000, 4);
    const granted: number[] = [];
    const warnings = await warningsDuring(async () => {
      const held = await Promise.all([0, 1, 2, 3].map(() => budget.sessions.acquire(budget.signal)));
      const waiters = Array.from({ length: 1000 }, (_, i) =>
        budget.sessions.acquire(budget.signal).then((release) => {
          granted.push(i);
          release();
        }),
      );
      // The four held slots, the waiters queued: one listener for all of them (the budget's own not counted).
      expect(getEventListeners(budget.signal, 'abort')).toHaveLength(1);
      for (const release of held) release();
      await Promise.all(waiters);
    });
    budget.dispose();
    expect(granted).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(warnings).toEqual([]);
    // Every waiter unsubscribed when granted: nothing left to call when the budget ends.
    expect(getEventListeners(budget.signal, 'abort')).toHaveLength(1);
  });

  it('rejects every waiter, naming why, when the budget ends, and gives their slots to no one', async () => {
    const slots = new SessionSlots(1);
    const controller = new AbortController();
    const release = await slots.acquire(controller.signal);
    const waiters = Array.from({ length: 50 }, () => slots.acquire(controller.signal));
    controller.abort('client-gone');
    for (const waiter of waiters) await expect(waiter).rejects.toThrow('budget ended: client-gone');
    release();
    // The slot is free again for a request whose budget still runs.
    const next = await slots.acquire(new AbortController().signal);
    next();
  });
});
