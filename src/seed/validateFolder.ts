import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataSetIssue } from './dataSetError';
import { definedIds, listDataSetFiles, parseDataSetFile, referencesOf, type ParsedFile } from './readDataSet';

export interface FolderValidation {
  files: ParsedFile[];
  issues: DataSetIssue[];
  /** Ids referred to but defined in no file of the folder: they must already be in the database. */
  external: Map<string, Array<{ file: string; section: string; index: number; recordId: string; field: string }>>;
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
  const owner = new Map<string, string>();
  for (const { file, data } of files) {
    for (const id of definedIds(data)) {
      const first = owner.get(id);
      if (first && first !== file) {
        issues.push({ file: path.basename(file), recordId: id, message: `defines id "${id}" already defined in ${path.basename(first)}` });
      } else if (first === file) {
        issues.push({ file: path.basename(file), recordId: id, message: `defines id "${id}" more than once` });
      }
      owner.set(id, file);
    }
  }
  // Each file is written in its own transaction, in name order, so a reference must point to the same
  // file or to an earlier one; otherwise the earlier file could not be written on its own.
  const order = new Map(files.map((f, i) => [f.file, i]));
  const external: FolderValidation['external'] = new Map();
  for (const { file, data } of files) {
    for (const ref of referencesOf(data)) {
      const definedIn = owner.get(ref.target);
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
