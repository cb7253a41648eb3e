import type { SourceRow } from '../../records/rows';
import type { Context } from '../context';
import { at, recordHistory } from '../knownAsOf';
import { sources } from './shared';

/**
 * Fields every stored record has (the `Recorded` interface, issue 12): `version`, `recordedAt` and
 * `changeSetId` are its stored properties, read by name; `history` reads its versions (as known at the
 * root's `knownAsOf` under such a root).
 */
export const recorded = { history: recordHistory };

/** A record's sources, as known at the record's instant when it was read with `knownAsOf`. */
export function sourcesAt(row: { sourceIds?: string[] }, args: unknown, ctx: Context): Promise<SourceRow[]> {
  return sources(row, args, at(ctx, row));
}
