import type { Context } from '../context';
import type { Direction, RelationshipType } from '../../records/vocabulary';
import type { EdgeRow, NodeRow, ShareRow, SourceRow } from '../../records/rows';

// Rows come from Neo4j untyped; the generated resolver types check each resolver's declared row type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRow = any;

/** A record another record points to; the loader guarantees both were written together. */
export async function ref<T = AnyRow>(ctx: Context, id: string): Promise<T> {
  const row = await ctx.loaders.record.load(id);
  if (!row) throw new Error(`Dangling reference to ${id}`);
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

/** In force on `asOf` (inclusive at both ends); without `asOf`, the whole history. */
export function inForce(
  row: { startDate?: string | null; endDate?: string | null },
  asOf: string | null | undefined,
): boolean {
  if (!asOf) return true;
  return (!row.startDate || row.startDate <= asOf) && (!row.endDate || asOf <= row.endDate);
}

export async function edges(
  ctx: Context,
  id: string,
  type: RelationshipType,
  direction: Direction,
  asOf?: string | null,
): Promise<EdgeRow[]> {
  const all = await ctx.loaders.edges(type, direction).load(id);
  return all.filter((e) => inForce(e, asOf));
}

export function linked<T = AnyRow>(
  ctx: Context,
  id: string,
  type: RelationshipType,
  direction: Direction,
): Promise<T[]> {
  return ctx.loaders.linked(type, direction).load(id) as Promise<T[]>;
}

/** The share named `prefix` (share, votingShare, economicShare) of an ownership edge, or null if absent. */
export function shareOf(edge: EdgeRow, prefix: string): ShareRow | null {
  const pick = (k: string) => edge[`${prefix}${k}`] as number | undefined;
  const share: ShareRow = {
    exact: pick('Exact'),
    minimum: pick('Minimum'),
    maximum: pick('Maximum'),
    exclusiveMinimum: pick('ExclusiveMinimum'),
    exclusiveMaximum: pick('ExclusiveMaximum'),
  };
  return Object.values(share).some((v) => v !== undefined) ? share : null;
}

/**
 * The share as the SDL documents it: `100%`, `20–25%`, `>25–50%`, `<0.5%`, `≤24.99%`, `unknown`. A range
 * writes the percent sign once, after its upper end, as people write ranges.
 */
export function displayShare(share: ShareRow): string {
  const num = (n: number) => `${Number(n.toFixed(4))}`;
  const low =
    share.exclusiveMinimum !== undefined
      ? `>${num(share.exclusiveMinimum)}`
      : share.minimum !== undefined
        ? num(share.minimum)
        : null;
  const high =
    share.exclusiveMaximum !== undefined
      ? `<${num(share.exclusiveMaximum)}`
      : share.maximum !== undefined
        ? num(share.maximum)
        : null;
  if (share.exact !== undefined) return `${num(share.exact)}%`;
  if (low && high) return `${low}–${high}%`;
  if (low) return share.exclusiveMinimum !== undefined ? `${low}%` : `≥${low}%`;
  if (high) return share.exclusiveMaximum !== undefined ? `${high}%` : `≤${high}%`;
  return 'unknown';
}
