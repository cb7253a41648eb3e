import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/database';
import { fileSink, folderSink } from '../../src/export/fileSink';
import { prepareExport, writeExport, type ExportSpec } from '../../src/export/runExport';
import { loadFolder } from '../../src/seed/loadDataSet';
import { FIXTURES } from './database';
import { policiesOnly } from './imports';

export const EXPORT_FIXTURE = path.join(FIXTURES, 'export');

/** The policies imports designate under, and the Orchard group of test/fixtures/export, in an empty database. */
export async function orchardGroup(db: Database): Promise<void> {
  await policiesOnly(db);
  await loadFolder(db, EXPORT_FIXTURE);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `aeg-${prefix}-`));
}

/** Runs one export into `out` (a file, or a folder when `recordsPerFile` is set) and returns what it counted. */
export async function exportTo(
  db: Database,
  out: string,
  spec: Partial<ExportSpec> & Pick<ExportSpec, 'format'>,
) {
  const full: ExportSpec = {
    knownAsOf: null,
    subgraph: null,
    maxParties: 10_000,
    today: '2026-11-30',
    ...spec,
  };
  const prepared = await prepareExport(db, full);
  if (!prepared.ok) throw new Error(prepared.message);
  const sink = full.recordsPerFile ? await folderSink(out) : fileSink(out);
  return writeExport(db, full, prepared, sink);
}

/** The text of a file, or of a folder's files in name order, separated by their names. */
export function readExport(out: string): string {
  try {
    return readdirSync(out)
      .sort()
      .map((f) => `== ${f}\n${readFileSync(path.join(out, f), 'utf8')}`)
      .join('');
  } catch {
    return readFileSync(out, 'utf8');
  }
}

export function jsonLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
