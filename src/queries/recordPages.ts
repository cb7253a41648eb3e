import { int, type Query } from '../db/database';
import { NODE_PROJECTION } from '../records/projection';
import type { NodeRow } from '../records/rows';
import type { Label } from '../records/vocabulary';

/**
 * A filter on one kind of record: fixed Cypher conditions on `n` written in this folder, the values always
 * in `params`. Built by ./recordFilters.ts from a list's arguments.
 */
export interface RecordFilter {
  where: string[];
  params: Record<string, unknown>;
}

const whereClause = (filter: RecordFilter) =>
  filter.where.length > 0 ? `WHERE ${filter.where.join(' AND ')}` : '';

/** Up to `limit` records of `label` matching `filter`, in id order, after the id `after` (exclusive). */
export async function fetchRecordPage(
  query: Query,
  label: Label,
  filter: RecordFilter,
  after: string | null,
  limit: number,
): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(
    `MATCH (n:${label}) ${whereClause(filter)}
     WITH n WHERE $after IS NULL OR n.id > $after
     RETURN ${NODE_PROJECTION} AS row ORDER BY n.id LIMIT $limit`,
    { ...filter.params, after, limit: int(limit) },
  );
  return rows.map((r) => r.row);
}

/** How many records of `label` match `filter`. */
export async function countRecords(query: Query, label: Label, filter: RecordFilter): Promise<number> {
  const rows = await query<{ total: number }>(
    `MATCH (n:${label}) ${whereClause(filter)} RETURN count(n) AS total`,
    filter.params,
  );
  return rows[0]?.total ?? 0;
}

/** Every country, by code. */
export async function fetchCountries(query: Query): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(
    `MATCH (n:Country) RETURN ${NODE_PROJECTION} AS row ORDER BY n.code`,
  );
  return rows.map((r) => r.row);
}
