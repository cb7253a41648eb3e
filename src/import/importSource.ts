import { z } from 'zod';
import { IsoDate } from '../model/common';
import type { SourceRecord } from '../model/source';

/**
 * The data set an import comes from: every record it writes cites one Source naming the data set, its
 * version (or date) and where it was published, so a verdict's explanation can say "per OpenSanctions
 * us_ofac_sdn, 2026-11-28".
 */
export const ImportSource = z.strictObject({
  /** A short name: "us_ofac_sdn", "gleif-golden-copy", "psc-snapshot". */
  dataset: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a short name (letters, digits, . _ -)'),
  /** The data set's version, or the date of the export when it has none. */
  version: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a version or date (letters, digits, . _ -)'),
  url: z.url({ message: 'must be an absolute URL' }),
  publisher: z.string().min(1),
  title: z.string().min(1).optional(),
  date: IsoDate.nullable().optional(),
});
export type ImportSource = z.infer<typeof ImportSource>;

/** The id of the Source record an import cites: one per data set and version. */
export function sourceIdOf(source: ImportSource): string {
  return `src:import-${source.dataset}-${source.version}`;
}

export function sourceRecordOf(source: ImportSource): SourceRecord {
  return {
    id: sourceIdOf(source),
    url: source.url,
    publisher: source.publisher,
    title: source.title ?? `${source.dataset} ${source.version}`,
    date: source.date ?? (/^\d{4}-\d{2}-\d{2}$/.test(source.version) ? source.version : null),
    note: `Imported data set ${source.dataset}, version ${source.version}.`,
  };
}
