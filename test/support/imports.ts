import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import type { Principal } from '../../src/auth/principal';
import { createContext } from '../../src/graphql/context';
import { createLogger } from '../../src/log';
import { RECORD_TIME_PROPERTIES } from '../../src/records/recordTime';
import type { Database } from '../../src/db/database';
import type { ImportSource } from '../../src/import/importSource';
import { loadFolder } from '../../src/seed/loadDataSet';
import { FIXTURES, resetDatabase, testDatabase } from './database';
import { TEST_CONFIG } from './seededApp';

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

export interface ImportHarness {
  readonly db: Database;
  /** The app over that database (created in beforeAll). */
  readonly app: App;
  /** A scratch folder for files a test writes, removed in afterAll. */
  readonly folder: string;
  /** Runs an operation as `principal` (anonymous when none), answers as plain JSON. */
  execute(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<{
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON
    data: any;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;
  /** Writes a file of this text into the scratch folder, and gives its path. */
  file(name: string, text: string): Promise<string>;
}

/**
 * The set-up every import test file shares, registered in beforeAll/afterAll: a test database prepared by
 * `prepare` (default: empty but for the policies imports designate under), an app over it, a scratch folder.
 */
export function useImportHarness(prepare: (db: Database) => Promise<void> = policiesOnly): ImportHarness {
  const db = testDatabase();
  let app: App | undefined;
  let folder = '';
  beforeAll(async () => {
    await prepare(db);
    app = await createApp(db, TEST_CONFIG, createLogger('silent'));
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'import-test-'));
  });
  afterAll(async () => {
    await app?.stop(1000);
    await db.close();
    if (folder) await fs.rm(folder, { recursive: true, force: true });
  });
  return {
    db,
    get app() {
      if (!app) throw new Error('the app is created in beforeAll');
      return app;
    },
    get folder() {
      return folder;
    },
    async execute(query, variables = {}, principal) {
      const contextValue = createContext(db, TEST_CONFIG, createLogger('silent'), principal);
      const response = await this.app.apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as Awaited<ReturnType<ImportHarness['execute']>>;
    },
    async file(name, text) {
      const file = path.join(folder, name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text);
      return file;
    },
  };
}

/** An organization we already hold, in Russia, as the resolution tests set them up before an import. */
export const existingOrganization = (id: string, name: string, extra: object = {}) => ({
  id,
  name,
  type: 'COMPANY' as const,
  headquarters: 'RU',
  incorporation: 'RU',
  sources: ['src:fixture-policies'],
  ...extra,
});

/** A FollowTheMoney file of these entities, one a line, in the harness's scratch folder. */
export function ftmFile(harness: ImportHarness, name: string, entities: object[]): Promise<string> {
  return harness.file(name, entities.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
