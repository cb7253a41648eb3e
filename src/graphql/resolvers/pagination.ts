import { countRecordsKnownAt, fetchRecordPageKnownAt } from '../../queries/knownAsOf';
import { countRecords, fetchRecordPage, type RecordFilter } from '../../queries/recordPages';
import type { ConnectionRow, RowOf } from '../../records/rows';
import type { Label } from '../../records/vocabulary';
import { ARGUMENT_DEFAULTS, type Context } from '../context';
import { badInput } from '../errors';
import { contextAt, stamp } from '../knownAsOf';
import { rowOf } from './shared';

/**
 * Cursor pagination in id order. The cursor is the last id seen, base64url-encoded; `first` is bounded by
 * MAX_PAGE_SIZE. The filter comes from queries/recordFilters.ts; `totalCount` is counted only when asked.
 * With `knownAsOf`, the list as the database knew it then (src/graphql/knownAsOf.ts), its rows carrying the instant.
 */
export async function paginate<L extends Label>(
  ctx: Context,
  label: L,
  filter: RecordFilter,
  first: number | null | undefined,
  after: string | null | undefined,
  knownAsOf?: string | null,
): Promise<ConnectionRow<RowOf<L>>> {
  const limit = first ?? ARGUMENT_DEFAULTS.pageSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
    throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
  }
  const afterId = after != null ? decodeCursor(after) : null;
  const rows = await ctx.db.read((query) =>
    knownAsOf
      ? fetchRecordPageKnownAt(query, label, filter, afterId, limit + 1, knownAsOf)
      : fetchRecordPage(query, label, filter, afterId, limit + 1),
  );
  const page = rows.slice(0, limit).map((row) => rowOf(row, [label]));
  const loaders = contextAt(ctx, knownAsOf).loaders;
  for (const row of page) {
    if (knownAsOf) stamp(row, knownAsOf);
    loaders.record.prime(row.id, row);
  }
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  let count: Promise<number> | null = null;
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () =>
      (count ??= ctx.db.read((query) =>
        knownAsOf ? countRecordsKnownAt(query, label, filter, knownAsOf) : countRecords(query, label, filter),
      )),
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
