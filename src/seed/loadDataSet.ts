import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Database, Query } from '../db/database';
import { SECTIONS, type DataSetFile, type Section } from '../model/dataset';
import { bumpGraphVersion } from '../queries/graphVersion';
import { DataSetError, type DataSetIssue } from './dataSetError';
import { checkIdentifiersAgainstDatabase } from './identifierClashes';
import { referencesOf, type ParsedFile } from './readDataSet';
import { NODE_SECTIONS, nodeSpec, relationshipSpec, toProps, type Props } from './storage';
import { databaseIssues, validateFolder } from './validateFolder';

/**
 * Writes a data-set folder: each file in its own write transaction, MERGE on stable ids, so loading the
 * same folder twice changes nothing. A file with any problem (schema, a reference to an id that exists
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

export async function loadFile(db: Database, { file, data }: ParsedFile): Promise<FileReport> {
  const name = path.basename(file);
  return db.write(async (query) => {
    await checkReferences(query, name, data);
    await checkIdentifiersAgainstDatabase(query, name, data);
    const report: FileReport = { file: name, created: 0, updated: 0, unchanged: 0 };
    for (const section of SECTIONS) {
      const records = (data[section] ?? []) as Array<Record<string, unknown> & { id: string }>;
      if (records.length === 0) continue;
      const counts = NODE_SECTIONS[section]
        ? await writeNodes(query, section, records)
        : await writeRelationships(query, section, records);
      report.created += counts.created;
      report.updated += counts.updated;
      report.unchanged += counts.unchanged;
    }
    await checkDerivationCycles(query, name, data);
    if (report.created + report.updated > 0) await bumpGraphVersion(query);
    return report;
  });
}

/** References to ids outside this file must exist in the database; the transaction sees earlier files. */
async function checkReferences(query: Query, file: string, data: DataSetFile): Promise<void> {
  const local = new Set<string>();
  for (const section of SECTIONS) for (const r of data[section] ?? []) local.add(r.id);
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

type Counts = { created: number; updated: number; unchanged: number };

async function writeNodes(
  query: Query,
  section: Section,
  records: Array<Record<string, unknown> & { id: string }>,
): Promise<Counts> {
  const spec = nodeSpec(section);
  if (!spec) throw new Error(`${section} is not a section of nodes`);
  const existing = await existingProps(
    query,
    'MATCH (n:Record) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS props',
    records,
  );
  const changed: Array<{ id: string; props: Props; links: Record<string, string[]>; sourceIds: string[] }> =
    [];
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  for (const record of records) {
    const props = toProps(record);
    const before = existing.get(record.id);
    if (before && isDeepStrictEqual(sorted(before), sorted(props))) {
      counts.unchanged++;
      continue;
    }
    counts[before ? 'updated' : 'created']++;
    const links: Record<string, string[]> = {};
    for (const link of spec.links) links[link.type] = link.targets(record).filter((t): t is string => !!t);
    changed.push({ id: record.id, props, links, sourceIds: props.sourceIds as string[] });
  }
  if (changed.length === 0) return counts;
  // The label comes from our own table, never from input: Cypher cannot take a label as a parameter on 5.26.
  await query(
    `UNWIND $rows AS row
     MERGE (n:Record {id: row.id})
     SET n = row.props, n:${spec.label}`,
    { rows: changed },
  );
  for (const link of spec.links) {
    await query(
      `UNWIND $rows AS row
       MATCH (n:Record {id: row.id})
       OPTIONAL MATCH (n)-[old:${link.type}]->()
       DELETE old
       WITH DISTINCT n, row
       UNWIND row.links.${link.type} AS target
       MATCH (m:Record {id: target})
       CREATE (n)-[:${link.type} {sourceIds: row.sourceIds}]->(m)`,
      { rows: changed },
    );
  }
  return counts;
}

async function writeRelationships(
  query: Query,
  section: Section,
  records: Array<Record<string, unknown> & { id: string }>,
): Promise<Counts> {
  const spec = relationshipSpec(section);
  if (!spec) throw new Error(`${section} is not a section of relationships`);
  const existing = await existingProps(
    query,
    `MATCH (a)-[r:${spec.type}]->(b) WHERE r.id IN $ids
     RETURN r.id AS id, r {.*, _from: a.id, _to: b.id} AS props`,
    records,
  );
  const changed: Array<{ id: string; from: string; to: string; props: Props }> = [];
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  for (const record of records) {
    const props = toProps(record);
    const from = spec.from(record);
    const to = spec.to(record);
    const before = existing.get(record.id);
    if (before && isDeepStrictEqual(sorted(before), sorted({ ...props, _from: from, _to: to }))) {
      counts.unchanged++;
      continue;
    }
    counts[before ? 'updated' : 'created']++;
    changed.push({ id: record.id, from, to, props });
  }
  if (changed.length === 0) return counts;
  // Replace rather than update in place: an edited record may have moved to other endpoints.
  await query(
    `UNWIND $rows AS row
     OPTIONAL MATCH ()-[old:${spec.type} {id: row.id}]->()
     DELETE old
     WITH DISTINCT row
     MATCH (a:Record {id: row.from}), (b:Record {id: row.to})
     CREATE (a)-[r:${spec.type}]->(b)
     SET r = row.props`,
    { rows: changed },
  );
  return counts;
}

async function existingProps(
  query: Query,
  cypher: string,
  records: Array<{ id: string }>,
): Promise<Map<string, Record<string, unknown>>> {
  const rows = await query<{ id: string; props: Record<string, unknown> }>(cypher, {
    ids: records.map((r) => r.id),
  });
  return new Map(rows.map((r) => [r.id, r.props]));
}

function sorted(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/** A model cannot descend from itself; a cycle through this file's derivations rejects the file. */
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
