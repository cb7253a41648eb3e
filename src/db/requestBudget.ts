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

/** Why a budget's signal was aborted. */
export type BudgetEnd = 'timeout' | 'client-gone';

/** A counting semaphore: `acquire` waits for a free slot (or rejects when `signal` aborts). */
export class SessionSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw new Error(`budget ended: ${String(signal.reason)}`);
    if (this.free > 0) {
      this.free--;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new Error(`budget ended: ${String(signal.reason)}`));
      };
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
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
