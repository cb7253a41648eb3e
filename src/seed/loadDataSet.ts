import path from 'node:path';
import type { Database } from '../db/database';
import { newChangeSet } from '../write/changeSet';
import { citedSources } from '../write/citedSources';
import { writeRecords } from '../write/writeRecords';
import { DataSetError } from './dataSetError';
import type { ParsedFile } from './readDataSet';
import { databaseIssues, validateFolder } from './validateFolder';

/**
 * Writes a data-set folder: each file in its own write transaction, MERGE on stable ids, so loading the
 * same folder twice changes nothing (and records no change set). A file with any problem (schema, a reference to an id that exists
 * neither in the folder before it nor in the database, a derivation cycle) is rejected whole.
 */

export interface FileReport {
  file: string;
  created: number;
  updated: number;
  unchanged: number;
}

export interface LoadReport {
  files: FileReport[];
  created: number;
  updated: number;
  unchanged: number;
}

/** `onFileLoaded` hears of each file once it is committed (the progress of a long load: `done` of `total`). */
export async function loadFolder(
  db: Database,
  folder: string,
  onFileLoaded: (report: FileReport, done: number, total: number) => void = () => undefined,
): Promise<LoadReport> {
  const validation = await validateFolder(folder);
  const { files, issues } = validation;
  // The whole folder is checked against the database before the first file is written: nothing is written
  // when any file would be rejected.
  if (issues.length === 0) issues.push(...(await databaseIssues(db, validation)));
  if (issues.length > 0) throw new DataSetError(issues);
  const reports: FileReport[] = [];
  for (const file of files) {
    reports.push(await loadFile(db, file));
    onFileLoaded(reports.at(-1)!, reports.length, files.length);
  }
  const sum = (k: 'created' | 'updated' | 'unchanged') => reports.reduce((n, r) => n + r[k], 0);
  return { files: reports, created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged') };
}

/** Who a change set made by the loader names as its author (`npm run seed`, the importers). */
export const LOADER_AUTHOR = { id: 'system:loader', name: 'Data-set loader' } as const;

/**
 * One file in one write transaction through the record-writing layer (src/write/): one change set per
 * file that changed something, its records known from the moment it was loaded.
 */
export async function loadFile(
  db: Database,
  { file, data }: ParsedFile,
  author: { id: string; name: string } = LOADER_AUTHOR,
): Promise<FileReport> {
  const name = path.basename(file);
  const change = newChangeSet(author, `Loaded data-set file ${name}`, citedSources(data));
  return db.write(async (query) => {
    const { created, updated, unchanged } = await writeRecords(query, name, data, change);
    return { file: name, created, updated, unchanged };
  });
}
