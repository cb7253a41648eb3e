import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database';
import type { DataSetIssue } from './dataSetError';
import { SECTIONS } from '../model/dataset';
import { holdersOfKeys } from '../queries/identifierHolders';
import { existingIds } from '../queries/identifiers';
import { identifierClashesAcross, uniqueIdentifiersOf } from './identifierClashes';
import { listDataSetFiles, parseDataSetFile, referencesOf, type ParsedFile } from './readDataSet';

export interface FolderValidation {
  files: ParsedFile[];
  issues: DataSetIssue[];
  /** Ids referred to but defined in no file of the folder: they must already be in the database. */
  external: Map<
    string,
    Array<{ file: string; section: string; index: number; recordId: string; field: string }>
  >;
}

/**
 * Reads and validates every file of a folder: each against the schemas, ids unique across the folder,
 * and each reference either defined in the folder or reported as external (the loader checks those
 * against the database inside the file's transaction).
 */
export async function validateFolder(folder: string): Promise<FolderValidation> {
  const names = await listDataSetFiles(folder);
  const files: ParsedFile[] = [];
  const issues: DataSetIssue[] = [];
  if (names.length === 0) {
    issues.push({ file: folder, message: 'holds no .json data-set files' });
  }
  for (const file of names) {
    const parsed = parseDataSetFile(file, await fs.readFile(file, 'utf8'));
    if ('issues' in parsed) issues.push(...parsed.issues);
    else files.push({ file, data: parsed.data });
  }
  // The first definition owns an id; every later one is reported where it stands.
  const owner = new Map<string, { file: string; section: string; index: number }>();
  for (const { file, data } of files) {
    for (const section of SECTIONS) {
      (data[section] ?? []).forEach(({ id }: { id: string }, index: number) => {
        const first = owner.get(id);
        if (!first) {
          owner.set(id, { file, section, index });
          return;
        }
        const where =
          first.file === file
            ? `${first.section}[${first.index}]`
            : `${path.basename(first.file)}, ${first.section}[${first.index}]`;
        issues.push({
          file: path.basename(file),
          section,
          index,
          recordId: id,
          field: 'id',
          message: `defines id "${id}" already defined ${first.file === file ? 'in this file at' : 'in'} ${where}`,
        });
      });
    }
  }
  issues.push(...identifierClashesAcross(files));
  // Each file is written in its own transaction, in name order, so a reference must point to the same
  // file or to an earlier one; otherwise the earlier file could not be written on its own.
  const order = new Map(files.map((f, i) => [f.file, i]));
  const external: FolderValidation['external'] = new Map();
  for (const { file, data } of files) {
    for (const ref of referencesOf(data)) {
      const definedIn = owner.get(ref.target)?.file;
      if (definedIn !== undefined && order.get(definedIn)! > order.get(file)!) {
        issues.push({
          file: path.basename(file),
          section: ref.section,
          index: ref.index,
          recordId: ref.recordId,
          field: ref.field,
          message: `refers to "${ref.target}", defined in the later file ${path.basename(definedIn)}; files load in name order`,
        });
      }
      if (definedIn !== undefined) continue;
      const list = external.get(ref.target) ?? [];
      list.push({ file: path.basename(file), ...ref });
      external.set(ref.target, list);
    }
  }
  return { files, issues, external };
}

/**
 * The whole folder against the database, before the first write: every reference outside the folder must
 * name a record already there, and no unique identifier may already identify another record. Without this,
 * a later file's dangling reference would be found only after the earlier files were committed.
 */
export async function databaseIssues(db: Database, validation: FolderValidation): Promise<DataSetIssue[]> {
  const targets = [...validation.external.keys()];
  const holdings = validation.files.flatMap(({ file, data }) => uniqueIdentifiersOf(file, data));
  const { found, holders } = await db.read(async (query) => ({
    found: await existingIds(query, targets),
    holders: await holdersOfKeys(query, [...new Set(holdings.map((h) => h.key))]),
  }));
  const issues: DataSetIssue[] = [];
  for (const [target, uses] of validation.external) {
    if (found.has(target)) continue;
    for (const use of uses) {
      issues.push({
        file: use.file,
        section: use.section,
        index: use.index,
        recordId: use.recordId,
        field: use.field,
        message: `refers to "${target}", which exists neither in the folder nor in the database`,
      });
    }
  }
  for (const h of holdings) {
    const other = (holders.get(h.key) ?? []).find((id) => id !== h.recordId);
    if (!other) continue;
    issues.push({
      file: h.file,
      section: h.section,
      index: h.index,
      recordId: h.recordId,
      field: h.field,
      message: `holds ${h.key}, which already identifies "${other}" in the database; an identifier of this scheme names one party`,
    });
  }
  return issues;
}
