import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DataSetFile, SECTIONS, type Section } from '../model/dataset';
import type { DataSetIssue } from './dataSetError';

export interface ParsedFile {
  file: string;
  data: DataSetFile;
}

/** The JSON files of a folder, in name order (so "10-companies.json" loads before "20-models.json"). */
export async function listDataSetFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(folder, e.name))
    .sort();
}

/** Parses and validates one file against the zod schemas; returns its data or every issue found. */
export function parseDataSetFile(
  file: string,
  text: string,
): { data: DataSetFile } | { issues: DataSetIssue[] } {
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { issues: [{ file: name, message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  const result = DataSetFile.safeParse(json);
  if (result.success) return { data: result.data };
  const raw = json as Record<string, unknown>;
  const issues = result.error.issues.map((issue): DataSetIssue => {
    const [section, index, ...field] = issue.path;
    const out: DataSetIssue = { file: name, message: issue.message };
    if (typeof section === 'string') out.section = section;
    if (typeof index === 'number') {
      out.index = index;
      const record = (raw?.[section as string] as Array<Record<string, unknown>> | undefined)?.[index];
      if (record && typeof record.id === 'string') out.recordId = record.id;
    }
    // An unknown key is itself the field at fault; name it when there is just one.
    const at =
      issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...field, issue.keys[0]!] : field;
    if (at.length > 0 && typeof index === 'number') out.field = fieldPath(at);
    if (issue.code === 'unrecognized_keys') out.message = `has unknown field(s): ${issue.keys.join(', ')}`;
    // zod says "expected array, received undefined"; a user left the field out.
    if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(raw, issue.path) === undefined) {
      out.message = `is required (${issue.expected})`;
    }
    return out;
  });
  return { issues };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `["suspensions", 1, "from"]` → `suspensions[1].from`, the form referencesOf uses too. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** Ids defined by a parsed file, in order and with repeats, for uniqueness and reference checks. */
export function definedIds(data: DataSetFile): string[] {
  const ids: string[] = [];
  for (const section of SECTIONS) {
    for (const record of data[section] ?? []) ids.push(record.id);
  }
  return ids;
}

/** Every id a file refers to, with where it is referred from. */
export function referencesOf(
  data: DataSetFile,
): Array<{ section: Section; index: number; recordId: string; field: string; target: string }> {
  const refs: Array<{ section: Section; index: number; recordId: string; field: string; target: string }> =
    [];
  const add = (
    section: Section,
    index: number,
    recordId: string,
    field: string,
    target: string | null | undefined,
  ) => {
    if (target) refs.push({ section, index, recordId, field, target });
  };
  for (const section of SECTIONS) {
    (data[section] ?? []).forEach((record: Record<string, unknown> & { id: string }, index: number) => {
      for (const [field, value] of Object.entries(record)) {
        if (field === 'id') continue;
        collect(section, index, record.id, field, value, add);
      }
    });
  }
  return refs;
}

/** Fields that hold a country code, which refers to the Country record `country:<code>`. */
const COUNTRY_FIELD = /^(headquarters|incorporation|nationality|residence|targets\[\d+\])$/;
// A whole id, not just its prefix: a note that starts with "policy: …" is text, not a reference.
const REF = /^(src|country|org|person|model|alleg|channel|policy):[A-Za-z0-9][A-Za-z0-9._-]*$/;

function collect(
  section: Section,
  index: number,
  recordId: string,
  field: string,
  value: unknown,
  add: (s: Section, i: number, r: string, f: string, t: string) => void,
): void {
  if (typeof value === 'string') {
    if (COUNTRY_FIELD.test(field) && /^[A-Z]{2}$/.test(value))
      add(section, index, recordId, field, `country:${value}`);
    else if (REF.test(value) && field !== 'url') add(section, index, recordId, field, value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collect(section, index, recordId, `${field}[${i}]`, v, add));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(section, index, recordId, `${field}.${k}`, v, add);
  }
}
