import neo4j, { type Driver, type ManagedTransaction, type Session, type Transaction } from 'neo4j-driver';
import type { Logger } from '../log';
import { SessionSlots, onAbort, type BudgetEnd, type RequestBudget } from './requestBudget';

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
    /** Set on a copy made by `sharingReads`: the one read transaction its reads go through. */
    private readonly shared?: SharedReads,
  ) {}

  /** The same connection pool, reporting its queries to another observer (one per GraphQL request). */
  observed(observer: QueryObserver): Database {
    return new Database(this.driver, this.databaseName, this.log, observer, this.budget, this.pool);
  }

  /**
   * The same connection pool, with every read of this copy sent through one read transaction: opened by the
   * first read, and committed as soon as no read is in flight and none began in the same turn of the event
   * loop (GraphQL resolves a level, and its loaders dispatch the next one, before the loop turns). One request
   * then costs one session and one BEGIN/COMMIT instead of one per query, and its queries are pipelined on one
   * connection. Writes still get transactions of their own.
   */
  sharingReads(): Database {
    const copy: Database = new Database(
      this.driver,
      this.databaseName,
      this.log,
      this.observer,
      this.budget,
      this.pool,
      new SharedReads(
        (tx) => copy.queryIn(tx),
        () => this.openTransaction('READ'),
        (work) => copy.autoCommitRead(work),
      ),
    );
    return copy;
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
    return this.shared ? this.shared.run(work) : this.transaction('READ', work);
  }

  write<R>(work: (query: Query) => Promise<R>): Promise<R> {
    return this.transaction('WRITE', work);
  }

  /**
   * One small read on its own, without BEGIN/COMMIT and outside the shared read transaction of a copy made by
   * `sharingReads`, so it leaves that copy's first read its auto-commit: the response cache's read of the
   * version counter before a request, which a cache miss must not turn into one more round trip.
   */
  readAlone<R>(work: (query: Query) => Promise<R>): Promise<R> {
    return this.autoCommitRead(work);
  }

  /** One query in its own read transaction. */
  readRows<T = Row>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.read((query) => query<T>(cypher, params));
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private budgetEnded(): RequestBudgetEnded {
    const budget = this.budget!;
    return new RequestBudgetEnded(budget.signal.reason as BudgetEnd, budget.budgetMs);
  }

  /**
   * A session of the pool within the request's limits: one of the request's session slots, one of the pool's
   * (waiting at most POOL_WAIT_MS), and, when the budget ends, the session closed, which resets its connection
   * and so terminates whatever Neo4j runs for it; `ended` rejects at that moment.
   */
  private async openSession(mode: 'READ' | 'WRITE'): Promise<OpenSession> {
    const budget = this.budget;
    let release: (() => void) | undefined;
    if (budget)
      release = await budget.sessions.acquire(budget.signal).catch(() => Promise.reject(this.budgetEnded()));
    const releasePool = await this.pool
      .acquire(budget?.signal ?? NEVER_ABORTED, POOL_WAIT_MS)
      .catch((error: unknown) => {
        release?.();
        return Promise.reject(budget?.signal.aborted ? this.budgetEnded() : new DatabaseBusy(error));
      });
    const session = this.driver.session({
      database: this.databaseName,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    let rejectOnEnd: (error: Error) => void = () => undefined;
    const ended = new Promise<never>((_, reject) => (rejectOnEnd = reject));
    ended.catch(() => undefined); // raced only while a transaction runs
    const stopWatching = budget
      ? onAbort(budget.signal, () => {
          rejectOnEnd(this.budgetEnded());
          void session.close().catch(() => undefined);
        })
      : () => undefined;
    return {
      session,
      ended,
      timeout: budget ? Math.max(1, Math.ceil(budget.deadline - performance.now())) : undefined,
      async close() {
        stopWatching();
        await session.close().catch(() => undefined);
        releasePool();
        release?.();
      },
    };
  }

  /** Driver and Neo4j errors as ours: the budget's end, a busy pool, an unreachable database. */
  private translateError(error: unknown): unknown {
    const budget = this.budget;
    if (budget && (budget.signal.aborted || isTerminated(error))) {
      return budget.signal.aborted ? this.budgetEnded() : new RequestBudgetEnded('timeout', budget.budgetMs);
    }
    if (isPoolExhausted(error)) return new DatabaseBusy(error);
    if (isUnavailable(error)) return new DatabaseUnavailable(error);
    return error;
  }

  /** An explicit transaction of its own session, for SharedReads; `close` ends both. */
  private async openTransaction(mode: 'READ' | 'WRITE'): Promise<OpenTransaction> {
    const open = await this.openSession(mode);
    try {
      const tx = open.session.beginTransaction(open.timeout === undefined ? {} : { timeout: open.timeout });
      return {
        tx,
        race: <T>(work: Promise<T>) => {
          work.catch(() => undefined); // the race below may settle first
          return Promise.race([work, open.ended]).catch((error: unknown) => {
            throw this.translateError(error);
          });
        },
        async close() {
          if (tx.isOpen()) await tx.commit().catch(() => undefined);
          await open.close();
        },
      };
    } catch (error) {
      await open.close();
      throw this.translateError(error);
    }
  }

  /**
   * Reads whose queries each run as an implicit (auto-commit) transaction of one session: RUN and PULL only,
   * without BEGIN and COMMIT, the two extra messages (and flushes) an explicit transaction costs. For reads
   * this changes no answer: Neo4j's isolation is read-committed, so each query of an explicit read transaction
   * sees what was committed when it ran, as an auto-commit query does.
   */
  private autoCommitRead<R>(work: (query: Query) => Promise<R>): Promise<R> {
    return this.inSession('READ', (session, config) =>
      work(this.queryIn({ run: (cypher, params) => session.run(cypher, params, config) })),
    );
  }

  private transaction<R>(mode: 'READ' | 'WRITE', work: (query: Query) => Promise<R>): Promise<R> {
    return this.inSession(mode, (session, config) => {
      const body = (tx: ManagedTransaction) => work(this.queryIn(tx));
      return mode === 'READ' ? session.executeRead(body, config) : session.executeWrite(body, config);
    });
  }

  /**
   * Runs `run` in a session of its own, with the request's time left as the transaction timeout, cut short
   * when the request's budget ends, its errors translated, and the session closed whatever happens.
   */
  private async inSession<R>(
    mode: 'READ' | 'WRITE',
    run: (session: Session, config: { timeout?: number }) => Promise<R>,
  ): Promise<R> {
    const open = await this.openSession(mode);
    try {
      const config = open.timeout === undefined ? {} : { timeout: open.timeout };
      const running = run(open.session, config);
      if (!this.budget) return await running;
      running.catch(() => undefined); // the race below may settle first
      return await Promise.race([running, open.ended]);
    } catch (error) {
      throw this.translateError(error);
    } finally {
      await open.close();
    }
  }

  private queryIn(tx: Pick<ManagedTransaction, 'run'>): Query {
    return async <T>(cypher: string, params: Params = {}) => {
      const started = performance.now();
      // The driver keeps the caller's stack with every query (new Error().stack, read at once) to give a failure
      // later; with source maps on (tsx) formatting it mapped every frame, a twentieth of a small request's CPU
      // (bench:peer, issue 15). The trade: a Neo4j error keeps its message and code, but its stack no longer
      // names the function that sent the query.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      let running: ReturnType<typeof tx.run>;
      try {
        running = tx.run(cypher, params);
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      const result = await running;
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

/** The signal of a caller without a budget: nothing ends its wait for a session but POOL_WAIT_MS. */
const NEVER_ABORTED = new AbortController().signal;

/** JS numbers reach Cypher as floats; LIMIT, SKIP and ranges need integers. */
export const int = (value: number) => neo4j.int(value);

interface OpenSession {
  session: Session;
  /** Rejects (RequestBudgetEnded) when the request's budget ends or its client leaves. */
  ended: Promise<never>;
  /** Milliseconds left of the budget: Neo4j's transaction timeout. */
  timeout: number | undefined;
  close(): Promise<void>;
}

interface OpenTransaction {
  tx: Transaction;
  /** The work, or the budget's end if that comes first, with errors translated as for any transaction. */
  race<T>(work: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * One read transaction shared by the reads of one copy of Database (see `sharingReads`), unless the first read
 * is alone in its turn of the event loop: that one runs without BEGIN/COMMIT (auto-commit). The transaction is
 * opened by the first read that needs it and closed once no read is in flight and no other began before the
 * event loop turned (setImmediate), so a request that resolves level after level keeps it, and nothing is left
 * open when the request is done, even if nobody tells it so. A query that fails takes its transaction down (Neo4j rolls it
 * back), so the next read opens a fresh one.
 */
class SharedReads {
  private current: Promise<OpenTransaction> | null = null;
  private inFlight = 0;
  private closing: NodeJS.Immediate | null = null;

  /** Whether a read has run yet: the first runs without an explicit transaction (see `run`). */
  private started = false;

  constructor(
    private readonly queryIn: (tx: Transaction) => Query,
    private readonly open: () => Promise<OpenTransaction>,
    private readonly autoCommit: <R>(work: (query: Query) => Promise<R>) => Promise<R>,
  ) {}

  async run<R>(work: (query: Query) => Promise<R>): Promise<R> {
    if (!this.started) {
      // Most requests read once (a read-ahead answers the whole tree in one query): that read goes without
      // BEGIN and COMMIT. Reads that begin in the same turn of the event loop share one transaction, as do
      // reads that begin after the first one.
      this.started = true;
      await new Promise((resolve) => setImmediate(resolve));
      if (this.inFlight === 0 && !this.current) return this.autoCommit(work);
    }
    if (this.closing) clearImmediate(this.closing);
    this.closing = null;
    this.inFlight++;
    const opening = (this.current ??= this.open());
    try {
      const open = await opening;
      try {
        return await open.race(work(this.queryIn(open.tx)));
      } catch (error) {
        // A Neo4j error or the budget's end takes the transaction down; an error of our own code does not.
        if ((error as { code?: unknown }).code !== undefined || error instanceof DatabaseUnavailable) {
          if (this.current === opening) this.current = null;
          void open.close();
        }
        throw error;
      }
    } catch (error) {
      if (this.current === opening) this.current = null;
      throw error;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.current) this.closing = setImmediate(() => this.closeIdle());
    }
  }

  private closeIdle(): void {
    this.closing = null;
    const opening = this.current;
    if (this.inFlight > 0 || !opening) return;
    this.current = null;
    void opening.then((open) => open.close()).catch(() => undefined);
  }
}
