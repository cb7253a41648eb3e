import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { Logger } from '../log';

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
  constructor(cause: unknown) {
    super('The database is unavailable; try again shortly.', { cause });
    this.name = 'DatabaseUnavailable';
  }
}

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

export function createDriver(uri: string, user: string, password: string | undefined): Driver {
  return neo4j.driver(
    uri,
    password === undefined ? neo4j.auth.basic(user, '') : neo4j.auth.basic(user, password),
    {
      // Integers come back as JS numbers: our counts and ids stay far below 2^53.
      disableLosslessIntegers: true,
      connectionTimeout: 5000,
      connectionAcquisitionTimeout: 10000,
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
  ) {}

  /** The same connection pool, reporting its queries to another observer (one per GraphQL request). */
  observed(observer: QueryObserver): Database {
    return new Database(this.driver, this.databaseName, this.log, observer);
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
    const session = this.driver.session({
      database: this.databaseName,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    try {
      const body = (tx: ManagedTransaction) => work(this.queryIn(tx));
      return mode === 'READ' ? await session.executeRead(body) : await session.executeWrite(body);
    } catch (error) {
      if (isUnavailable(error)) throw new DatabaseUnavailable(error);
      throw error;
    } finally {
      await session.close();
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
