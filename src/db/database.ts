import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { Logger } from '../log';
import { SessionSlots, type BudgetEnd, type RequestBudget } from './requestBudget';

/**
 * The one place that opens transactions. Reads go through read transactions and writes through write
 * transactions, so a cluster (neo4j:// URIs) routes them to followers and the leader. Every query is
 * reported to an observer (the per-request query counter proves "no N+1"), and timed at debug level.
 */

export type Row = Record<string, unknown>;
export type Params = Record<string, unknown>;
/** Runs one Cypher query inside the current transaction and returns plain rows. */
export type Query = <T = Row>(cypher: string, params?: Params) => Promise<T[]>;

export interface QueryObserver {
  onQuery(cypher: string, params: Params, ms: number): void;
}

/** The database could not be reached; the GraphQL layer turns this into an UNAVAILABLE error. */
export class DatabaseUnavailable extends Error {
  constructor(cause: unknown, message = 'The database is unavailable; try again shortly.') {
    super(message, { cause });
    this.name = 'DatabaseUnavailable';
  }
}

/** No pooled connection came free in time: fail fast (answered UNAVAILABLE, with Retry-After) rather than queue. */
export class DatabaseBusy extends DatabaseUnavailable {
  constructor(cause: unknown) {
    super(cause, 'The database is busy: no connection came free in time; retry in a second.');
    this.name = 'DatabaseBusy';
  }
}

/** The request's time budget ended (or its client left): Neo4j was told to stop, nothing more runs for it. */
export class RequestBudgetEnded extends DatabaseUnavailable {
  constructor(
    readonly why: BudgetEnd,
    budgetMs: number,
  ) {
    super(
      why,
      why === 'timeout'
        ? `The request ran past its time budget of ${budgetMs} ms and was stopped; ask for less or try again.`
        : 'The client went away; the request was stopped.',
    );
    this.name = 'RequestBudgetEnded';
  }
}

/** Defaults of the driver's pool; `createDriver` takes others. */
export const POOL_DEFAULTS = { maxConnectionPoolSize: 100, connectionAcquisitionTimeout: 10_000 };
/**
 * How long a transaction waits for one of the pool's sessions before failing with DatabaseBusy. The
 * driver's own acquisition timeout cannot be this short: it also covers opening a new connection, which
 * takes seconds on a loaded machine; the gate in front of it only counts sessions in use.
 */
export const POOL_WAIT_MS = 1000;

const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.ClientError.Security.AuthorizationExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Database.DatabaseNotFound',
]);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    /ECONNREFUSED|ECONNRESET|Connection was closed|Failed to connect|Pool is closed/i.test(
      String((error as Error)?.message),
    )
  );
}

function isPoolExhausted(error: unknown): boolean {
  return /Connection acquisition timed out/i.test(String((error as Error)?.message));
}

/** Neo4j stopped the transaction at its timeout, or because the session was reset when the client left. */
function isTerminated(error: unknown): boolean {
  return /TransactionTimedOut|Transaction\.Terminated|LockClient\.Stopped/.test(
    String((error as { code?: string })?.code),
  );
}

export function createDriver(
  uri: string,
  user: string,
  password: string | undefined,
  pool: Partial<typeof POOL_DEFAULTS> = {},
): Driver {
  return neo4j.driver(
    uri,
    password === undefined ? neo4j.auth.basic(user, '') : neo4j.auth.basic(user, password),
    {
      // Integers come back as JS numbers: our counts and ids stay far below 2^53.
      disableLosslessIntegers: true,
      connectionTimeout: 5000,
      ...POOL_DEFAULTS,
      ...pool,
      // Fail fast when the database is down rather than retrying for the default 30 seconds.
      maxTransactionRetryTime: 3000,
      userAgent: 'ai-exposure-graph',
    },
  );
}

export class Database {
  constructor(
    readonly driver: Driver,
    readonly databaseName: string,
    private readonly log: Logger,
    private readonly observer?: QueryObserver,
    private readonly budget?: RequestBudget,
    /** Sessions open at once over the whole pool: more wait POOL_WAIT_MS, then fail fast (DatabaseBusy). */
    private readonly pool = new SessionSlots(POOL_DEFAULTS.maxConnectionPoolSize),
  ) {}

  /** The same connection pool, reporting its queries to another observer (one per GraphQL request). */
  observed(observer: QueryObserver): Database {
    return new Database(this.driver, this.databaseName, this.log, observer, this.budget, this.pool);
  }

  /**
   * The same connection pool within one request's budget: each transaction gets the time left as Neo4j's
   * transaction timeout, waits for one of the request's session slots, and is rolled back on the server
   * (the session is reset) as soon as the budget ends or the client goes away.
   */
  within(budget: RequestBudget): Database {
    return new Database(this.driver, this.databaseName, this.log, this.observer, budget, this.pool);
  }

  read<R>(work: (query: Query) => Promise<R>): Promise<R> {
    return this.transaction('READ', work);
  }

  write<R>(work: (query: Query) => Promise<R>): Promise<R> {
    return this.transaction('WRITE', work);
  }

  /** One query in its own read transaction. */
  readRows<T = Row>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.read((query) => query<T>(cypher, params));
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async transaction<R>(mode: 'READ' | 'WRITE', work: (query: Query) => Promise<R>): Promise<R> {
    const budget = this.budget;
    const ended = () => new RequestBudgetEnded(budget!.signal.reason as BudgetEnd, budget!.budgetMs);
    let release: (() => void) | undefined;
    if (budget) release = await budget.sessions.acquire(budget.signal).catch(() => Promise.reject(ended()));
    const waited = AbortSignal.timeout(POOL_WAIT_MS);
    const releasePool = await this.pool
      .acquire(budget ? AbortSignal.any([budget.signal, waited]) : waited)
      .catch((error: unknown) => {
        release?.();
        return Promise.reject(budget?.signal.aborted ? ended() : new DatabaseBusy(error));
      });
    const session = this.driver.session({
      database: this.databaseName,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    // Closing a session with an open transaction resets the connection, which terminates the query on Neo4j.
    let rejectOnEnd: (error: Error) => void = () => undefined;
    const onEnd = () => {
      rejectOnEnd(ended());
      void session.close().catch(() => undefined);
    };
    budget?.signal.addEventListener('abort', onEnd, { once: true });
    try {
      const body = (tx: ManagedTransaction) => work(this.queryIn(tx));
      const config = budget ? { timeout: Math.max(1, Math.ceil(budget.deadline - performance.now())) } : {};
      const run = mode === 'READ' ? session.executeRead(body, config) : session.executeWrite(body, config);
      if (!budget) return await run;
      run.catch(() => undefined); // the race below may settle first
      return await Promise.race([run, new Promise<never>((_, reject) => (rejectOnEnd = reject))]);
    } catch (error) {
      if (budget && (budget.signal.aborted || isTerminated(error))) {
        throw budget.signal.aborted ? ended() : new RequestBudgetEnded('timeout', budget.budgetMs);
      }
      if (isPoolExhausted(error)) throw new DatabaseBusy(error);
      if (isUnavailable(error)) throw new DatabaseUnavailable(error);
      throw error;
    } finally {
      budget?.signal.removeEventListener('abort', onEnd);
      await session.close().catch(() => undefined);
      releasePool();
      release?.();
    }
  }

  private queryIn(tx: ManagedTransaction): Query {
    return async <T>(cypher: string, params: Params = {}) => {
      const started = performance.now();
      const result = await tx.run(cypher, params);
      const ms = performance.now() - started;
      this.observer?.onQuery(cypher, params, ms);
      if (this.log.isLevelEnabled('debug')) {
        this.log.debug('cypher', {
          ms: Math.round(ms * 10) / 10,
          rows: result.records.length,
          cypher: oneLine(cypher),
        });
      }
      return result.records.map((record) => record.toObject() as T);
    };
  }
}

function oneLine(cypher: string): string {
  return cypher.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** JS numbers reach Cypher as floats; LIMIT, SKIP and ranges need integers. */
export const int = (value: number) => neo4j.int(value);
