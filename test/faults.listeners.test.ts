import { getEventListeners } from 'node:events';
import type { Database } from '../src/db/database';
import { RequestBudgetEnded } from '../src/db/database';
import { startBudget } from '../src/db/requestBudget';
import { testDatabase } from './support/database';

/**
 * Issue 10: one request that opens sessions by the hundred (writes, reads outside the shared read
 * transaction, a sweep) holds one abort listener on its budget's signal, not one per session and per waiter
 * for a session slot: Node reported those as a leak (MaxListenersExceededWarning past 10) on stderr.
 * Against the real Neo4j, with the request's session cap (4) far below the number of transactions asked for.
 */

let db: Database;

beforeAll(() => {
  db = testDatabase();
});

afterAll(async () => {
  await db?.close();
});

/** Node warns (MaxListenersExceededWarning) past this many listeners on one signal. */
const NODE_WARNS_PAST = 10;

describe('Faults: a request with many transactions at once', () => {
  it('runs 200 transactions through its 4 session slots with one listener on its signal', async () => {
    const budget = startBudget(60_000, 4);
    const within = db.within(budget);
    const listeners = () => getEventListeners(budget.signal, 'abort').length;
    let mostListeners = 0;
    const reads = Array.from({ length: 200 }, (_, i) =>
      within.readRows<{ x: number }>('RETURN $i AS x', { i }).then((rows) => {
        mostListeners = Math.max(mostListeners, listeners());
        return rows[0]?.x;
      }),
    );
    mostListeners = Math.max(mostListeners, listeners());
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    budget.dispose();
    expect(mostListeners).toBe(1);
    expect(mostListeners).toBeLessThanOrEqual(NODE_WARNS_PAST);
  });

  it('ends 200 transactions waiting for a slot when the budget ends, each naming the budget', async () => {
    const budget = startBudget(500, 4);
    const within = db.within(budget);
    const slow = Array.from({ length: 200 }, () =>
      // Longer than the budget: the four running ones are stopped on Neo4j, the waiting ones never start.
      within.readRows('UNWIND range(1, 1000000000) AS n RETURN count(n) AS c').then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    // Four running, 196 waiting for a slot: one listener on the signal for all of them.
    await new Promise((r) => setTimeout(r, 100));
    expect(getEventListeners(budget.signal, 'abort')).toHaveLength(1);
    const outcomes = await Promise.all(slow);
    budget.dispose();
    expect(outcomes).toHaveLength(200);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(RequestBudgetEnded);
      expect((outcome as RequestBudgetEnded).message).toMatch(/time budget of 500 ms/);
    }
  });
});
