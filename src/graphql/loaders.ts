import DataLoader from 'dataloader';
import type { Database } from '../db/database';
import type { EdgeRow, NodeRow } from './rows';

/**
 * Per-request batching, so a nested query over 50 organizations sends a handful of Cypher queries, not
 * hundreds: every record by id goes through `record`; every list of relationships through one loader per
 * relationship type and direction. Each batch function returns values in key order (dataloader's contract).
 */
export type Direction = 'OUT' | 'IN';

export interface Loaders {
  record: DataLoader<string, NodeRow | null>;
  /** Relationship records (OWNS, CONTROLS, …) at a node, with their endpoints' ids. */
  edges(type: string, direction: Direction): DataLoader<string, EdgeRow[]>;
  /** Nodes linked to a node by a reference relationship (DEVELOPED_BY, ALLEGED_BY, …). */
  linked(type: string, direction: Direction): DataLoader<string, NodeRow[]>;
  /** DERIVED_FROM relationships by the allegation they rest on (their `allegation` property). */
  derivationsByAllegation: DataLoader<string, EdgeRow[]>;
}

/** Relationship types a resolver may ask for: they are spliced into Cypher, so only these are allowed. */
const TYPES = new Set([
  'OWNS',
  'CONTROLS',
  'DERIVED_FROM',
  'OFFERS',
  'DESIGNATES',
  'DEVELOPED_BY',
  'OPERATED_BY',
  'ISSUED_BY',
  'TARGETS',
  'COVERS_MODELS_OF',
  'COVERS_MODEL',
  'REACHES',
  'ALLEGED_BY',
  'AGAINST',
  'CONCERNS_MODEL',
  'CONCERNS_SOURCE_MODEL',
  'HEADQUARTERED_IN',
  'INCORPORATED_IN',
]);

export const NODE_PROJECTION = `n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}`;

export function createLoaders(db: Database): Loaders {
  const record = new DataLoader<string, NodeRow | null>(async (ids) => {
    const rows = await db.readRows<{ row: NodeRow }>(
      `MATCH (n:Record) WHERE n.id IN $ids RETURN ${NODE_PROJECTION} AS row`,
      { ids: [...ids] },
    );
    const byId = new Map(rows.map((r) => [r.row.id, r.row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const edgeLoaders = new Map<string, DataLoader<string, EdgeRow[]>>();
  const linkedLoaders = new Map<string, DataLoader<string, NodeRow[]>>();

  const pattern = (type: string, direction: Direction) => {
    if (!TYPES.has(type)) throw new Error(`Unknown relationship type ${type}`);
    return direction === 'OUT' ? `(k:Record)-[r:${type}]->(n:Record)` : `(k:Record)<-[r:${type}]-(n:Record)`;
  };

  // An alleged derivation may concern a model the allegation does not list (the `*-unspecified`
  // placeholders), so derivations are found by their own `allegation` property, not via accusedModels.
  const derivationsByAllegation = new DataLoader<string, EdgeRow[]>(async (ids) => {
    const rows = await db.readRows<{ key: string; edge: EdgeRow }>(
      `MATCH (c:Record)-[r:DERIVED_FROM]->(p:Record) WHERE r.allegation IN $ids
       RETURN r.allegation AS key, r {.*, _from: c.id, _to: p.id} AS edge
       ORDER BY r.startDate, r.id`,
      { ids: [...ids] },
    );
    return group(ids, rows, (r) => r.edge);
  });

  return {
    record,
    derivationsByAllegation,
    edges(type, direction) {
      const key = `${type}:${direction}`;
      let loader = edgeLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, EdgeRow[]>(async (ids) => {
          const ends = direction === 'OUT' ? '_from: k.id, _to: n.id' : '_from: n.id, _to: k.id';
          const rows = await db.readRows<{ key: string; edge: EdgeRow; other: NodeRow }>(
            `MATCH ${pattern(type, direction)} WHERE k.id IN $ids
             RETURN k.id AS key, r {.*, ${ends}} AS edge, ${NODE_PROJECTION} AS other
             ORDER BY r.startDate, r.id`,
            { ids: [...ids] },
          );
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
          const rows = await db.readRows<{ key: string; other: NodeRow }>(
            `MATCH ${pattern(type, direction)} WHERE k.id IN $ids
             RETURN k.id AS key, ${NODE_PROJECTION} AS other ORDER BY n.id`,
            { ids: [...ids] },
          );
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
