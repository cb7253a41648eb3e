import { identifierKey } from '../model/identifier';
import type { FormatReader } from './incoming';
import { rowsOfFile } from './readWhole';

/**
 * The first line before `before` at which a party other than `except` holds each key: a second read of the
 * file's beginning, made only to name the earlier line in the refusal of a duplicate identifier found in a
 * later batch (the import keeps no table of the lines that gave each key). Stops once every key is placed.
 */
export async function firstLinesHolding(
  reader: FormatReader,
  file: string,
  wanted: ReadonlyArray<{ key: string; except: string }>,
  before: number,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const open = new Map(wanted.map((w) => [w.key, w.except]));
  if (open.size === 0) return found;
  for await (const row of rowsOfFile(reader, file)) {
    if (row.line >= before) break;
    let items: ReturnType<FormatReader['read']>;
    try {
      items = reader.read(row.value, row.line, row);
    } catch {
      continue;
    }
    for (const item of items) {
      if (item.kind !== 'party') continue;
      for (const key of item.identifiers.map(identifierKey)) {
        if (open.has(key) && open.get(key) !== item.localId) {
          found.set(key, item.line);
          open.delete(key);
        }
      }
    }
    if (open.size === 0) break;
  }
  return found;
}
