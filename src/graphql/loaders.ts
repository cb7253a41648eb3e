import DataLoader from 'dataloader';
import type { Database } from '../db/database';
import {
  fetchDerivationsByAllegation,
  fetchLinked,
  fetchRecords,
  fetchRelationships,
} from '../queries/records';
import type { EdgeRow, NodeRow } from '../records/rows';
import type { Direction, RelationshipType } from '../records/vocabulary';

export type { Direction } from '../records/vocabulary';

/**
 * Per-request batching, so a nested query over 50 organizations sends a handful of Cypher queries, not
 * hundreds: every record by id goes through `record`; every list of relationships through one loader per
 * relationship type and direction. Each batch function returns values in key order (dataloader's contract).
 */
export interface Loaders {
  record: DataLoader<string, NodeRow | null>;
  /** Relationship records (OWNS, CONTROLS, …) at a node, with their endpoints' ids. */
  edges(type: RelationshipType, direction: Direction): DataLoader<string, EdgeRow[]>;
  /** Nodes linked to a node by a reference relationship (DEVELOPED_BY, ALLEGED_BY, …). */
  linked(type: RelationshipType, direction: Direction): DataLoader<string, NodeRow[]>;
  /** DERIVED_FROM relationships by the allegation they rest on (their `allegation` property). */
  derivationsByAllegation: DataLoader<string, EdgeRow[]>;
  /** Whether root fields read the levels they can see ahead in one query and prime these loaders (lookahead.ts). */
  readAhead: boolean;
}

/**
 * A DataLoader that also answers synchronously for what it already holds (primed, or loaded by an earlier
 * batch): `loadNow` returns the value itself, not a promise. A resolver returning a plain value lets
 * graphql-js complete the field, and the whole subtree below it, without a promise per field; for a tree
 * read ahead in one query (lookahead.ts) that is most of a request's JavaScript time (bench:peer, issue 15).
 * What `loadNow` returns is always what `load` would resolve to: both read one cache, filled once per key.
 */
export class KnownLoader<K, V> extends DataLoader<K, V> {
  /** Settled values, as DataLoader's cache holds them. */
  private readonly known: Map<K, V>;
  /** Keys DataLoader's cache holds (loaded, being loaded, or primed): `prime` leaves those alone, as it does. */
  private readonly held = new Set<K>();

  constructor(batch: (keys: readonly K[]) => Promise<V[]>) {
    const known = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => {
        const value = values[i]!;
        if (!(value instanceof Error) && !known.has(key)) known.set(key, value);
      });
      return values;
    });
    this.known = known;
  }

  /** The value held for `key` now, or `undefined` if it is not loaded yet. */
  peek(key: K): V | undefined {
    return this.known.get(key);
  }

  /** The value held for `key` if there is one, else the promise of loading it (batched as `load`). */
  loadNow(key: K): V | Promise<V> {
    return this.known.has(key) ? this.known.get(key)! : this.load(key);
  }

  override load(key: K): Promise<V> {
    this.held.add(key);
    return super.load(key);
  }

  /** As DataLoader's: a key already held (loaded or being loaded) keeps its value. */
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!this.held.has(key)) {
      this.held.add(key);
      if (!(value instanceof Error) && !isThenable(value)) this.known.set(key, value);
    }
    return super.prime(key, value);
  }

  /** DataLoader also calls this for the keys of a batch that failed, so they are loaded again next time. */
  override clear(key: K): this {
    this.held.delete(key);
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.held.clear();
    this.known.clear();
    return super.clearAll();
  }
}

/** What a loader holds for `key` as a plain value if it is a KnownLoader holding it, else `load(key)`. */
export function loadNow<K, V>(loader: DataLoader<K, V>, key: K): V | Promise<V> {
  return loader instanceof KnownLoader ? (loader as KnownLoader<K, V>).loadNow(key) : loader.load(key);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

export interface LoaderOptions {
  /** On by default; off answers level by level (the setting READ_AHEAD, and the tests comparing both). */
  readAhead?: boolean;
}

export function createLoaders(db: Database, { readAhead = true }: LoaderOptions = {}): Loaders {
  const record = new KnownLoader<string, NodeRow | null>(async (ids) => {
    const rows = await db.read((query) => fetchRecords(query, ids));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const edgeLoaders = new Map<string, KnownLoader<string, EdgeRow[]>>();
  const linkedLoaders = new Map<string, KnownLoader<string, NodeRow[]>>();

  const derivationsByAllegation = new DataLoader<string, EdgeRow[]>(async (ids) => {
    const rows = await db.read((query) => fetchDerivationsByAllegation(query, ids));
    return group(ids, rows, (r) => r.edge);
  });

  return {
    record,
    derivationsByAllegation,
    readAhead,
    edges(type, direction) {
      const key = `${type}:${direction}`;
      let loader = edgeLoaders.get(key);
      if (!loader) {
        loader = new KnownLoader<string, EdgeRow[]>(async (ids) => {
          const rows = await db.read((query) => fetchRelationships(query, type, direction, ids));
          return group(ids, rows, (r) => {
            record.prime(r.other.id, r.other);
            return r.edge;
          });
        });
        edgeLoaders.set(key, loader);
      }
      return loader;
    },
    linked(type, direction) {
      const key = `${type}:${direction}`;
      let loader = linkedLoaders.get(key);
      if (!loader) {
        loader = new KnownLoader<string, NodeRow[]>(async (ids) => {
          const rows = await db.read((query) => fetchLinked(query, type, direction, ids));
          return group(ids, rows, (r) => {
            record.prime(r.other.id, r.other);
            return r.other;
          });
        });
        linkedLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

function group<R extends { key: string }, T>(ids: readonly string[], rows: R[], pick: (row: R) => T): T[][] {
  const byKey = new Map<string, T[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push(pick(row));
    byKey.set(row.key, list);
  }
  return ids.map((id) => byKey.get(id) ?? []);
}
