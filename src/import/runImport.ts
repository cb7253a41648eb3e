import path from 'node:path';
import type { ZodSafeParseResult } from 'zod';
import type { Database } from '../db/database';
import type { DataSetFile } from '../model/dataset';
import type { DesignationRecord } from '../model/policy';
import { identifierKey, isUniqueKey } from '../model/identifier';
import type { ControlRecord, OwnershipRecord } from '../model/ownership';
import type { OrganizationRecord, PersonRecord } from '../model/party';
import { recordsByIdentifierKeys } from '../queries/identifierHolders';
import { recordsAndKeysHeld } from '../queries/keyHolders';
import { upsertReviews } from '../queries/importReview';
import { partiesByNameQueries } from '../queries/nameCandidates';
import { fetchRecords } from '../queries/records';
import type { NodeRow } from '../records/rows';
import { DataSetError } from '../seed/dataSetError';
import {
  appendJournal,
  fileIdentity,
  journalPathOf,
  readCheckpoint,
  readJournal,
  removeCheckpoint,
  removeJournal,
  writeCheckpoint,
  type Checkpoint,
  type Journal,
  type Merge,
} from './checkpoint';
import { sourceIdOf, sourceRecordOf, type ImportSource } from './importSource';
import {
  slugOf,
  type FormatReader,
  type Incoming,
  type IncomingParty,
  type IncomingRelationship,
  type Ref,
} from './incoming';
import { nameLookups, oneNameLookup, type NameLookup } from './nameQuery';
import { mergedRecord, newRecord, partySchemaOf, recordFromRow, type PartyRecord } from './partyRecords';
import { resolveParty, type Resolution } from './resolution';
import { firstLinesHolding } from './firstLines';
import { missingCountries } from './countries';
import type { Row } from './rowStream';
import { mayStopEarly, readToEnd, refusedUnreadable, rowsOfFile } from './readWhole';
import { LOADER_AUTHOR } from '../seed/loadDataSet';
import { writeBatch, type Author } from './writeBatch';
import { controlRecord, designationRecord, ownershipRecord } from './relationshipRecords';
import { ID_PREFIX, labelOfId, wrongKindOfParty, type ReferenceField } from './referenceKinds';

/**
 * Runs one import: the file is read twice, streaming (pass 1 writes parties, pass 2 the ownerships and
 * designations between them, so a relationship may come before its parties in the file). Each batch is
 * resolved against the graph, checked, and written in one transaction; a line that cannot be imported is
 * rejected with its line and field and never stops the rest. After each batch a checkpoint is written, so
 * an interrupted import resumes where it stopped; rerunning a finished import changes nothing.
 */

export interface ImportOptions {
  file: string;
  format: string;
  reader: FormatReader;
  source: ImportSource;
  dryRun?: boolean;
  /** Lines per transaction. */
  batchSize?: number;
  /** Where the checkpoint is kept; null for none (the GraphQL mutation's small files). */
  checkpointPath?: string | null;
  onProgress?: (progress: Progress) => void;
  /** Named on every change set the import writes (default: the data-set loader). */
  author?: Author;
  /** Set when the caller has read the file whole already (the CSV whole-folder check): no read-through. */
  readWhole?: boolean;
}

export interface Progress {
  pass: 1 | 2;
  line: number;
  bytes: number;
  totalBytes: number;
  report: ImportReport;
}

export interface ImportProblem {
  file: string;
  line: number;
  field?: string;
  message: string;
}

export interface ReviewItem {
  line: number;
  localId: string;
  name: string;
  candidates: string[];
  reason: string;
}

export interface ImportReport {
  file: string;
  format: string;
  sourceId: string;
  dryRun: boolean;
  lines: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Incoming parties found to be records we already held (by identifier, or name and country). */
  matched: number;
  /** Incoming parties sent to the review list. */
  ambiguous: number;
  rejected: number;
  skipped: number;
  /** The first problems, with file, line and field. */
  problems: ImportProblem[];
  /** The first entries of the review list this import made. */
  reviews: ReviewItem[];
  resumedFrom: { pass: 1 | 2; line: number } | null;
  /** Set when the import was refused before its first write (CSV checked whole, a file that breaks off): why. */
  refused?: string;
}

/** Problems and review entries a report lists at most (the counts go on). */
export const MAX_LISTED = 1000;
/** The counts of a report, as a checkpoint keeps them. */
export const REPORT_COUNTS = [
  'lines',
  'created',
  'updated',
  'unchanged',
  'matched',
  'ambiguous',
  'rejected',
  'skipped',
] as const;

/** A report of nothing done yet: every count zero, nothing listed. */
export function emptyReport(
  of: Pick<ImportReport, 'file' | 'format' | 'sourceId' | 'dryRun' | 'resumedFrom'>,
): ImportReport {
  return {
    ...of,
    lines: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    matched: 0,
    ambiguous: 0,
    rejected: 0,
    skipped: 0,
    problems: [],
    reviews: [],
  };
}

export async function runImport(db: Database, options: ImportOptions): Promise<ImportReport> {
  const { file, reader, source } = options;
  const dryRun = options.dryRun ?? false;
  const batchSize = options.batchSize ?? 1000;
  const name = path.basename(file);
  const sourceId = sourceIdOf(source);
  const identity = await fileIdentity(file);
  const checkpointPath = dryRun ? null : (options.checkpointPath ?? null);
  const expect = { file: path.resolve(file), ...identity, format: options.format, sourceId };
  const resumed = checkpointPath ? await readCheckpoint(checkpointPath, expect) : null;
  // What the batches before the checkpoint made (checkpoint.ts `Journal`); a fresh start drops a stale one.
  const journalPath = checkpointPath ? journalPathOf(checkpointPath) : null;
  if (journalPath && !resumed) await removeJournal(journalPath);
  const journal: Journal =
    journalPath && resumed
      ? await readJournal(journalPath, resumed)
      : { merges: [], problems: [], reviews: [] };

  const report = emptyReport({
    file: name,
    format: options.format,
    sourceId,
    dryRun,
    resumedFrom: resumed ? { pass: resumed.pass, line: resumed.line } : null,
  });
  if (resumed) for (const k of REPORT_COUNTS) report[k] = resumed.counts[k] ?? 0;
  report.problems.push(...journal.problems);
  report.reviews.push(...journal.reviews);
  // A file that can break off is read through before the first write (readWhole.ts); not on a resume: the
  // checkpoint names the file by size and modification time, and was written after that read of it.
  if (!resumed && !options.readWhole && (await mayStopEarly(reader, file))) {
    const broken = await readToEnd(reader, file);
    if (broken) return refusedUnreadable(report, name, broken);
  }

  const state: ImportState = {
    db,
    reader,
    report,
    name,
    sourceId,
    sourceRecord: sourceRecordOf(source),
    dryRun,
    author: options.author ?? LOADER_AUTHOR,
    matchedLocal: new Map(journal.merges),
    mergedFrom: new Map(journal.merges.map(([localId, recordId]) => [recordId, localId])),
    newMerges: journalPath ? [] : null,
    dryRunKeys: new Map(),
    wouldCreate: new Map(),
    file,
    lineSearches: resumed?.lineSearches ?? 0,
  };
  // The source is written once, before the first batch, and not counted: the counts are the data set's.
  if (!dryRun) await writeBatch(db, `${name}, source`, { sources: [state.sourceRecord] }, state.author);
  const reject = (line: number, message: string, field?: string) =>
    addProblem(report, { file: name, line, field, message });

  // How many of the report's listed problems and reviews the journal holds already.
  let journaled = { problems: report.problems.length, reviews: report.reviews.length };
  for (const pass of [1, 2] as const) {
    if (resumed && pass < resumed.pass) {
      // Pass 1 done before the crash: what the reader learnt reading it (incoming.ts `scan`), learnt again.
      if (reader.scan) await scanRows(reader, file);
      continue;
    }
    const skipUntil = resumed?.pass === pass ? resumed.line : 0;
    let batch: Incoming[] = [];
    let lastLine = skipUntil;
    let bytes = 0;
    /** After a batch is committed: the checkpoint (its last line, the counts so far), then the progress. */
    const committed = async (line: number, at: number) => {
      if (checkpointPath && journalPath) {
        // What the batch made, then the checkpoint naming it: a resume reads back the journal up to there.
        await appendJournal(
          journalPath,
          { pass, line },
          {
            merges: state.newMerges?.splice(0) ?? [],
            problems: report.problems.slice(journaled.problems),
            reviews: report.reviews.slice(journaled.reviews),
          },
        );
        journaled = { problems: report.problems.length, reviews: report.reviews.length };
        const counts = Object.fromEntries(REPORT_COUNTS.map((k) => [k, report[k]]));
        const checkpoint: Checkpoint = { ...expect, pass, line, counts, lineSearches: state.lineSearches };
        await writeCheckpoint(checkpointPath, checkpoint);
      }
      options.onProgress?.({ pass, line, bytes: at, totalBytes: identity.size, report });
    };
    // Pass 2: the batch before this one, still being written (settled: its failure is thrown when awaited).
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const items = batch;
      const [line, at] = [lastLine, bytes];
      batch = [];
      if (pass === 1) {
        await writeParties(state, items as IncomingParty[]);
        await committed(line, at);
        return;
      }
      // This batch's reads run while the batch before it writes: two cores busy instead of one. The writes
      // stay one at a time and in file order, each checkpointed only once committed.
      let prepared: PreparedRelationships;
      try {
        prepared = await prepareRelationships(state, items as IncomingRelationship[]);
      } finally {
        await writing;
      }
      writing = writeRelationships(state, prepared).then(() => committed(line, at));
      writing.catch(() => undefined);
    };
    const rows = rowsOfFile(reader, file)[Symbol.asyncIterator]() as AsyncIterator<Row & { index?: number }>;
    for (;;) {
      let next: IteratorResult<Row & { index?: number }>;
      try {
        next = await rows.next();
      } catch (error) {
        // A file that cannot be read on (a CSV row with the wrong number of fields): what came before it
        // in this pass is written; the error is reported with the line csv-parse names.
        const line = (error as { lines?: number }).lines ?? lastLine + 1;
        if (pass === 1) reject(line, `cannot be read further: ${(error as Error).message}`);
        break;
      }
      if (next.done) break;
      const row = next.value;
      bytes = row.bytes;
      if (row.line <= skipUntil) {
        if (pass === 1) reader.scan?.(row.value, row.line);
        continue;
      }
      lastLine = row.line;
      if (pass === 1) report.lines++;
      let items: Incoming[];
      try {
        items = reader.read(row.value, row.line, row);
      } catch (error) {
        items = [{ kind: 'rejected', line: row.line, message: (error as Error).message }];
      }
      for (const item of items) {
        if (item.kind === 'rejected') {
          if (pass === 1) reject(item.line, item.message, item.field);
        } else if (item.kind === 'skipped') {
          if (pass === 1) report.skipped++;
        } else if ((item.kind === 'party') === (pass === 1)) {
          batch.push(item);
        }
      }
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
  }
  if (checkpointPath) await removeCheckpoint(checkpointPath);
  if (journalPath) await removeJournal(journalPath);
  // Problems in file order, whichever pass found them.
  report.problems.sort((a, b) => a.line - b.line);
  return report;
}

/** The rows of the file shown to the reader's `scan` only: nothing is imported. */
async function scanRows(reader: FormatReader, file: string): Promise<void> {
  try {
    for await (const row of rowsOfFile(reader, file)) reader.scan?.(row.value, row.line);
  } catch {
    // A file that cannot be read on: pass 1 stopped there too.
  }
}

interface ImportState {
  db: Database;
  reader: FormatReader;
  report: ImportReport;
  name: string;
  sourceId: string;
  sourceRecord: ReturnType<typeof sourceRecordOf>;
  dryRun: boolean;
  author: Author;
  /**
   * Local ids of parties merged into records of other ids, for the relationships of pass 2: only for formats
   * whose references carry no identifier key (BODS, CSV); FtM and GLEIF find the merged record by its key.
   * Read back from the journal beside the checkpoint on a resume.
   */
  matchedLocal: Map<string, string>;
  /** The same merges the other way round (record id to local id): a later party holding its key is a duplicate. */
  mergedFrom: Map<string, string>;
  /** Merges of the batch being written, for the journal kept beside the checkpoint (null: none kept). */
  newMerges: Merge[] | null;
  /**
   * In a dry run only, which writes nothing a later batch could find: each identifier key an entity of the
   * import gave, with its line, so a duplicate is refused across batches as within one.
   */
  dryRunKeys: Map<string, { localId: string; line: number }>;
  /** The file read, for a second read that names the line of a duplicate identifier's first holder. */
  file: string;
  /** Second reads made so far (at most MAX_LINE_SEARCHES: each reads the file's start again). */
  lineSearches: number;
  /** In a dry run only: the ids that would have been created, so pass 2 can be checked without them. */
  wouldCreate: Map<string, string>;
}

function addProblem(report: ImportReport, problem: ImportProblem): void {
  report.rejected++;
  if (report.problems.length < MAX_LISTED) report.problems.push(problem);
}

function derivedId(state: ImportState, party: IncomingParty): string {
  return party.id ?? `${ID_PREFIX[party.label]}:${state.reader.idPrefix}-${slugOf(party.localId)}`;
}

async function writeParties(state: ImportState, incoming: IncomingParty[]): Promise<void> {
  const { report } = state;
  // One entity twice in a batch (FtM exports repeat an entity per data set): the last line wins.
  const byLocal = new Map<string, IncomingParty>();
  for (const p of incoming) byLocal.set(p.localId, p);
  const parties = [...byLocal.values()];
  if (parties.length === 0) return;
  const ids = parties.map((p) => derivedId(state, p));
  const keys = parties.map((p) => p.identifiers.map(identifierKey));

  // Three statements per batch, whatever its size: its own records (a rerun), every identifier key in one
  // full-text query, and the names of the parties neither settles, 50 to a full-text query (nameQuery.ts).
  const { own, byKey, byName } = await state.db.read(async (query) => {
    const ownRows = new Map((await fetchRecords(query, ids)).map((r) => [r.id, r]));
    const keyHits = await recordsByIdentifierKeys(query, keys.flat());
    // Names are looked up only for parties neither an own record nor an identifier settles.
    const needName = parties.filter(
      (_, i) => !ownRows.has(ids[i]!) && !keys[i]!.some((k) => (keyHits.get(k) ?? []).length > 0),
    );
    const names = new Map<string, NodeRow[]>();
    const answer = (lookups: NameLookup[], hits: NodeRow[][]) =>
      lookups.forEach((lookup, j) => {
        for (const i of lookup.names) names.set(needName[i]!.localId, hits[j] ?? []);
      });
    const lookups = nameLookups(needName.map((p) => p.name));
    const hits = await partiesByNameQueries(query, lookups);
    // A shared query that filled its limit may have crowded a name's candidates out: asked again, one by one.
    const full = lookups.filter((l, j) => l.names.length > 1 && (hits[j]?.length ?? 0) >= l.limit);
    answer(lookups, hits);
    const again = full.flatMap((l) =>
      l.names.map((i) => ({ ...l, ...oneNameLookup(needName[i]!.name), names: [i] })),
    );
    if (again.length > 0) answer(again, await partiesByNameQueries(query, again));
    return { own: ownRows, byKey: keyHits, byName: names };
  });

  const records = new Map<string, { record: PartyRecord; label: IncomingParty['label']; line: number }>();
  const reviews: Parameters<typeof upsertReviews>[1][number][] = [];
  const rowsById = new Map<string, NodeRow>();
  for (const rows of byKey.values()) for (const r of rows) rowsById.set(r.id, r);
  for (const rows of byName.values()) for (const r of rows) rowsById.set(r.id, r);
  const keyOwner = state.dryRun ? state.dryRunKeys : new Map<string, { localId: string; line: number }>();
  const duplicates: { party: IncomingParty; key: string; id: string }[] = [];
  const prefix = state.reader.idPrefix;
  const derivedPrefixes = [`org:${prefix}-`, `person:${prefix}-`];

  parties.forEach((party, i) => {
    const id = ids[i]!;
    // A unique identifier on two incoming parties of one batch: the same entity twice under two ids.
    const clash = keys[i]!.filter(isUniqueKey).find(
      (k) => keyOwner.has(k) && keyOwner.get(k)!.localId !== party.localId,
    );
    if (clash) {
      addProblem(report, {
        file: state.name,
        line: party.line,
        field: 'identifiers',
        message: `holds ${clash}, which line ${keyOwner.get(clash)!.line} of this import gives to another entity`,
      });
      return;
    }
    for (const k of keys[i]!) keyOwner.set(k, { localId: party.localId, line: party.line });
    const ownRow = own.get(id) ?? null;
    let resolution: Resolution = resolveParty(party, {
      own: ownRow,
      byIdentifier: keys[i]!.flatMap((k) => byKey.get(k) ?? []),
      byName: byName.get(party.localId) ?? [],
      importing: {
        sourceId: state.sourceId,
        derivedId: id,
        derivedPrefixes,
        refKey: state.reader.refKeyOf?.(party.localId),
        mergedFrom: (recordId) => state.mergedFrom.get(recordId),
      },
    });
    // An id the data gives (CSV) is the user's decision: the record is that one, or a new one.
    if (party.id && resolution.status !== 'OWN') {
      const other = resolution.status === 'MATCHED' && resolution.by === 'identifier' ? resolution.id : null;
      if (other) {
        addProblem(report, {
          file: state.name,
          line: party.line,
          field: 'identifiers',
          message: `gives id "${party.id}" but its identifiers already identify "${other}"`,
        });
        return;
      }
      resolution = { status: 'NEW' };
    }
    let record: PartyRecord;
    switch (resolution.status) {
      case 'DUPLICATE':
        duplicates.push({ party, key: resolution.key, id: resolution.id });
        return;
      case 'AMBIGUOUS':
        report.ambiguous++;
        if (report.reviews.length < MAX_LISTED) {
          report.reviews.push({
            line: party.line,
            localId: party.localId,
            name: party.name,
            candidates: resolution.candidates,
            reason: resolution.reason,
          });
        }
        reviews.push({
          id: `review:${state.sourceId.slice(4)}:${slugOf(party.localId)}`,
          sourceId: state.sourceId,
          file: state.name,
          line: party.line,
          localId: party.localId,
          label: party.label,
          name: party.name,
          partyJson: JSON.stringify(party),
          derivedId: id,
          candidateIds: resolution.candidates,
          reason: resolution.reason,
        });
        return;
      case 'OWN':
        record = mergedRecord(records.get(id)?.record ?? recordFromRow(ownRow!), party, state.sourceId, true);
        break;
      case 'MATCHED': {
        report.matched++;
        // Pass 2 finds it again by the key its references carry, which the merged record now holds; only
        // a format whose references carry no key keeps it in memory.
        const refKey = state.reader.refKeyOf?.(party.localId);
        if (!refKey || !keys[i]!.includes(refKey)) {
          state.matchedLocal.set(party.localId, resolution.id);
          state.mergedFrom.set(resolution.id, party.localId);
          state.newMerges?.push([party.localId, resolution.id]);
        }
        const base = records.get(resolution.id)?.record ?? recordFromRow(rowsById.get(resolution.id)!);
        record = mergedRecord(base, party, state.sourceId, false);
        break;
      }
      case 'NEW':
        record = records.get(id)?.record
          ? mergedRecord(records.get(id)!.record, party, state.sourceId, true)
          : newRecord(party, id, state.sourceId);
        break;
    }
    const checked = partySchemaOf(party.label).safeParse(record);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        addProblem(report, {
          file: state.name,
          line: party.line,
          field: issue.path.join('.') || undefined,
          message: issue.message,
        });
      }
      return;
    }
    records.set(record.id, { record, label: party.label, line: party.line });
  });

  if (duplicates.length > 0) await refuseDuplicates(state, duplicates);
  if (state.dryRun) {
    for (const id of records.keys()) {
      if (!own.has(id) && !rowsById.has(id)) {
        report.created++;
        const party = parties.find((p) => derivedId(state, p) === id);
        if (party) state.wouldCreate.set(party.localId, id);
      }
    }
    return;
  }
  const data: DataSetFile = {
    countries: await missingCountries(
      state.db,
      state.sourceId,
      [...records.values()].map((r) => r.record),
    ),
    organizations: [...records.values()]
      .filter((r) => r.label === 'Organization')
      .map((r) => r.record as OrganizationRecord),
    persons: [...records.values()].filter((r) => r.label === 'Person').map((r) => r.record as PersonRecord),
  };
  await write(
    state,
    data,
    [...records.values()].map((r) => r.line),
  );
  if (reviews.length > 0) await state.db.write((query) => upsertReviews(query, reviews));
}

/**
 * How many times one import reads its file's start again to name a duplicate's earlier line. Each read goes up
 * to the batch that found the duplicate, so a large file with duplicates scattered over many batches would
 * otherwise be read again once per batch; past this many, the refusal names the earlier entity's id instead.
 */
const MAX_LINE_SEARCHES = 10;

/**
 * Parties holding a unique identifier that another entity of this import gave in an earlier batch: refused as
 * the same clash within one batch is, naming the earlier line (found by a second read of the file's start,
 * only while the report still lists problems).
 */
async function refuseDuplicates(
  state: ImportState,
  duplicates: { party: IncomingParty; key: string; id: string }[],
): Promise<void> {
  const before = Math.min(...duplicates.map((d) => d.party.line));
  const search = state.report.problems.length < MAX_LISTED && state.lineSearches < MAX_LINE_SEARCHES;
  if (search) state.lineSearches++;
  const lines = search
    ? await firstLinesHolding(
        state.reader,
        state.file,
        duplicates.map((d) => ({ key: d.key, except: d.party.localId })),
        before,
      )
    : new Map<string, number>();
  for (const { party, key, id } of duplicates) {
    const line = lines.get(key);
    addProblem(state.report, {
      file: state.name,
      line: party.line,
      field: 'identifiers',
      message:
        line !== undefined
          ? `holds ${key}, which line ${line} of this import gives to another entity`
          : `holds ${key}, which another entity of this import gave to "${id}"`,
    });
  }
}

/** Writes a batch; a batch the writer refuses is reported against its lines, and nothing of it is written. */
async function write(state: ImportState, data: DataSetFile, lines: number[]): Promise<void> {
  if (lines.length === 0) return;
  const first = Math.min(...lines);
  const last = Math.max(...lines);
  try {
    const counts = await writeBatch(state.db, `${state.name}, lines ${first}-${last}`, data, state.author);
    state.report.created += counts.created;
    state.report.updated += counts.updated;
    state.report.unchanged += counts.unchanged;
  } catch (error) {
    if (!(error instanceof DataSetError)) throw error;
    for (const issue of error.issues) {
      addProblem(state.report, {
        file: state.name,
        line: first,
        field: issue.field,
        message:
          `batch of lines ${first}-${last} not written: ${issue.recordId ?? ''} ${issue.message}`.trim(),
      });
    }
  }
}

/**
 * A pass-2 batch made ready to write: its records, and what its reads found wrong, kept apart from the report
 * until the batch is written (so a checkpoint taken after the batch before it counts nothing of this one).
 */
interface PreparedRelationships {
  data: DataSetFile | null;
  lines: number[];
  problems: ImportProblem[];
  /** In a dry run: the records that would have been created. */
  wouldCreate: number;
}

/**
 * Pass 2's reads and checks for a batch: its references resolved, its records built and validated. Nothing
 * is written, and nothing pass 2 writes changes what this reads (it writes no party), so this may run while
 * the batch before it is being written.
 */
async function prepareRelationships(
  state: ImportState,
  incoming: IncomingRelationship[],
): Promise<PreparedRelationships> {
  const prepared: PreparedRelationships = { data: null, lines: [], problems: [], wouldCreate: 0 };
  if (incoming.length === 0) return prepared;
  const refs = incoming.flatMap((r) =>
    r.kind === 'ownership'
      ? [r.owner, r.owned]
      : r.kind === 'control'
        ? [r.controller, r.controlled]
        : [r.entity],
  );
  const policies = [...new Set(incoming.flatMap((r) => (r.kind === 'designation' ? r.policies : [])))];
  const { resolved, existing: knownPolicies } = await resolveRefs(state, refs, policies);
  const ownerships: OwnershipRecord[] = [];
  const designations: DesignationRecord[] = [];
  const controls: ControlRecord[] = [];
  const lines = prepared.lines;
  const reject = (line: number, field: string | undefined, message: string) =>
    prepared.problems.push({ file: state.name, line, field, message });
  const refOf = (item: IncomingRelationship, field: ReferenceField, ref: Ref): string | null => {
    const id = resolved.get(refKey(ref));
    if (!id) {
      reject(
        item.line,
        field,
        `refers to ${describeRef(ref)}, which neither this import wrote (rejected, or in the review list) nor the database holds`,
      );
      return null;
    }
    const label = labelOfId(id);
    const wrong = label ? wrongKindOfParty(field, describeRef(ref), label, id) : null;
    if (wrong) reject(item.line, field, wrong);
    return wrong ? null : id;
  };
  const at = { idPrefix: state.reader.idPrefix, sourceId: state.sourceId };
  /** A built record kept, or each of its issues rejected against the item's line. */
  const keep = <R>(item: IncomingRelationship, built: ZodSafeParseResult<R>, into: R[]) => {
    if (!built.success) {
      for (const issue of built.error.issues)
        reject(item.line, issue.path.join('.') || undefined, issue.message);
      return;
    }
    into.push(built.data);
    lines.push(item.line);
  };
  for (const item of incoming) {
    if (item.kind === 'ownership') {
      const owner = refOf(item, 'owner', item.owner);
      const owned = refOf(item, 'owned', item.owned);
      if (owner && owned) keep(item, ownershipRecord(item, { owner, owned }, at), ownerships);
    } else if (item.kind === 'control') {
      const controller = refOf(item, 'controller', item.controller);
      const controlled = refOf(item, 'controlled', item.controlled);
      if (controller && controlled) keep(item, controlRecord(item, { controller, controlled }, at), controls);
    } else {
      const entity = refOf(item, 'entity', item.entity);
      if (!entity) continue;
      for (const policy of item.policies) {
        if (!knownPolicies.has(policy)) {
          reject(
            item.line,
            'policy',
            `maps to "${policy}", which is not in the database (load the seed, or map the list to a policy we hold)`,
          );
          continue;
        }
        keep(item, designationRecord(item, entity, policy, at), designations);
      }
    }
  }
  // A record stated twice in a batch (BODS: a later statement of the same recordId): the later one wins.
  const latest = <R extends { id: string }>(records: R[]) => [
    ...new Map(records.map((r) => [r.id, r])).values(),
  ];
  if (state.dryRun) {
    prepared.wouldCreate = latest(ownerships).length + latest(controls).length + latest(designations).length;
    return prepared;
  }
  const data = { ownerships: latest(ownerships), designations: latest(designations) };
  prepared.data = controls.length > 0 ? { ...data, controls: latest(controls) } : data;
  return prepared;
}

/** Writes a prepared pass-2 batch (one write transaction) and only then counts what its reads rejected. */
async function writeRelationships(state: ImportState, prepared: PreparedRelationships): Promise<void> {
  for (const problem of prepared.problems) addProblem(state.report, problem);
  state.report.created += prepared.wouldCreate;
  if (prepared.data) await write(state, prepared.data, prepared.lines);
}

function refKey(ref: Ref): string {
  if ('id' in ref) return `id:${ref.id}`;
  if ('localId' in ref) return `local:${ref.localId}`;
  return `key:${ref.key}`;
}

function describeRef(ref: Ref): string {
  if ('id' in ref) return `"${ref.id}"`;
  if ('localId' in ref) return `"${ref.localId}"`;
  return ref.key;
}

/**
 * Our record id for each reference of a batch: an identifier key names the record holding it (only when
 * exactly one does), a local id names the party this import wrote for it (its derived id, or the record it
 * was merged into), an id must exist. A unique key held by the record this import derived for the same
 * party is settled by an index seek: the write layer keeps a unique key on one record, so the full-text
 * lookup would find that record alone. Only the other keys are looked up in the full-text index (on a
 * first import of a file, none: this is what keeps pass 2 at index seeks).
 */
async function resolveRefs(
  state: ImportState,
  refs: Ref[],
  alsoIds: readonly string[] = [],
): Promise<{ resolved: Map<string, string>; existing: Set<string> }> {
  const out = new Map<string, string>();
  const prefix = state.reader.idPrefix;
  const derived = (localId: string) => [
    `org:${prefix}-${slugOf(localId)}`,
    `person:${prefix}-${slugOf(localId)}`,
  ];
  // Each id sought once, with the unique keys its references carry: whether it exists, and which it holds.
  const keysOf = new Map<string, Set<string>>(alsoIds.map((id) => [id, new Set<string>()]));
  for (const ref of refs) {
    const ids = 'id' in ref ? [ref.id] : 'localId' in ref ? derived(ref.localId) : [];
    const key = 'localId' in ref && ref.key && isUniqueKey(ref.key) ? ref.key : null;
    for (const id of ids) {
      const keys = keysOf.get(id) ?? new Set<string>();
      if (key) keys.add(key);
      keysOf.set(id, keys);
    }
  }
  const { holders, existing } = await state.db.read(async (query) => {
    const found = await recordsAndKeysHeld(
      query,
      [...keysOf].map(([id, keys]) => ({ id, keys: [...keys] })),
    );
    const settled = new Map<string, string[]>();
    for (const [id, held] of found) for (const key of held) settled.set(key, [id]);
    const keys = [
      ...new Set(refs.flatMap((r) => ('key' in r && r.key && !settled.has(r.key) ? [r.key] : []))),
    ];
    const hits = await recordsByIdentifierKeys(query, keys);
    for (const k of keys) settled.set(k, [...new Set((hits.get(k) ?? []).map((r) => r.id))]);
    return { holders: settled, existing: new Set(found.keys()) };
  });
  for (const ref of refs) {
    const k = refKey(ref);
    if (out.has(k)) continue;
    let id: string | undefined;
    if ('key' in ref && ref.key) {
      const h = holders.get(ref.key) ?? [];
      if (h.length === 1) id = h[0];
    }
    if (!id && 'localId' in ref) {
      id =
        state.matchedLocal.get(ref.localId) ??
        derived(ref.localId).find((d) => existing.has(d)) ??
        state.wouldCreate.get(ref.localId);
    }
    if (!id && 'id' in ref && existing.has(ref.id)) id = ref.id;
    if (id) out.set(k, id);
  }
  return { resolved: out, existing };
}

/** The report as the GraphQL layer's generated types name it (ImportReport is also the SDL type's name). */
export type ImportReportRow = ImportReport;
