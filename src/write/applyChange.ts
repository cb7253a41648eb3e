import type { Database, Query } from '../db/database';
import type { DataSetFile, Section } from '../model/dataset';
import { DataSetError, type DataSetIssue } from '../seed/dataSetError';
import { parseDataSetFile } from '../seed/readDataSet';
import { nodeSpec, relationshipSpec } from '../seed/storage';
import { newChangeSet, type ChangeSet } from './changeSet';
import { citedSources } from './citedSources';
import { retractRecords } from './retractRecords';
import { fromProps, sectionOfId } from './storedRecord';
import { writeRecords } from './writeRecords';

/**
 * One write as the API asks for it: records in the data-set format, edits of stored records, retractions,
 * in one transaction that commits all of it or nothing. Input is validated by the data-set format's zod
 * schemas (after edits, the whole edited record again); every problem comes back, located by section,
 * index, record id and field. A dry run does all of it, then rolls back.
 */

/** An edit of a stored record: gets it in the data-set format, returns it changed. */
export interface RecordEdit {
  id: string;
  edit: (record: Record<string, unknown>) => Record<string, unknown>;
}

export interface ChangeRequest {
  author: { id: string; name: string };
  reason: string;
  /** Sources the change cites besides the records' own: existing ids, or sources in `records`. */
  sourceIds?: readonly string[];
  /** Records to create or replace, in the data-set format (any JSON: it is validated here). */
  records?: unknown;
  /** Edits, found inside the transaction (so they see, and lock, what they change). */
  edits?: (query: Query) => Promise<RecordEdit[]>;
  retract?: readonly string[];
  expectedVersions?: ReadonlyMap<string, number>;
  dryRun?: boolean;
}

export interface ChangeOutcome {
  written: boolean;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
  recordIds: string[];
  changeSet: ChangeSet | null;
  problems: DataSetIssue[];
}

const FILE = 'input';

class DryRunRollback extends Error {
  constructor(readonly outcome: ChangeOutcome) {
    super('dry run: rolled back');
  }
}

export async function applyChange(db: Database, request: ChangeRequest): Promise<ChangeOutcome> {
  const empty = { created: 0, updated: 0, unchanged: 0, retracted: 0, recordIds: [], changeSet: null };
  const dryRun = request.dryRun ?? false;
  try {
    return await db.write(async (query) => {
      const edited = request.edits ? await editedRecords(query, await request.edits(query)) : {};
      const data = validate(merge(request.records ?? {}, edited));
      const sourceIds = [...new Set([...citedSources(data), ...(request.sourceIds ?? [])])];
      if (sourceIds.length === 0) {
        throw new DataSetError([
          { file: FILE, field: 'sources', message: 'every write cites at least one source; none was given' },
        ]);
      }
      await checkSourcesExist(query, request.sourceIds ?? [], data);
      const change = newChangeSet(request.author, request.reason, sourceIds);
      const options = request.expectedVersions ? { expectedVersions: request.expectedVersions } : {};
      const written = await writeRecords(query, FILE, data, change, options);
      const retracted = request.retract?.length
        ? await retractRecords(query, request.retract, change, options)
        : { retracted: 0, recordIds: [] };
      const recordIds = [...written.recordIds, ...retracted.recordIds];
      const outcome: ChangeOutcome = {
        written: !dryRun && recordIds.length > 0,
        dryRun,
        created: written.created,
        updated: written.updated,
        unchanged: written.unchanged,
        retracted: retracted.retracted,
        recordIds,
        changeSet: recordIds.length > 0 && !dryRun ? change : null,
        problems: [],
      };
      if (dryRun) throw new DryRunRollback(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.outcome;
    if (error instanceof DataSetError)
      return { written: false, dryRun, ...empty, problems: [...error.issues] };
    throw error;
  }
}

/** Each stored record, edited, in the data-set format, by section. */
async function editedRecords(query: Query, edits: RecordEdit[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const issues: DataSetIssue[] = [];
  for (const { id, edit } of edits) {
    const section = sectionOfId(id);
    const stored = section ? await storedProps(query, section, id) : null;
    if (!section || !stored) {
      issues.push({ file: FILE, recordId: id, field: 'id', message: `no current record has id "${id}"` });
      continue;
    }
    (out[section] ??= []).push(edit(fromProps(section, stored)));
  }
  if (issues.length > 0) throw new DataSetError(issues);
  return out;
}

async function storedProps(
  query: Query,
  section: Section,
  id: string,
): Promise<Record<string, unknown> | null> {
  const relationship = relationshipSpec(section);
  const rows = nodeSpec(section)
    ? await query<{ props: Record<string, unknown> }>(
        'MATCH (n:Record {id: $id}) SET n._writeLock = true REMOVE n._writeLock RETURN properties(n) AS props',
        { id },
      )
    : await query<{ props: Record<string, unknown> }>(
        `MATCH ()-[r:${relationship!.type} {id: $id}]->()
         SET r._writeLock = true REMOVE r._writeLock
         RETURN properties(r) AS props`,
        { id },
      );
  return rows[0]?.props ?? null;
}

function merge(records: unknown, edited: Record<string, unknown[]>): unknown {
  if (Object.keys(edited).length === 0) return records;
  if (!records || typeof records !== 'object' || Array.isArray(records)) return records;
  const out: Record<string, unknown> = { ...(records as Record<string, unknown>) };
  for (const [section, list] of Object.entries(edited)) {
    const before: unknown = out[section];
    out[section] = [...(Array.isArray(before) ? (before as unknown[]) : []), ...list];
  }
  return out;
}

function validate(json: unknown): DataSetFile {
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new DataSetError([{ file: FILE, message: 'must be a JSON object of data-set sections' }]);
  }
  const parsed = parseDataSetFile(FILE, JSON.stringify(json));
  if ('issues' in parsed) throw new DataSetError(parsed.issues);
  return parsed.data;
}

async function checkSourcesExist(query: Query, ids: readonly string[], data: DataSetFile): Promise<void> {
  const defined = new Set((data.sources ?? []).map((s) => s.id));
  const outside = [...new Set(ids)].filter((id) => !defined.has(id));
  if (outside.length === 0) return;
  const rows = await query<{ id: string }>('MATCH (s:Record:Source) WHERE s.id IN $ids RETURN s.id AS id', {
    ids: outside,
  });
  const found = new Set(rows.map((r) => r.id));
  const missing = outside.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new DataSetError(
      missing.map((id) => ({
        file: FILE,
        field: 'sources',
        message: `cites "${id}", which is neither a source in the database nor one given in this write`,
      })),
    );
  }
}
