import { inForce, invariant } from '../../reasoning';
import type { Context } from '../context';
import { at } from '../knownAsOf';
import { loadNow } from '../loaders';
import type { Direction, Label, RelationshipType } from '../../records/vocabulary';
import type { EdgeRow, NodeRow, RowOf, SourceRow } from '../../records/rows';
import type { DatePrecision } from '../../model/common';

/**
 * A node row as the row type of its label. The node projection (records/projection.ts) returns every stored
 * property with the node's one label in `_label`; the seed's zod model checked those properties when they
 * were written, so the label is what tells the row's shape. A record of another kind is a broken assumption.
 */
export function rowOf<L extends Label>(row: NodeRow, labels: readonly [L, ...L[]]): RowOf<L> {
  invariant(
    labels.some((label) => label === row._label),
    `Record ${row.id} is a ${row._label}, expected ${labels.join(' or ')}`,
  );
  return row as RowOf<L>;
}

/**
 * A record another record points to, of one of the given kinds; the loader guarantees both were written together.
 * A plain value when the request's loaders already hold it (read ahead), so graphql-js completes the field
 * without a promise (loaders.ts `KnownLoader`); a promise otherwise.
 */
export function ref<L extends Label>(
  ctx: Context,
  id: string,
  ...labels: [L, ...L[]]
): MaybePromise<RowOf<L>> {
  return then(loadNow(ctx.loaders.record, id), (row) => {
    invariant(row, `Dangling reference to ${id}`);
    return rowOf(row, labels);
  });
}

/** The records a list of ids points to, of the given kinds, skipping those that are not there. */
export async function refs<L extends Label>(
  ctx: Context,
  ids: readonly string[] | undefined,
  ...labels: [L, ...L[]]
): Promise<Array<RowOf<L>>> {
  if (!ids || ids.length === 0) return [];
  const rows = await ctx.loaders.record.loadMany(ids);
  return rows.flatMap((r) => (r === null || r instanceof Error ? [] : [rowOf(r, labels)]));
}

/** The country with an ISO code, or null when there is no code or no such country in the graph. */
export function countryOf(
  ctx: Context,
  code: string | null | undefined,
): MaybePromise<RowOf<'Country'> | null> {
  if (!code) return null;
  return then(loadNow(ctx.loaders.record, `country:${code}`), (row) => row && rowOf(row, ['Country']));
}

/** What a record is called: its title (sources, allegations) or its name. */
export function displayName(row: RowOf<Label>): string {
  return row._label === 'Source' || row._label === 'Allegation' ? row.title : row.name;
}

export function sources(row: { sourceIds?: string[] }, _args: unknown, ctx: Context): Promise<SourceRow[]> {
  // Under a knownAsOf root, the sources as known then too.
  return refs(at(ctx, row), row.sourceIds, 'Source');
}

export const aliases = (row: { aliases?: string[] }) => row.aliases ?? [];

/** Whether a dated record is in the answer: with `asOf`, reasoning's `inForce` rule; without, the whole history. */
export function inAnswerOn(
  row: { startDate?: string | null; endDate?: string | null },
  asOf: string | null | undefined,
): boolean {
  return asOf ? inForce(row, asOf) : true;
}

/**
 * The relationship records of a type at a record (in force on `asOf` if given); a plain value when held.
 * Without `asOf` it is the loader's own list: read it, do not sort or change it in place.
 */
export function edges(
  ctx: Context,
  id: string,
  type: RelationshipType,
  direction: Direction,
  asOf?: string | null,
): MaybePromise<EdgeRow[]> {
  return then(loadNow(ctx.loaders.edges(type, direction), id), (all) =>
    asOf ? all.filter((e) => inAnswerOn(e, asOf)) : all,
  );
}

/** The records linked to a record by a reference relationship, of the given kinds; a plain value when held. */
export function linked<L extends Label>(
  ctx: Context,
  id: string,
  type: RelationshipType,
  direction: Direction,
  ...labels: [L, ...L[]]
): MaybePromise<Array<RowOf<L>>> {
  return then(loadNow(ctx.loaders.linked(type, direction), id), (rows) =>
    rows.map((row) => rowOf(row, labels)),
  );
}

export type MaybePromise<T> = T | Promise<T>;

/** `f` of a value, or of a promise's value once it settles: synchronous when the value is at hand. */
export function then<T, R>(value: MaybePromise<T>, f: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * The precision of a dated record's ends: what was stored beside the day (MONTH, YEAR), DAY for a day given
 * as such, null where there is no date.
 */
export const datePrecisions = {
  startDatePrecision: (e: EdgeRow) => precisionOf(e, 'startDate'),
  endDatePrecision: (e: EdgeRow) => precisionOf(e, 'endDate'),
};

export function precisionOf(e: Record<string, unknown>, key: string): DatePrecision | null {
  if (!e[key]) return null;
  const stored = e[`${key}Precision`];
  return stored === 'MONTH' || stored === 'YEAR' ? stored : 'DAY';
}
