import type { Database } from '../src/db/database';
import { RequestBudgetEnded } from '../src/db/database';
import { startBudget } from '../src/db/requestBudget';
import { testDatabase } from './support/database';

/**
 * A request's reads share one read transaction (Database.sharingReads): one session for all the reads that
 * follow each other without the event loop turning, a fresh one after, and the budget still ends them.
 */

let db: Database;
let sessions: jest.SpyInstance;

beforeAll(() => {
  db = testDatabase();
});

beforeEach(() => {
  sessions = jest.spyOn(db.driver, 'session');
});

afterEach(() => sessions.mockRestore());

afterAll(async () => {
  await db?.close();
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Watches every session opened from now on: one spy per session on its explicit transactions (BEGIN). */
function spyOnBegins(): jest.SpyInstance[] {
  const begins: jest.SpyInstance[] = [];
  sessions.mockRestore();
  const original = db.driver.session.bind(db.driver);
  sessions = jest.spyOn(db.driver, 'session').mockImplementation((config) => {
    const session = original(config);
    begins.push(jest.spyOn(session, 'beginTransaction'));
    return session;
  });
  return begins;
}
const value = (rows: Array<{ x: number }>) => rows[0]?.x;

describe('Reads of one request share one read transaction', () => {
  it('sends concurrent reads and the reads that follow them through one session', async () => {
    const shared = db.sharingReads();
    const [a, b] = await Promise.all([
      shared.read((query) => query<{ x: number }>('RETURN 1 AS x')),
      shared.read((query) => query<{ x: number }>('RETURN 2 AS x')),
    ]);
    const c = await shared.read((query) => query<{ x: number }>('RETURN 3 AS x'));
    expect([value(a), value(b), value(c)]).toEqual([1, 2, 3]);
    expect(sessions).toHaveBeenCalledTimes(1);
  });

  it('sends a read alone in its turn of the event loop without an explicit transaction (no BEGIN/COMMIT)', async () => {
    const shared = db.sharingReads();
    const begins = spyOnBegins();
    const rows = await shared.read((query) => query<{ x: number }>('RETURN 5 AS x'));
    expect(value(rows)).toBe(5);
    expect(sessions).toHaveBeenCalledTimes(1);
    expect(begins.map((b) => b.mock.calls.length)).toEqual([0]);
  });

  it('leaves the auto-commit to the first shared read when a read alone went before it', async () => {
    const shared = db.sharingReads();
    const begins = spyOnBegins();
    const alone = await shared.readAlone((query) => query<{ x: number }>('RETURN 6 AS x'));
    const rows = await shared.read((query) => query<{ x: number }>('RETURN 7 AS x'));
    expect([value(alone), value(rows)]).toEqual([6, 7]);
    expect(sessions).toHaveBeenCalledTimes(2);
    expect(begins.map((b) => b.mock.calls.length)).toEqual([0, 0]);
  });

  it('closes the transaction once the event loop turns with no read in flight, and opens a new one after', async () => {
    const shared = db.sharingReads();
    await shared.read((query) => query('RETURN 1 AS x'));
    await turn();
    await turn();
    await shared.read((query) => query('RETURN 1 AS x'));
    expect(sessions).toHaveBeenCalledTimes(2);
  });

  it('reads again after a query failed, in a fresh transaction', async () => {
    const shared = db.sharingReads();
    await expect(shared.read((query) => query('RETURN 1 / 0 AS x'))).rejects.toThrow(/by zero/i);
    const rows = await shared.read((query) => query<{ x: number }>('RETURN 4 AS x'));
    expect(value(rows)).toBe(4);
  });

  it("stops a read that outlasts the request's budget", async () => {
    const budget = startBudget(300, 4);
    const shared = db.within(budget).sharingReads();
    const started = performance.now();
    await expect(
      shared.read((query) =>
        query('UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i) AS x'),
      ),
    ).rejects.toBeInstanceOf(RequestBudgetEnded);
    expect(performance.now() - started).toBeLessThan(5000);
    budget.dispose();
  });
});
