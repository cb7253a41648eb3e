import { isDeepStrictEqual } from 'node:util';
import type { Query } from '../db/database';
import { SECTIONS, type DataSetFile, type Section } from '../model/dataset';
import { bumpGraphVersion } from '../queries/graphVersion';
import { RECORD_TIME_PROPERTIES, RECORD_VERSION_LABEL, VERSION_OF } from '../records/recordTime';
import { DataSetError, type DataSetIssue } from '../seed/dataSetError';
import { checkIdentifiersAgainstDatabase } from '../seed/identifierClashes';
import { definedIds, referencesOf } from '../seed/readDataSet';
import { nodeSpec, relationshipSpec, toProps, type Props, type StoredRecord } from '../seed/storage';
import { storeChangeSet, type ChangeSet } from './changeSet';
import { VersionConflict } from './versionConflict';

/**
 * The one record-writing layer: the seed loader, the mutations and the importers write data-set records
 * through `writeRecords`, inside a write transaction the caller opens (so a call is all-or-nothing). It
 * MERGEs on stable ids in UNWIND batches (a few queries per section, never one per record), keeps what a
 * write replaces as a `:RecordVersion`, stamps every record it changes with its version and record time,
 * checks `expectedVersion`s under a write lock, and stores the change set.
 */

export interface WriteOptions {
  /** The version each listed record must be at when written (0: it must not exist yet). */
  expectedVersions?: ReadonlyMap<string, number>;
}

export interface WriteReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Ids of the records created or updated, in write order. */
  recordIds: string[];
}

/** Set and removed in the same statement: taking the record's write lock before its version is read. */
const LOCK = '_writeLock';

export async function writeRecords(
  query: Query,
  file: string,
  data: DataSetFile,
  change: ChangeSet,
  options: WriteOptions = {},
): Promise<WriteReport> {
  checkDuplicates(file, data);
  await checkReferences(query, file, data);
  await checkIdentifiersAgainstDatabase(query, file, data);
  const report: WriteReport = { created: 0, updated: 0, unchanged: 0, recordIds: [] };
  for (const section of SECTIONS) {
    const records = (data[section] ?? []) as StoredRecord[];
    if (records.length === 0) continue;
    const counts = nodeSpec(section)
      ? await writeNodes(query, section, records, change, options)
      : await writeRelationships(query, section, records, change, options);
    report.created += counts.created;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
    report.recordIds.push(...counts.recordIds);
  }
  await checkDerivationCycles(query, file, data);
  if (report.recordIds.length > 0) {
    await storeChangeSet(query, change, { ...report, retracted: 0 });
    // Last: the counter's node is one lock every write takes, held from here to the commit.
    await bumpGraphVersion(query);
  }
  return report;
}

/** The version a stored record is at: 0 when there is none; records stored before versions existed are at 1. */
export function versionOf(props: Record<string, unknown> | undefined): number {
  if (!props) return 0;
  return typeof props.version === 'number' ? props.version : 1;
}

export function checkExpectedVersion(
  options: WriteOptions,
  id: string,
  before: Record<string, unknown> | undefined,
): void {
  const expected = options.expectedVersions?.get(id);
  if (expected !== undefined && expected !== versionOf(before))
    throw new VersionConflict(id, expected, versionOf(before));
}

/** The stored properties without record time: what a write compares to decide "unchanged". */
function content(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props).sort()) {
    if (!(RECORD_TIME_PROPERTIES as readonly string[]).includes(key)) out[key] = props[key];
  }
  return out;
}

function stamped(props: Props, version: number, change: ChangeSet): Props {
  return { ...props, version, recordedAt: change.at, changeSetId: change.id };
}

/** Copies of the versions a write replaces or retracts, as `:RecordVersion` nodes. */
export async function archive(
  query: Query,
  kind: string,
  versions: Array<Record<string, unknown>>,
  change: ChangeSet,
  retracted = false,
): Promise<void> {
  if (versions.length === 0) return;
  await query(
    `UNWIND $versions AS v
     CREATE (x:${RECORD_VERSION_LABEL})
     SET x = v, x.${VERSION_OF} = $kind, x.supersededAt = $at, x.supersededBy = $changeSetId, x.retracted = $retracted`,
    { versions, kind, at: change.at, changeSetId: change.id, retracted },
  );
}

type Counts = Omit<WriteReport, 'recordIds'> & { recordIds: string[] };

/**
 * A record updated in one statement: what the unlocked read saw of it (its version and the change set that
 * wrote that version), and what replaces it.
 */
interface FusedRow {
  id: string;
  seenVersion: number;
  seenChangeSetId: string;
  props: Props;
  [more: string]: unknown;
}

async function writeNodes(
  query: Query,
  section: Section,
  records: StoredRecord[],
  change: ChangeSet,
  options: WriteOptions,
): Promise<Counts> {
  const spec = nodeSpec(section)!;
  const linksOf = (record: StoredRecord) => {
    const links: Record<string, string[]> = {};
    for (const link of spec.links) links[link.type] = link.targets(record).filter((t): t is string => !!t);
    return links;
  };
  const read = (lock: boolean) =>
    `MATCH (n:Record) WHERE n.id IN $ids
     ${lock ? `SET n.${LOCK} = true REMOVE n.${LOCK}` : ''}
     RETURN n.id AS id, properties(n) AS props`;
  const sent = records.map((record) => ({ id: record.id, record, props: toProps(record) }));
  const stored = await readProps(query, read(false), sent);
  // Updates first, in one statement; then the rest (new records, and what the fused statement left). A link
  // always points at a record of an earlier section (seed/storage.ts), so no update links to a node of its own
  // section that the rest creates only afterwards.
  const fusable = sent.filter((s) => updatable(options, s.id, stored.get(s.id), s.props));
  const fusedRows = fusable.map((s) => ({
    ...seen(s.id, stored),
    props: stamped(s.props, versionOf(stored.get(s.id)) + 1, change),
    links: linksOf(s.record),
    sourceIds: s.props.sourceIds as string[],
  }));
  const linkedTypes = (rows: Array<{ links: Record<string, string[]> }>) =>
    spec.links.map((link) => link.type).filter((type) => rows.some((row) => row.links[type]!.length > 0));
  const fused = await updateFused(
    query,
    fusedNodeStatement(section, linkedTypes(fusedRows)),
    fusedRows,
    spec.label,
    change,
  );

  const rest = sent.filter((s) => !fused.has(s.id));
  const existing = await lockChanged(query, read(true), rest, stored);
  const changed: Array<{
    id: string;
    existed: boolean;
    props: Props;
    links: Record<string, string[]>;
    sourceIds: string[];
  }> = [];
  const replaced: Array<Record<string, unknown>> = [];
  const counts: Counts = { created: 0, updated: fused.size, unchanged: 0, recordIds: [] };
  const written = new Set(fused);
  for (const { id, record, props } of rest) {
    const before = existing.get(id);
    checkExpectedVersion(options, id, before);
    if (before && sameContent(before, props)) {
      counts.unchanged++;
      continue;
    }
    counts[before ? 'updated' : 'created']++;
    written.add(id);
    if (before) replaced.push(before);
    changed.push({
      id,
      existed: before !== undefined,
      props: stamped(props, versionOf(before) + 1, change),
      links: linksOf(record),
      sourceIds: props.sourceIds as string[],
    });
  }
  counts.recordIds = records.filter((r) => written.has(r.id)).map((r) => r.id);
  if (changed.length === 0) return counts;
  await archive(query, spec.label, replaced, change);
  const raced = await query<{ id: string; version: number }>(
    nodeStatement(section, replaced.length > 0, linkedTypes(changed)),
    { rows: changed },
  );
  // A record this write found absent that another write created before this one's MERGE reached it: the
  // MERGE matched it and would have overwritten its version 1 unarchived. The whole write is refused instead.
  const first = raced[0];
  if (first) throw new VersionConflict(first.id, 0, versionOf({ version: first.version }));
  return counts;
}

const nodeStatements = new Map<string, string>();

/** The subqueries that create a node's links, one per link type the batch has (see `nodeStatement`). */
function linkSubqueries(linked: readonly string[]): string[] {
  return linked.map(
    (type) =>
      `CALL (n, row) { UNWIND row.links.${type} AS target MATCH (m:Record {id: target}) ` +
      `CREATE (n)-[:${type} {sourceIds: row.sourceIds}]->(m) }`,
  );
}

/**
 * One statement per section writes its nodes and their links: MERGE on the id, then, for a record that
 * existed, its old links dropped, then each link created. One index lookup per record instead of one per
 * link type, and no link lookups at all for new records. The statement holds only the parts the batch needs:
 * no link-dropping subquery when every record is new, no subquery for a link type no record has (each such
 * `CALL` makes the planner materialise the whole batch, an Eager, once more). Labels and types come from our
 * own table, never from input: Cypher cannot take them as parameters on 5.26.
 */
function nodeStatement(section: Section, anyExisted: boolean, linked: readonly string[]): string {
  const key = `${section}:${anyExisted}:${linked.join(',')}`;
  const cached = nodeStatements.get(key);
  if (cached) return cached;
  const spec = nodeSpec(section)!;
  const types = spec.links.map((link) => link.type);
  const subqueries = [
    ...(anyExisted && types.length > 0
      ? [`CALL (n, row) { WITH n WHERE row.existed MATCH (n)-[old:${types.join('|')}]->() DELETE old }`]
      : []),
    ...linkSubqueries(linked),
  ];
  const statement = [
    'UNWIND $rows AS row',
    'MERGE (n:Record {id: row.id})',
    // A record the write's read found absent yet holding a version was created by another write since.
    'WITH n, row, CASE WHEN NOT row.existed THEN n.version END AS raced',
    `SET n = row.props, n:${spec.label}`,
    ...(subqueries.length > 0 ? ['WITH n, row, raced', ...subqueries] : []),
    'WITH row, raced WHERE raced IS NOT NULL',
    'RETURN row.id AS id, raced AS version LIMIT 1',
  ].join('\n');
  nodeStatements.set(key, statement);
  return statement;
}

/**
 * An update of nodes in one statement: each record's write lock taken, its version checked against the one
 * the unlocked read saw, the old version archived, the new properties set and the links replaced. A record a
 * concurrent write changed in between is left alone (its lock now held) for the locking path.
 */
function fusedNodeStatement(section: Section, linked: readonly string[]): string {
  const key = `fused:${section}:${linked.join(',')}`;
  const cached = nodeStatements.get(key);
  if (cached) return cached;
  const spec = nodeSpec(section)!;
  const types = spec.links.map((link) => link.type);
  const statement = [
    'UNWIND $rows AS row',
    'MATCH (n:Record {id: row.id})',
    `SET n.${LOCK} = true REMOVE n.${LOCK}`,
    'WITH n, row, properties(n) AS before',
    SEEN_UNCHANGED,
    ARCHIVE_BEFORE,
    `SET n = row.props, n:${spec.label}`,
    'WITH n, row',
    ...(types.length > 0 ? [`CALL (n) { MATCH (n)-[old:${types.join('|')}]->() DELETE old }`] : []),
    ...linkSubqueries(linked),
    'RETURN row.id AS id',
  ].join('\n');
  nodeStatements.set(key, statement);
  return statement;
}

/** Still the version the unlocked read saw (the change set that wrote a version tells two writes apart). */
const SEEN_UNCHANGED = `WHERE coalesce(before.version, 1) = row.seenVersion
  AND coalesce(before.changeSetId, '') = row.seenChangeSetId`;
const ARCHIVE_BEFORE = `CREATE (x:${RECORD_VERSION_LABEL})
SET x = before, x.${VERSION_OF} = $kind, x.supersededAt = $at, x.supersededBy = $changeSetId, x.retracted = false`;

/** Runs a fused update; the ids it wrote (the others changed since the unlocked read, or vanished). */
async function updateFused(
  query: Query,
  statement: string,
  rows: FusedRow[],
  kind: string,
  change: ChangeSet,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await query<{ id: string }>(statement, {
    rows,
    kind,
    at: change.at,
    changeSetId: change.id,
  });
  return new Set(written.map((row) => row.id));
}

async function writeRelationships(
  query: Query,
  section: Section,
  records: StoredRecord[],
  change: ChangeSet,
  options: WriteOptions,
): Promise<Counts> {
  const spec = relationshipSpec(section)!;
  const read = (lock: boolean) =>
    `MATCH (a)-[r:${spec.type}]->(b) WHERE r.id IN $ids
     ${lock ? `SET r.${LOCK} = true REMOVE r.${LOCK}` : ''}
     RETURN r.id AS id, r {.*, _from: a.id, _to: b.id} AS props`;
  const sent = records.map((record) => ({
    id: record.id,
    from: spec.from(record),
    to: spec.to(record),
    props: toProps(record),
  }));
  const compared = (s: (typeof sent)[number]) => ({ ...s.props, _from: s.from, _to: s.to });
  const stored = await readProps(
    query,
    read(false),
    sent.map((s) => ({ id: s.id, props: compared(s) })),
  );
  // Updated in place while the ends stay, in one statement (a writer waiting on its lock then reads the new
  // version); a record moved to other ends is replaced by the locking path below.
  const fusedRows = sent
    .filter((s) => {
      const before = stored.get(s.id);
      return (
        updatable(options, s.id, before, compared(s)) && before!._from === s.from && before!._to === s.to
      );
    })
    .map((s) => ({
      ...seen(s.id, stored),
      from: s.from,
      to: s.to,
      props: stamped(s.props, versionOf(stored.get(s.id)) + 1, change),
    }));
  const fused = await updateFused(query, fusedRelationshipStatement(spec.type), fusedRows, spec.type, change);

  const rest = sent.filter((s) => !fused.has(s.id));
  const existing = await lockChanged(
    query,
    read(true),
    rest.map((s) => ({ id: s.id, props: compared(s) })),
    stored,
  );
  const changed: Array<{ id: string; from: string; to: string; props: Props }> = [];
  const replaced: Array<Record<string, unknown>> = [];
  const counts: Counts = { created: 0, updated: fused.size, unchanged: 0, recordIds: [] };
  const written = new Set(fused);
  for (const s of rest) {
    const before = existing.get(s.id);
    checkExpectedVersion(options, s.id, before);
    if (before && sameContent(before, compared(s))) {
      counts.unchanged++;
      continue;
    }
    counts[before ? 'updated' : 'created']++;
    written.add(s.id);
    if (before) replaced.push(before);
    changed.push({
      id: s.id,
      from: s.from,
      to: s.to,
      props: stamped(s.props, versionOf(before) + 1, change),
    });
  }
  counts.recordIds = records.filter((r) => written.has(r.id)).map((r) => r.id);
  if (changed.length === 0) return counts;
  await archive(query, spec.type, replaced, change);
  const inPlace: typeof changed = [];
  const moved: typeof changed = [];
  const created: typeof changed = [];
  for (const row of changed) {
    const before = existing.get(row.id);
    if (!before) created.push(row);
    else if (before._from === row.from && before._to === row.to) inPlace.push(row);
    else moved.push(row);
  }
  if (inPlace.length > 0) {
    await query(
      `UNWIND $rows AS row
       MATCH ()-[r:${spec.type} {id: row.id}]->()
       SET r = row.props`,
      { rows: inPlace },
    );
  }
  if (moved.length > 0) {
    await query(
      `UNWIND $rows AS row
       MATCH ()-[old:${spec.type} {id: row.id}]->()
       DELETE old`,
      { rows: moved },
    );
  }
  if (created.length + moved.length > 0) {
    await query(
      `UNWIND $rows AS row
       MATCH (a:Record {id: row.from}), (b:Record {id: row.to})
       CREATE (a)-[r:${spec.type}]->(b)
       SET r = row.props`,
      { rows: moved.length === 0 ? created : [...moved, ...created] },
    ).catch((error: unknown) => {
      throw createdMeanwhile(error, created) ?? error;
    });
  }
  return counts;
}

/**
 * A relationship this write found absent that another write created before this one's CREATE (the id's
 * uniqueness constraint refused the second): the write conflicts, as a node created meanwhile does.
 */
function createdMeanwhile(
  error: unknown,
  created: ReadonlyArray<{ id: string }>,
): VersionConflict | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'Neo.ClientError.Schema.ConstraintValidationFailed' || created.length === 0) return undefined;
  const named = typeof message === 'string' ? /`id` = '((?:[^'\\]|\\.)*)'/.exec(message)?.[1] : undefined;
  const id = created.find((row) => row.id === named)?.id ?? created[0]!.id;
  // The other write's version is not readable here (the failed statement ends this transaction); it created it.
  return new VersionConflict(id, 0, 1);
}

/** The relationship form of `fusedNodeStatement`: also left alone when its ends moved since it was read. */
function fusedRelationshipStatement(type: string): string {
  return [
    'UNWIND $rows AS row',
    `MATCH (a)-[r:${type} {id: row.id}]->(b)`,
    `SET r.${LOCK} = true REMOVE r.${LOCK}`,
    'WITH r, row, r {.*, _from: a.id, _to: b.id} AS before',
    SEEN_UNCHANGED,
    '  AND before._from = row.from AND before._to = row.to',
    ARCHIVE_BEFORE,
    'SET r = row.props',
    'RETURN row.id AS id',
  ].join('\n');
}

/** What the unlocked read saw of a stored record, for the fused statement to check under the lock. */
function seen(id: string, stored: Map<string, Record<string, unknown>>) {
  const before = stored.get(id);
  return {
    id,
    seenVersion: versionOf(before),
    seenChangeSetId: typeof before?.changeSetId === 'string' ? before.changeSetId : '',
  };
}

/**
 * Whether a record can take the fused update: it exists, what is sent differs from it, and the version a
 * write expects (if any) is the one seen. Anything else (a conflict to report, a record to create) takes the
 * locking path, which decides it on what it reads under the lock.
 */
function updatable(
  options: WriteOptions,
  id: string,
  before: Record<string, unknown> | undefined,
  sent: Props,
): boolean {
  if (!before || sameContent(before, sent)) return false;
  const expected = options.expectedVersions?.get(id);
  return expected === undefined || expected === versionOf(before);
}

/** Whether a record as sent equals its stored version, record time aside. */
function sameContent(stored: Record<string, unknown>, sent: Props): boolean {
  return isDeepStrictEqual(content(stored), content(sent));
}

/** The stored properties of the records a batch names, read without locks. */
async function readProps(
  query: Query,
  cypher: string,
  records: Array<{ id: string }>,
): Promise<Map<string, Record<string, unknown>>> {
  const ids = records.map((r) => r.id);
  const rows = await query<{ id: string; props: Record<string, unknown> }>(cypher, { ids });
  return new Map(rows.map((r) => [r.id, r.props]));
}

/**
 * The stored properties of the records a batch names, with the write lock held on each one the batch will
 * change. The first read (`stored`) took no lock; only the records whose stored content differs from what is
 * sent are then locked and read again (what a concurrent writer committed in between is what the batch then
 * compares and archives). A record sent unchanged is never locked: a resend of 10,000 records of which half
 * changed writes 5,000 locks, not 10,000. Reporting it unchanged from the unlocked read is what a lock would
 * have given had this write come first; a record that does not exist yet has nothing to lock either way (MERGE
 * and the unique id constraint settle two creators). Most updates never come here: the fused statement took
 * their locks and wrote them; these are the records it left (moved, conflicting, changed in between).
 */
async function lockChanged(
  query: Query,
  lockingRead: string,
  records: Array<{ id: string; props: Props }>,
  stored: Map<string, Record<string, unknown>>,
): Promise<Map<string, Record<string, unknown>>> {
  const changing = records.filter((r) => {
    const before = stored.get(r.id);
    return before !== undefined && !sameContent(before, r.props);
  });
  if (changing.length === 0) return stored;
  const locked = await readProps(query, lockingRead, changing);
  const out = new Map(stored);
  for (const { id } of changing) {
    const now = locked.get(id);
    if (now === undefined) out.delete(id);
    else out.set(id, now);
  }
  return out;
}

/** One call defines each id once: two versions of a record in one write would leave which one won to chance. */
function checkDuplicates(file: string, data: DataSetFile): void {
  const seen = new Set<string>();
  const issues: DataSetIssue[] = [];
  for (const section of SECTIONS) {
    (data[section] ?? []).forEach(({ id }: { id: string }, index: number) => {
      if (seen.has(id))
        issues.push({ file, section, index, recordId: id, field: 'id', message: `defines "${id}" twice` });
      seen.add(id);
    });
  }
  if (issues.length > 0) throw new DataSetError(issues);
}

/** References to ids outside this call must exist in the database; the transaction sees earlier writes. */
async function checkReferences(query: Query, file: string, data: DataSetFile): Promise<void> {
  const local = new Set(definedIds(data));
  const outside = referencesOf(data).filter((ref) => !local.has(ref.target));
  if (outside.length === 0) return;
  const ids = [...new Set(outside.map((r) => r.target))];
  const rows = await query<{ id: string }>('MATCH (n:Record) WHERE n.id IN $ids RETURN n.id AS id', { ids });
  const found = new Set(rows.map((r) => r.id));
  const issues: DataSetIssue[] = outside
    .filter((ref) => !found.has(ref.target))
    .map((ref) => ({
      file,
      section: ref.section,
      index: ref.index,
      recordId: ref.recordId,
      field: ref.field,
      message: `refers to "${ref.target}", which exists neither in this file, an earlier file, nor the database`,
    }));
  if (issues.length > 0) throw new DataSetError(issues);
}

/** A model cannot descend from itself; a cycle through this call's derivations rejects the call. */
async function checkDerivationCycles(query: Query, file: string, data: DataSetFile): Promise<void> {
  const derivations = data.derivations ?? [];
  if (derivations.length === 0) return;
  const rows = await query<{ id: string; cycle: string[] }>(
    `UNWIND $ids AS id
     MATCH (m:Record:AIModel {id: id})
     MATCH path = (m)-[:DERIVED_FROM*1..50]->(m)
     RETURN id, [n IN nodes(path) | n.id] AS cycle
     LIMIT 1`,
    { ids: [...new Set(derivations.map((d) => d.child))] },
  );
  const first = rows[0];
  if (!first) return;
  const index = derivations.findIndex((d) => d.child === first.id);
  throw new DataSetError([
    {
      file,
      section: 'derivations',
      index,
      recordId: derivations[index]?.id,
      field: 'parent',
      message: `makes a derivation cycle: ${first.cycle.join(' → ')}`,
    },
  ]);
}
