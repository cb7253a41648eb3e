import { int } from '../../db/database';
import type { Context } from '../context';
import { badInput } from '../errors';
import { NODE_PROJECTION } from '../../records/projection';
import type { ConnectionRow, NodeRow } from '../../records/rows';

/**
 * Cursor pagination in id order. The cursor is the last id seen, base64url-encoded; `first` is bounded by
 * MAX_PAGE_SIZE. `where` holds fixed Cypher fragments written in code, the values always in `params`.
 */
export async function paginate<T extends NodeRow>(
  ctx: Context,
  label: string,
  where: string[],
  params: Record<string, unknown>,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<ConnectionRow> {
  const limit = first ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
    throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
  }
  const afterId = after != null ? decodeCursor(after) : null;
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const rows = await ctx.db.readRows<{ row: T }>(
    `MATCH (n:${label}) ${filter}
     WITH n WHERE $after IS NULL OR n.id > $after
     RETURN ${NODE_PROJECTION} AS row ORDER BY n.id LIMIT $limit`,
    { ...params, after: afterId, limit: int(limit + 1) },
  );
  const page = rows.slice(0, limit).map((r) => r.row);
  for (const row of page) ctx.loaders.record.prime(row.id, row);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  let count: Promise<number> | null = null;
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () =>
      (count ??= ctx.db
        .readRows<{ total: number }>(`MATCH (n:${label}) ${filter} RETURN count(n) AS total`, params)
        .then((r) => r[0]?.total ?? 0)),
  };
}

export function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('id:') || encodeCursor(text.slice(3)) !== cursor) {
    throw badInput('after', 'must be an endCursor returned by this list', cursor);
  }
  return text.slice(3);
}
