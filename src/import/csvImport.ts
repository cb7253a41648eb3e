import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { Database } from '../db/database';
import { isUniqueKey, identifierKey } from '../model/identifier';
import { existingIds } from '../queries/identifiers';
import { recordsByIdentifierKeys } from '../queries/identifierHolders';
import { LOADER_AUTHOR } from '../seed/loadDataSet';
import { csvReader, kindOfRow, sourceIdOfUrl } from './csvReader';
import { fingerprintOf, FingerprintTable } from './fingerprintTable';
import {
  CSV_ID_PREFIX,
  CSV_KINDS,
  headerProblems,
  kindOfFileName,
  kindOfHeader,
  type CsvKind,
} from './csvTemplates';
import {
  fileIdentity,
  readFinishedFiles,
  removeCheckpoint,
  writeFinishedFiles,
  type FinishedFile,
} from './checkpoint';
import { sourceIdOf, type ImportSource } from './importSource';
import type { Incoming, Ref } from './incoming';
import { relationshipIdOf } from './relationshipRecords';
import { isReferenceField, labelOfId, wrongKindOfParty } from './referenceKinds';
import {
  emptyReport,
  MAX_LISTED,
  runImport,
  type ImportProblem,
  type ImportReport,
  type Progress,
} from './runImport';
import { writeBatch, type Author } from './writeBatch';

/**
 * `--format csv`: a file, or a folder of the five templates (organizations.csv, persons.csv,
 * ownerships.csv, controls.csv, designations.csv; csvTemplates.ts). The whole import is checked before anything is
 * written: headers, every cell, rows cut short, ids and unique identifiers given twice, and every reference
 * (to a row of the folder, or a record, policy or source the database holds). Any problem, and nothing is
 * written: the report lists each with file, line and column. A clean import is then written file by file,
 * parties first, through the same importer as every format (runImport: resolution, review list, batches,
 * checkpoints), so a rerun converges on the same records.
 */

export interface CsvImportOptions {
  /** A CSV file, or a folder of template files. */
  path: string;
  source: ImportSource;
  dryRun?: boolean;
  batchSize?: number;
  /**
   * Checkpoint of a single file; for a folder, one beside it per file (`….organizations.csv.json`), and at
   * this path the files imported in full with their reports (checkpoint.ts `FinishedFile`).
   */
  checkpointPath?: string | null;
  onProgress?: (progress: Progress) => void;
  author?: Author;
}

interface CsvFile {
  file: string;
  kind: CsvKind | null;
}

/** Lookups sent to the database in batches of this many, so memory stays flat over a large folder. */
const LOOKUP_BATCH = 1000;

export async function importCsv(db: Database, options: CsvImportOptions): Promise<ImportReport> {
  const files = await templateFiles(options.path);
  const check = await checkWhole(db, files);
  const dryRun = options.dryRun ?? false;
  const report = emptyReport({
    file: path.basename(options.path),
    format: 'csv',
    sourceId: sourceIdOf(options.source),
    dryRun,
    resumedFrom: null,
  });
  report.lines = check.lines;
  report.skipped = check.skipped;
  if (check.problemCount > 0 || files.problems.length > 0) {
    const count = check.problemCount + files.problems.length;
    report.rejected = count;
    report.problems = firstInFileOrder([...files.problems, ...check.problems]);
    report.refused = `nothing was written: ${count} problem(s) found before the first write`;
    return report;
  }
  const author = options.author ?? LOADER_AUTHOR;
  if (!dryRun && check.urls.size > 0) {
    await writeBatch(
      db,
      `${path.basename(options.path)}, sources`,
      { sources: [...check.urls].map(urlSource) },
      author,
    );
  }
  const single = files.list.length === 1 && files.list[0]!.file === options.path;
  // A folder's files imported in full before a crash: skipped on resume, their reports counted as they were.
  const finishedPath = !dryRun && !single ? (options.checkpointPath ?? null) : null;
  const finished = finishedPath ? await readFinishedFiles(finishedPath, report.sourceId) : [];
  const done: FinishedFile[] = [];
  for (const { file } of files.list) {
    const identity = await fileIdentity(file);
    const before = finished.find(
      (f) => f.file === path.resolve(file) && f.size === identity.size && f.mtimeMs === identity.mtimeMs,
    );
    if (before) {
      merge(report, { ...emptyReport({ ...report, resumedFrom: null }), ...before.report });
      done.push(before);
      continue;
    }
    const kind = check.kinds.get(file) ?? null;
    const relationships = kind === 'ownerships' || kind === 'controls' || kind === 'designations';
    if (dryRun && relationships) {
      // A dry run writes no parties, so the relationships between the folder's new parties cannot be
      // resolved by the importer; the check above has resolved every reference already.
      report.created += check.rows.get(file) ?? 0;
      continue;
    }
    const part = await runImport(db, {
      file,
      format: 'csv',
      reader: csvReader(kind),
      source: options.source,
      dryRun,
      batchSize: options.batchSize,
      checkpointPath:
        options.checkpointPath && !single
          ? options.checkpointPath.replace(/(\.json)?$/, `.${path.basename(file)}.json`)
          : (options.checkpointPath ?? null),
      onProgress: options.onProgress,
      author,
      // The check above has read every file to its end.
      readWhole: true,
    });
    merge(report, part);
    if (finishedPath) {
      done.push({ file: path.resolve(file), ...identity, report: part });
      await writeFinishedFiles(finishedPath, report.sourceId, done);
    }
  }
  if (finishedPath) await removeCheckpoint(finishedPath);
  return report;
}

function merge(report: ImportReport, part: ImportReport): void {
  // Lines and skipped rows were counted by the check.
  for (const k of ['created', 'updated', 'unchanged', 'matched', 'ambiguous', 'rejected'] as const) {
    report[k] += part[k];
  }
  report.problems.push(...part.problems.slice(0, MAX_LISTED - report.problems.length));
  report.reviews.push(...part.reviews.slice(0, MAX_LISTED - report.reviews.length));
  report.resumedFrom ??= part.resumedFrom;
}

function urlSource(url: string) {
  return {
    id: sourceIdOfUrl(url),
    url,
    publisher: new URL(url).host,
    title: url,
    date: null,
    note: 'Named by a CSV import row (source_url).',
  };
}

/** The template files of a folder in the order they are written (parties first), or the one file. */
async function templateFiles(target: string): Promise<{ list: CsvFile[]; problems: ImportProblem[] }> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) return { list: [{ file: target, kind: kindOfFileName(target) }], problems: [] };
  const names = (await fs.readdir(target)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  const problems: ImportProblem[] = [];
  const list: CsvFile[] = [];
  for (const name of names) {
    const kind = kindOfFileName(name);
    if (!kind) {
      problems.push({
        file: name,
        line: 0,
        message: `is not a template file: name it ${CSV_KINDS.map((k) => `${k}.csv`).join(', ')}`,
      });
    } else list.push({ file: path.join(target, name), kind });
  }
  if (list.length === 0 && problems.length === 0) {
    problems.push({ file: path.basename(target), line: 0, message: 'holds no .csv file' });
  }
  list.sort((a, b) => CSV_KINDS.indexOf(a.kind!) - CSV_KINDS.indexOf(b.kind!));
  return { list, problems };
}

interface WholeCheck {
  /** The first problems in file order (at most MAX_LISTED), and how many there are in all. */
  problems: ImportProblem[];
  problemCount: number;
  lines: number;
  skipped: number;
  /** Rows that read cleanly, per file. */
  rows: Map<string, number>;
  /** The template each file follows, as its name, header or first row told. */
  kinds: Map<string, CsvKind | null>;
  urls: Set<string>;
}

/** A reference waiting for the database: where it was made, and what it must be. */
interface Pending {
  file: string;
  line: number;
  field: string;
  ref: Ref;
}

/**
 * A row whose id, or unique identifier key, matched the fingerprint of an earlier row's: a duplicate, or
 * (about once in 10^12) two strings sharing a fingerprint. Confirmed against the strings by a second read.
 */
type Suspect =
  | { kind: 'id'; fileIndex: number; file: string; line: number; id: string; derived: boolean }
  | { kind: 'key'; fileIndex: number; file: string; line: number; key: string; self: string };

/** Suspects kept for confirmation; past this many, a fingerprint match counts as a duplicate unconfirmed. */
const MAX_SUSPECTS = 10_000;

/** What the check keeps while it reads: fingerprints of every id and unique key, nothing per row besides. */
interface Seen {
  /** Ids the folder defines (parties and relationships share one namespace). */
  ids: FingerprintTable;
  /** Unique identifier keys the folder gives, each with the fingerprint of the party it gives it to. */
  keys: FingerprintTable;
  /** Those of them given to persons: a reference by one names a person (referenceKinds.ts). */
  personKeys: FingerprintTable;
  suspects: Suspect[];
}

/**
 * Every row of every file read as the importer will read it, with nothing written: the problems it would
 * meet, each with file, line and column. Memory stays flat in the rows: what it keeps of the rows read is
 * a 64-bit fingerprint of each id and unique key (fingerprintTable.ts: about 16 bytes each), the lookups
 * for the database go in batches, and only the first MAX_LISTED problems are kept (all are counted).
 * Duplicates found by fingerprint are confirmed, with the line that gave the value first, by reading the
 * files a second time (only when there are any).
 */
async function checkWhole(db: Database, files: { list: CsvFile[] }): Promise<WholeCheck> {
  const out: WholeCheck = {
    problems: [],
    problemCount: 0,
    lines: 0,
    skipped: 0,
    rows: new Map(),
    kinds: new Map(),
    urls: new Set(),
  };
  const problem = (p: ImportProblem) => {
    out.problemCount++;
    out.problems.push(p);
    if (out.problems.length >= 2 * MAX_LISTED) out.problems = firstInFileOrder(out.problems);
  };
  const seen: Seen = {
    ids: new FingerprintTable(await lineCount(files.list.map((f) => f.file))),
    keys: new FingerprintTable(1024, true),
    personKeys: new FingerprintTable(),
    suspects: [],
  };
  let refs: Pending[] = [];
  let identifiersToCheck: Array<{ file: string; line: number; id: string; key: string }> = [];
  const flush = async () => {
    await checkAgainstDatabase(db, refs, identifiersToCheck, problem);
    refs = [];
    identifiersToCheck = [];
  };

  for (const [fileIndex, { file, kind: byName }] of files.list.entries()) {
    const name = path.basename(file);
    let good = 0;
    const kind = await readTemplateFile(file, byName, problem, async ({ row, items }) => {
      out.lines++;
      // A row of the wrong length: counted, and reported by readTemplateFile.
      if (!items) return;
      let bad = false;
      for (const item of items) {
        if (item.kind === 'rejected') {
          bad = true;
          problem({
            file: name,
            line: item.line,
            ...(item.field ? { field: item.field } : {}),
            message: item.message,
          });
        } else if (item.kind === 'skipped') out.skipped++;
        else
          bad =
            !noteItem(
              item,
              { file: name, fileIndex },
              seen,
              problem,
              (p) => refs.push(p),
              (c) => identifiersToCheck.push(c),
              out.urls,
              row,
            ) || bad;
      }
      if (!bad) good++;
      if (refs.length + identifiersToCheck.length >= LOOKUP_BATCH) await flush();
    });
    out.rows.set(file, good);
    out.kinds.set(file, kind);
  }
  await flush();
  if (seen.suspects.length > 0) await confirmSuspects(files.list, seen.suspects, problem, out.rows);
  out.problems = firstInFileOrder(out.problems);
  return out;
}

/** The first MAX_LISTED problems by file name and line. */
function firstInFileOrder(problems: ImportProblem[]): ImportProblem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line).slice(0, MAX_LISTED);
}

/** Lines of the files (newlines counted a chunk at a time): an upper bound of the ids they can define. */
async function lineCount(files: string[]): Promise<number> {
  let count = 0;
  for (const file of files) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
    }
  }
  return count;
}

/**
 * One template file read row by row (csv-parse, streaming): its header checked and its template found (by
 * name, header or first row), each row with the right number of fields read by that template's reader and
 * handed to `visit`. Problems of the file itself (header, row length, unreadable) go to `problem`. Returns
 * the template the file follows.
 */
async function readTemplateFile(
  file: string,
  byName: CsvKind | null,
  problem: (p: ImportProblem) => void,
  visit: (row: {
    line: number;
    row: Record<string, string>;
    items: Incoming[] | null;
  }) => Promise<void> | void,
): Promise<CsvKind | null> {
  const name = path.basename(file);
  let header: string[] | null = null;
  let kind: CsvKind | null = null;
  let reader = csvReader(byName);
  const parser = createReadStream(file).pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = info.lines;
      if (!header) {
        header = record.map((c) => c.trim());
        kind = byName ?? kindOfHeader(header);
        if (kind && !headerFits(kind, header, name, line, problem)) break;
        reader = csvReader(kind);
        continue;
      }
      if (record.length !== header.length) {
        await visit({ line, row: {}, items: null });
        const short = record.length < header.length;
        problem({
          file: name,
          line,
          field: short ? header[record.length] : 'row',
          message: short
            ? `is missing: the row has ${record.length} field(s), the header ${header.length} (a truncated row?)`
            : `has ${record.length} fields, the header ${header.length} (an unquoted "," in a cell?)`,
        });
        continue;
      }
      const row = Object.fromEntries(header.map((h, i) => [h, record[i]!]));
      if (!kind) {
        // A header of only id and name: the first row's id tells (org:… or person:…).
        kind = kindOfRow(row);
        if (!kind) {
          problem({
            file: name,
            line: 1,
            field: 'header',
            message:
              'does not tell which template the file follows: name it organizations.csv, persons.csv, ' +
              'ownerships.csv, controls.csv or designations.csv, or give ids (org:…, person:…) in its id column',
          });
          break;
        }
        if (!headerFits(kind, header, name, 1, problem)) break;
        reader = csvReader(kind);
      }
      await visit({ line, row, items: reader.read(row, line) });
    }
  } catch (error) {
    // A file csv-parse cannot read on (a quote never closed): the line it names, and the file stops there.
    const line = (error as { lines?: number }).lines ?? 0;
    problem({ file: name, line, message: `cannot be read further: ${(error as Error).message}` });
  }
  if (!header) problem({ file: name, line: 1, field: 'header', message: 'is missing: the file is empty' });
  return kind;
}

/**
 * The second read, only when fingerprints matched: the first row giving each suspect id or key, so that a
 * real duplicate is reported naming that row, and a row whose fingerprint merely matched another string's
 * is not refused (and counts as read cleanly again).
 */
async function confirmSuspects(
  list: CsvFile[],
  suspects: Suspect[],
  problem: (p: ImportProblem) => void,
  rows: Map<string, number>,
): Promise<void> {
  const firstId = new Map<string, string | null>();
  const firstKey = new Map<string, { self: string; where: string } | null>();
  for (const s of suspects) {
    if (s.kind === 'id') firstId.set(s.id, null);
    else firstKey.set(s.key, null);
  }
  for (const { file, kind } of list) {
    const name = path.basename(file);
    await readTemplateFile(
      file,
      kind,
      () => undefined,
      ({ items }) => {
        for (const item of items ?? []) {
          if (item.kind === 'rejected' || item.kind === 'skipped') continue;
          const where = `${name} line ${item.line}`;
          const id = recordIdOf(item);
          if (id && firstId.get(id) === null) firstId.set(id, where);
          if (item.kind !== 'party') continue;
          for (const key of item.identifiers.map(identifierKey)) {
            if (firstKey.get(key) === null)
              firstKey.set(key, { self: item.id ?? `local:${item.localId}`, where });
          }
        }
      },
    );
  }
  for (const s of suspects) {
    const here = `${s.file} line ${s.line}`;
    if (s.kind === 'id') {
      const first = firstId.get(s.id);
      if (first && first !== here) {
        problem({
          file: s.file,
          line: s.line,
          field: 'id',
          message: s.derived
            ? `states the same record as ${first} (both without an id, their columns give both the id ` +
              `"${s.id}"): give each row an id of its own, or keep one of them`
            : `"${s.id}" is given twice: also on ${first}`,
        });
        continue;
      }
    } else {
      const first = firstKey.get(s.key);
      if (first && first.self !== s.self) {
        problem({
          file: s.file,
          line: s.line,
          field: 'identifiers',
          message: `${s.key} is unique, and ${first.where} gives it to another party`,
        });
        continue;
      }
    }
    // Only the fingerprint matched: the row is clean after all.
    const file = list.find((f) => path.basename(f.file) === s.file)?.file;
    if (file) rows.set(file, (rows.get(file) ?? 0) + 1);
  }
}

function headerFits(
  kind: CsvKind,
  header: string[],
  file: string,
  line: number,
  problem: (p: ImportProblem) => void,
): boolean {
  const wrong = headerProblems(kind, header);
  for (const message of wrong) problem({ file, line, field: 'header', message });
  return wrong.length === 0;
}

/**
 * The id of the record a row becomes: its own, or for a relationship row without one the id the importer
 * derives from its columns (relationshipRecords.ts `relationshipIdOf`: `own:csv-…`, `ctrl:csv-…`,
 * `desig:csv-…-policy`). Two rows deriving one id would be one record, the later row silently replacing the
 * earlier (a listing lifted and renewed, given as two rows without ids, would lose its first period): the
 * check refuses them instead. A party row without an id is resolved, not derived, and has none here.
 */
function recordIdOf(item: Exclude<Incoming, { kind: 'rejected' } | { kind: 'skipped' }>): string | undefined {
  if (item.kind === 'party') return item.id;
  return relationshipIdOf(item, CSV_ID_PREFIX);
}

/** Records what a row defines and queues what it refers to; false when the row itself is refused. */
function noteItem(
  item: Exclude<Incoming, { kind: 'rejected' } | { kind: 'skipped' }>,
  at: { file: string; fileIndex: number },
  seen: Seen,
  problem: (p: ImportProblem) => void,
  pending: (p: Pending) => void,
  identifier: (c: { file: string; line: number; id: string; key: string }) => void,
  urls: Set<string>,
  row: Record<string, string>,
): boolean {
  const { file } = at;
  const url = (row.source_url ?? '').trim();
  if (url !== '') urls.add(url);
  for (const source of item.sources ?? []) {
    if (!source.startsWith('src:url-'))
      pending({ file, line: item.line, field: 'sources', ref: { id: source } });
  }
  const suspect = (s: Suspect) => {
    if (seen.suspects.length < MAX_SUSPECTS) seen.suspects.push(s);
    else
      problem({
        file,
        line: s.line,
        field: s.kind === 'id' ? 'id' : 'identifiers',
        message:
          s.kind === 'id'
            ? `"${s.id}" is given twice: an earlier row of this import gives it too`
            : `${s.key} is unique, and an earlier row of this import gives it to another party`,
      });
  };
  const self = item.id ?? `local:${item.localId}`;
  const recordId = recordIdOf(item);
  if (recordId && !seen.ids.add(fingerprintOf(recordId))) {
    suspect({ kind: 'id', ...at, line: item.line, id: recordId, derived: !item.id });
    return false;
  }
  if (item.kind === 'party') {
    let ok = true;
    const selfPrint = fingerprintOf(self);
    for (const key of item.identifiers.map(identifierKey)) {
      if (!isUniqueKey(key)) continue;
      const print = fingerprintOf(key);
      const holder = seen.keys.get(print);
      if (holder && (holder[0] !== selfPrint[0] || holder[1] !== selfPrint[1])) {
        suspect({ kind: 'key', ...at, line: item.line, key, self });
        ok = false;
        continue;
      }
      seen.keys.add(print, selfPrint);
      if (item.label === 'Person') seen.personKeys.add(print);
      if (item.id) identifier({ file, line: item.line, id: item.id, key });
    }
    return ok;
  }
  const refs: Array<[string, Ref]> =
    item.kind === 'ownership'
      ? [
          ['owner', item.owner],
          ['owned', item.owned],
        ]
      : item.kind === 'control'
        ? [
            ['controller', item.controller],
            ['controlled', item.controlled],
          ]
        : [['entity', item.entity]];
  let ok = true;
  for (const [field, ref] of refs) {
    // A fingerprint match is taken as the folder's own party; the importer's second pass still rejects the
    // row, naming it, in the one-in-10^12 case that only the fingerprint matched.
    if ('id' in ref && seen.ids.has(fingerprintOf(ref.id))) continue;
    if ('key' in ref && ref.key && seen.keys.has(fingerprintOf(ref.key))) {
      const label = seen.personKeys.has(fingerprintOf(ref.key)) ? 'Person' : 'Organization';
      const wrong = isReferenceField(field) ? wrongKindOfParty(field, ref.key, label) : null;
      if (wrong) {
        problem({ file, line: item.line, field, message: wrong });
        ok = false;
      }
      continue;
    }
    pending({ file, line: item.line, field, ref });
  }
  if (item.kind === 'designation') {
    for (const policy of item.policies)
      pending({ file, line: item.line, field: 'policy', ref: { id: policy } });
  }
  return ok;
}

/** The references the folder does not settle, and the identifiers it gives, checked against the database. */
async function checkAgainstDatabase(
  db: Database,
  refs: Pending[],
  identifiers: Array<{ file: string; line: number; id: string; key: string }>,
  problem: (p: ImportProblem) => void,
): Promise<void> {
  if (refs.length === 0 && identifiers.length === 0) return;
  const idRefs = refs.flatMap((r) => ('id' in r.ref ? [r.ref.id] : []));
  const keyRefs = refs.flatMap((r) => ('key' in r.ref && r.ref.key ? [r.ref.key] : []));
  const { existing, holders } = await db.read(async (query) => ({
    existing: await existingIds(query, [...new Set(idRefs)]),
    holders: new Map(
      [...(await recordsByIdentifierKeys(query, [...keyRefs, ...identifiers.map((i) => i.key)]))].map(
        ([key, rows]) => [key, rows.map((r) => r.id)],
      ),
    ),
  }));
  for (const r of refs) {
    if ('id' in r.ref) {
      if (!existing.has(r.ref.id)) {
        problem({
          file: r.file,
          line: r.line,
          field: r.field,
          message: `refers to "${r.ref.id}", which neither this import nor the database holds`,
        });
      }
    } else if ('key' in r.ref && r.ref.key) {
      const held = holders.get(r.ref.key) ?? [];
      const label = held.length === 1 ? labelOfId(held[0]!) : null;
      const wrong =
        label && isReferenceField(r.field) ? wrongKindOfParty(r.field, r.ref.key, label, held[0]) : null;
      if (wrong) problem({ file: r.file, line: r.line, field: r.field, message: wrong });
      else if (held.length !== 1) {
        problem({
          file: r.file,
          line: r.line,
          field: r.field,
          message:
            held.length === 0
              ? `refers to ${r.ref.key}, which no party of this import or the database holds`
              : `refers to ${r.ref.key}, which ${held.length} records hold (${held.join(', ')}): give the id instead`,
        });
      }
    }
  }
  for (const i of identifiers) {
    const others = (holders.get(i.key) ?? []).filter((id) => id !== i.id);
    if (others.length > 0) {
      problem({
        file: i.file,
        line: i.line,
        field: 'identifiers',
        message: `${i.key} is unique, and the database gives it to "${others[0]}", not "${i.id}"`,
      });
    }
  }
}
