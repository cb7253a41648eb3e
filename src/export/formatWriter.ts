import type { Section } from '../model/dataset';
import type { ExportItem, ExportPage } from './exportPages';

/**
 * What every export format is: it writes pages of records (src/export/exportPages.ts) as text chunks. A chunk
 * may open a new file (the data-set format split into a folder); formats of one file never do. Lookups fetch
 * the records a page refers to (its sources, a designation's policy), one query per page, so nothing but a
 * page is held whatever the export's size.
 */

export interface ExportChunk {
  /** Start this file (a name inside the output folder) before writing `text`. */
  file?: string;
  text: string;
}

export type Lookup = (ids: readonly string[]) => Promise<Map<string, ExportItem & { section: Section }>>;

export interface ExportCounts {
  /** Records written, by section. */
  written: Partial<Record<Section, number>>;
  /** Records the format has no place for, by section (a BODS export has no designations). */
  leftOut: Partial<Record<Section, number>>;
}

export interface FormatWriter {
  /** The sections this format writes; others are not read. */
  readonly sections: readonly Section[];
  begin(): ExportChunk[];
  page(page: ExportPage, lookup: Lookup): Promise<ExportChunk[]>;
  end(): ExportChunk[];
  readonly counts: ExportCounts;
}

export function newCounts(): ExportCounts {
  return { written: {}, leftOut: {} };
}

export function count(counts: ExportCounts, kind: keyof ExportCounts, section: Section, n = 1): void {
  counts[kind][section] = (counts[kind][section] ?? 0) + n;
}

/** The source ids the records of a page cite (their `sources`, and those inside suspensions and the like). */
export function citedSourceIds(items: readonly ExportItem[]): string[] {
  const ids = new Set<string>();
  for (const { record } of items)
    for (const id of (record.sources as string[] | undefined) ?? []) ids.add(id);
  return [...ids];
}
