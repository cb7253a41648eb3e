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

export interface LoaderOptions {
  /** On by default; off answers level by level (the setting READ_AHEAD, and the tests comparing both). */
  readAhead?: boolean;
}

export function createLoaders(db: Database, { readAhead = true }: LoaderOptions = {}): Loaders {
  const record = new DataLoader<string, NodeRow | null>(async (ids) => {
    const rows = await db.read((query) => fetchRecords(query, ids));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const edgeLoaders = new Map<string, DataLoader<string, EdgeRow[]>>();
  const linkedLoaders = new Map<string, DataLoader<string, NodeRow[]>>();

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
        loader = new DataLoader<string, EdgeRow[]>(async (ids) => {
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
        loader = new DataLoader<string, NodeRow[]>(async (ids) => {
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
