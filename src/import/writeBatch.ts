import type { Database } from '../db/database';
import type { DataSetFile } from '../model/dataset';
import { LOADER_AUTHOR, loadFile } from '../seed/loadDataSet';

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** Who a change set names as its author: the principal of an API call, the loader for the CLI. */
export interface Author {
  id: string;
  name: string;
}

/**
 * The one place an import writes: a batch of records in the data-set format, in one write transaction,
 * through the record-writing layer (src/write/: same validation of references and identifiers, same MERGE
 * on ids, a change set per batch naming its author, the graph-version bump).
 */
export async function writeBatch(
  db: Database,
  name: string,
  data: DataSetFile,
  author: Author = LOADER_AUTHOR,
): Promise<BatchCounts> {
  const { created, updated, unchanged } = await loadFile(db, { file: name, data }, author);
  return { created, updated, unchanged };
}
