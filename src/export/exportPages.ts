import type { Database } from '../db/database';
import { SECTIONS, type DataSetFile, type Section } from '../model/dataset';
import {
  fetchNodePage,
  fetchNodesById,
  fetchRelationshipPage,
  type PageCursor,
  type StoredProps,
} from '../queries/exportRecords';
import { nodeSpec, relationshipSpec } from '../seed/storage';
import { exportedRecord } from './exportedRecord';
import { sectionOfId } from '../write/storedRecord';

/**
 * The records an export writes, a page at a time, section by section in the data-set format's order (nodes
 * before the relationships that point at them): each page is read in its own read transaction, so memory
 * holds one page whatever the graph's size.
 */

export interface ExportItem {
  record: Record<string, unknown>;
  /** When this database recorded the version exported (ISO instant), if it says. */
  recordedAt: string | null;
}

export interface ExportPage {
  section: Section;
  items: ExportItem[];
}

export const DEFAULT_PAGE_SIZE = 1000;

/** Designations are ordered by entity, so that one entity's listings come together (FtM Sanctions merge them). */
const SORT_KEY: Partial<Record<Section, string>> = { designations: 'entity' };

export function itemOf(section: Section, props: StoredProps): ExportItem {
  const recordedAt = typeof props.recordedAt === 'string' ? props.recordedAt : null;
  return { record: exportedRecord(section, props), recordedAt };
}

/** Every record of `sections`, current or as known at `knownAsOf`. */
export async function* wholeGraphPages(
  db: Database,
  sections: readonly Section[],
  knownAsOf: string | null,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<ExportPage> {
  for (const section of SECTIONS.filter((s) => sections.includes(s))) {
    const node = nodeSpec(section);
    const relationship = relationshipSpec(section);
    const sortKey = SORT_KEY[section] ?? 'id';
    let after: PageCursor | null = null;
    for (;;) {
      const cursor: PageCursor | null = after;
      const page: StoredProps[] = await db.read((query) =>
        node
          ? fetchNodePage(query, node.label, cursor?.id ?? null, pageSize, knownAsOf)
          : fetchRelationshipPage(query, relationship!.type, sortKey, cursor, pageSize, knownAsOf),
      );
      if (page.length === 0) break;
      yield { section, items: page.map((props) => itemOf(section, props)) };
      const last = page.at(-1)!;
      after = { key: String(last[sortKey]), id: String(last.id) };
      if (page.length < pageSize) break;
    }
  }
}

/** Records by id grouped by section, as stored now or as known at `knownAsOf`; unknown ids are left out. */
export async function recordsById(
  db: Database,
  ids: readonly string[],
  knownAsOf: string | null,
): Promise<Map<string, ExportItem & { section: Section }>> {
  const out = new Map<string, ExportItem & { section: Section }>();
  if (ids.length === 0) return out;
  const rows = await db.read((query) => fetchNodesById(query, ids, knownAsOf));
  for (const props of rows) {
    const section = sectionOfId(String(props.id));
    if (section) out.set(String(props.id), { section, ...itemOf(section, props) });
  }
  return out;
}

/** Pages of a set of records already in memory (a subgraph), in section order. */
export function pagesOf(records: Map<Section, ExportItem[]>): ExportPage[] {
  return SECTIONS.filter((s) => (records.get(s)?.length ?? 0) > 0).map((section) => ({
    section,
    items: [...records.get(section)!].sort((a, b) => compareItems(section, a, b)),
  }));
}

function compareItems(section: Section, a: ExportItem, b: ExportItem): number {
  const key = SORT_KEY[section];
  const ka = key ? String(a.record[key]) : '';
  const kb = key ? String(b.record[key]) : '';
  return byCodePoint(ka, kb) || byCodePoint(String(a.record.id), String(b.record.id));
}

/** Neo4j's string order (code points), not the locale's: a subgraph lists records as a whole export does. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The data of pages as one data-set object (for reference checks). */
export function asDataSet(records: Map<Section, ExportItem[]>): DataSetFile {
  const data: Record<string, unknown[]> = {};
  for (const [section, items] of records) data[section] = items.map((i) => i.record);
  return data;
}
