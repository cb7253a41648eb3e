import type { Query } from '../db/database';
import { bumpGraphVersion } from '../queries/graphVersion';
import { DataSetError, type DataSetIssue } from '../seed/dataSetError';
import { nodeSpec, relationshipSpec } from '../seed/storage';
import { storeChangeSet, type ChangeSet } from './changeSet';
import { sectionOfId } from './storedRecord';
import { archive, checkExpectedVersion, type WriteOptions } from './writeRecords';

/**
 * Retraction: the database stops asserting a record (it was wrong, not merely over: a stake that ended gets
 * an endDate instead). The record leaves the current graph and stays readable as a retracted
 * `:RecordVersion`, so a question asked with an earlier `knownAsOf` still sees it. A node that other
 * current records still point at (an organization with stakes, a model with offerings) is refused: retract
 * or move those first, so no current record refers to nothing.
 */
export async function retractRecords(
  query: Query,
  ids: readonly string[],
  change: ChangeSet,
  options: WriteOptions = {},
): Promise<{ retracted: number; recordIds: string[] }> {
  const issues: DataSetIssue[] = [];
  for (const id of ids) {
    const section = sectionOfId(id);
    const node = section && nodeSpec(section);
    const relationship = section && relationshipSpec(section);
    if (node) {
      const [row] = await query<{ props: Record<string, unknown>; dependents: string[] }>(
        `MATCH (n:Record {id: $id})
         SET n._writeLock = true REMOVE n._writeLock
         WITH n
         OPTIONAL MATCH (n)-[r]-(m:Record)
           WHERE NOT (startNode(r) = n AND type(r) IN $ownLinks)
         WITH n, collect(DISTINCT m.id)[..5] AS dependents
         RETURN properties(n) AS props, dependents`,
        { id, ownLinks: node.links.map((l) => l.type) },
      );
      checkExpectedVersion(options, id, row?.props);
      if (!row) {
        issues.push({
          file: 'input',
          recordId: id,
          field: 'id',
          message: `no current record has id "${id}"`,
        });
        continue;
      }
      const dependents = [...row.dependents, ...(section === 'sources' ? await citing(query, id) : [])];
      if (dependents.length > 0) {
        issues.push({
          file: 'input',
          recordId: id,
          field: 'id',
          message: `is still referred to by ${dependents.join(', ')}; retract or change those first`,
        });
        continue;
      }
      await archive(query, node.label, [row.props], change, true);
      await query('MATCH (n:Record {id: $id}) DETACH DELETE n', { id });
    } else if (relationship) {
      const [row] = await query<{ props: Record<string, unknown> }>(
        `MATCH (a)-[r:${relationship.type} {id: $id}]->(b)
         SET r._writeLock = true REMOVE r._writeLock
         RETURN r {.*, _from: a.id, _to: b.id} AS props`,
        { id },
      );
      checkExpectedVersion(options, id, row?.props);
      if (!row) {
        issues.push({
          file: 'input',
          recordId: id,
          field: 'id',
          message: `no current record has id "${id}"`,
        });
        continue;
      }
      await archive(query, relationship.type, [row.props], change, true);
      await query(`MATCH ()-[r:${relationship.type} {id: $id}]->() DELETE r`, { id });
    } else {
      issues.push({
        file: 'input',
        recordId: id,
        field: 'id',
        message: `"${id}" is not the id of any kind of record`,
      });
    }
  }
  if (issues.length > 0) throw new DataSetError(issues);
  const recordIds = [...ids];
  await storeChangeSet(query, change, {
    recordIds,
    created: 0,
    updated: 0,
    unchanged: 0,
    retracted: ids.length,
  });
  // Last: the counter's node is one lock every write takes, held from here to the commit.
  await bumpGraphVersion(query);
  return { retracted: ids.length, recordIds };
}

/** Records that cite a source (a source stays while anything cites it). */
async function citing(query: Query, sourceId: string): Promise<string[]> {
  const rows = await query<{ id: string }>(
    `CALL () {
       MATCH (n:Record) WHERE $id IN n.sourceIds RETURN n.id AS id
       UNION
       MATCH ()-[r]->() WHERE r.id IS NOT NULL AND $id IN r.sourceIds RETURN r.id AS id
     }
     RETURN id LIMIT 5`,
    { id: sourceId },
  );
  return rows.map((r) => r.id);
}
