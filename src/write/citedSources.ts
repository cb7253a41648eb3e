import { SECTIONS, type DataSetFile } from '../model/dataset';

/**
 * The sources a batch of records cites: each record's `sources`, and the sources the batch itself defines
 * (a source is its own evidence). A change set lists them; a write that cites none is refused.
 */
export function citedSources(data: DataSetFile): string[] {
  const ids = new Set<string>();
  for (const source of data.sources ?? []) ids.add(source.id);
  for (const section of SECTIONS) {
    for (const record of (data[section] ?? []) as Array<{ sources?: unknown }>) {
      if (Array.isArray(record.sources)) for (const id of record.sources) ids.add(String(id));
    }
  }
  return [...ids].sort();
}
