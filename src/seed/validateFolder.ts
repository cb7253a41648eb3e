import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataSetIssue } from './dataSetError';
import { SECTIONS } from '../model/dataset';
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
