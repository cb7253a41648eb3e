import { getEventListeners } from 'node:events';
import { SessionSlots, onAbort, startBudget } from '../requestBudget';

describe('onAbort: one listener on a signal, however many subscribe', () => {
  it('calls every subscriber once when the signal aborts, through a single listener', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 1000; i++) onAbort(controller.signal, () => calls.push(i));
    // Node warns of a leak (MaxListenersExceededWarning) past 10.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('timeout');
    expect(calls).toHaveLength(1000);
    expect(new Set(calls).size).toBe(1000);
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
  it('makes 1,000 waiters wait on one listener, and grants them in order', async () => {
    const budget = startBudget(60_000, 4);
    const granted: number[] = [];
    {
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
    }
    budget.dispose();
    expect(granted).toEqual(Array.from({ length: 1000 }, (_, i) => i));
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
