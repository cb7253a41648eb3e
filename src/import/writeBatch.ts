import type { Database } from '../db/database';
import type { DataSetFile } from '../model/dataset';
import { loadFile } from '../seed/loadDataSet';

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * The one place an import writes: a batch of records in the data-set format, in one write transaction,
 * through the seed's writer (same validation of references, same MERGE on ids, same graph-version bump).
 * When the shared record-writing layer with change sets lands, this call is the one to switch.
 */
export async function writeBatch(db: Database, name: string, data: DataSetFile): Promise<BatchCounts> {
  const { created, updated, unchanged } = await loadFile(db, { file: name, data });
  return { created, updated, unchanged };
}
