/**
 * What one request may use of the database: until when (its time budget), until it is abandoned (the
 * client went away), and how many sessions at once. One request must not be able to take the whole
 * connection pool (1,000 aliases of an expensive field once opened 1,000 sessions and starved everyone).
 */
export interface RequestBudget {
  /** Aborted when the time budget ends or the client disconnects; `reason` says which. */
  readonly signal: AbortSignal;
  /** `performance.now()` at which the budget ends. */
  readonly deadline: number;
  /** The budget in milliseconds, for messages. */
  readonly budgetMs: number;
  /** Sessions this request may hold at the same time. */
  readonly sessions: SessionSlots;
}

/**
 * Calls `listener` once when `signal` aborts (at once if it already has); the returned function unsubscribes.
 * However many subscribe, the signal holds one listener of ours: a request that opens sessions by the
 * hundred (aliases, sweeps) would otherwise add one listener per session or waiter to its budget's signal,
 * which Node reports as a leak (MaxListenersExceededWarning past 10) and which makes abort cost O(n) each.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  let listeners = fanOuts.get(signal);
  if (!listeners) {
    const subscribed = new Set<() => void>();
    listeners = subscribed;
    fanOuts.set(signal, subscribed);
    signal.addEventListener(
      'abort',
      () => {
        fanOuts.delete(signal);
        for (const each of subscribed) each();
      },
      { once: true },
    );
  }
  // One entry per subscription, even if the same function subscribes twice.
  const entry = () => listener();
  listeners.add(entry);
  return () => listeners.delete(entry);
}

const fanOuts = new WeakMap<AbortSignal, Set<() => void>>();

/** Why a budget's signal was aborted. */
export type BudgetEnd = 'timeout' | 'client-gone';

/** A counting semaphore: `acquire` waits for a free slot (or rejects when `signal` aborts, or after `waitMs`). */
export class SessionSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /**
   * A slot, at once when one is free. Only a caller that has to wait gets a timer and a listener on `signal`:
   * a free slot is the common case (one per query a request sends), and an `AbortSignal.timeout` made for
   * each one fired a second later for nothing (bench:peer, issue 15).
   */
  async acquire(signal: AbortSignal, waitMs = Infinity): Promise<() => void> {
    if (signal.aborted) throw new Error(`budget ended: ${String(signal.reason)}`);
    if (this.free > 0) {
      this.free--;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let unsubscribe: () => void = () => undefined;
      const grant = () => {
        unsubscribe();
        clearTimeout(timer);
        resolve();
      };
      const giveUp = (why: string) => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        unsubscribe();
        clearTimeout(timer);
        reject(new Error(why));
      };
      this.waiting.push(grant);
      unsubscribe = onAbort(signal, () => giveUp(`budget ended: ${String(signal.reason)}`));
      if (Number.isFinite(waitMs))
        timer = setTimeout(() => giveUp(`no slot came free in ${waitMs} ms`), waitMs);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/**
 * A budget of `budgetMs` from now, ended early by `clientGone` (aborted when the client disconnects).
 * `dispose` clears the timer once the request is answered.
 */
export function startBudget(
  budgetMs: number,
  maxSessions: number,
  clientGone?: AbortSignal,
): RequestBudget & { dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort('timeout' satisfies BudgetEnd), budgetMs);
  const onGone = () => controller.abort('client-gone' satisfies BudgetEnd);
  if (clientGone?.aborted) onGone();
  clientGone?.addEventListener('abort', onGone, { once: true });
  return {
    signal: controller.signal,
    deadline: performance.now() + budgetMs,
    budgetMs,
    sessions: new SessionSlots(maxSessions),
    dispose() {
      clearTimeout(timer);
      clientGone?.removeEventListener('abort', onGone);
    },
  };
}
