import { inForce, invariant } from '../../reasoning';
import type { Context } from '../context';
import type { Direction, RelationshipType } from '../../records/vocabulary';
import type { EdgeRow, SourceRow } from '../../records/rows';

// Rows come from Neo4j untyped; the generated resolver types check each resolver's declared row type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRow = any;

/** A record another record points to; the loader guarantees both were written together. */
export async function ref<T = AnyRow>(ctx: Context, id: string): Promise<T> {
  const row = await ctx.loaders.record.load(id);
  invariant(row, `Dangling reference to ${id}`);
  return row as T;
}

export async function refs<T = AnyRow>(ctx: Context, ids: readonly string[] | undefined): Promise<T[]> {
  if (!ids || ids.length === 0) return [];
  const rows = await ctx.loaders.record.loadMany(ids);
  return rows.filter((r) => r !== null && !(r instanceof Error)) as T[];
}

export function sources(row: { sourceIds?: string[] }, _args: unknown, ctx: Context): Promise<SourceRow[]> {
  return refs<SourceRow>(ctx, row.sourceIds);
}

export const aliases = (row: { aliases?: string[] }) => row.aliases ?? [];

/** Whether a dated record is in the answer: with `asOf`, reasoning's `inForce` rule; without, the whole history. */
export function inAnswerOn(
  row: { startDate?: string | null; endDate?: string | null },
  asOf: string | null | undefined,
): boolean {
  return asOf ? inForce(row, asOf) : true;
}

export async function edges(
  ctx: Context,
  id: string,
  type: RelationshipType,
  direction: Direction,
  asOf?: string | null,
): Promise<EdgeRow[]> {
  const all = await ctx.loaders.edges(type, direction).load(id);
  return all.filter((e) => inAnswerOn(e, asOf));
}

export function linked<T = AnyRow>(
  ctx: Context,
  id: string,
  type: RelationshipType,
  direction: Direction,
): Promise<T[]> {
  return ctx.loaders.linked(type, direction).load(id) as Promise<T[]>;
}
