import path from 'node:path';
import { RECORD_TIME_PROPERTIES } from '../../src/records/recordTime';
import type { Database } from '../../src/db/database';
import type { ImportSource } from '../../src/import/importSource';
import { loadFolder } from '../../src/seed/loadDataSet';
import { FIXTURES, resetDatabase } from './database';

export const IMPORT_FIXTURES = path.join(FIXTURES, 'import');

/** An empty database with the policies imported designations point to (the seed's policy ids). */
export async function policiesOnly(db: Database): Promise<void> {
  await resetDatabase(db);
  await loadFolder(db, path.join(IMPORT_FIXTURES, 'policies'));
}

export const OPENSANCTIONS_SDN: ImportSource = {
  dataset: 'us_ofac_sdn',
  version: '2026-11-28',
  url: 'https://www.opensanctions.org/datasets/us_ofac_sdn/',
  publisher: 'OpenSanctions',
  title: 'US OFAC Specially Designated Nationals (SDN) List',
};

/**
 * Every node and relationship with its properties, in a stable order, to compare before and after. With
 * `recordTime: false` the properties the write layer stamps (version, recordedAt, changeSetId) are left out:
 * two separate imports of the same facts record them at different instants.
 */
export async function graphSnapshot(db: Database, { recordTime = true }: { recordTime?: boolean } = {}) {
  const rows = await db.readRows<{ id: string; props: Record<string, unknown> }>(
    'MATCH (n:Record) RETURN n.id AS id, properties(n) AS props ORDER BY id',
  );
  const stamped = new Set<string>(RECORD_TIME_PROPERTIES);
  const nodes = recordTime
    ? rows
    : rows.map(({ id, props }) => ({
        id,
        props: Object.fromEntries(Object.entries(props).filter(([key]) => !stamped.has(key))),
      }));
  const relationships = await db.readRows<{ r: string }>(
    `MATCH (a:Record)-[r]->(b:Record)
     RETURN type(r) + ' ' + a.id + ' -> ' + b.id + ' ' + coalesce(r.id, '') AS r ORDER BY r`,
  );
  return { nodes, relationships: relationships.map((x) => x.r) };
}
