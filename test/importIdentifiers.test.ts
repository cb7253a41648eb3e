import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config';
import { ftmReader } from '../src/import/ftm';
import { runImport } from '../src/import/runImport';
import { DataSetError } from '../src/seed/dataSetError';
import { loadFolder } from '../src/seed/loadDataSet';
import {
  IMPORT_FIXTURES,
  OPENSANCTIONS_SDN,
  graphSnapshot,
  policiesOnly,
  useImportHarness,
} from './support/imports';

/**
 * Issue 13: identifiers shown, looked up and screened by; unique identifiers refused twice; a folder checked
 * whole (references and identifiers, against the database) before its first file is written.
 */

const harness = useImportHarness(async (db) => {
  await policiesOnly(db);
  await runImport(db, {
    file: path.join(IMPORT_FIXTURES, 'ftm', 'sanctioned-group.ftm.json'),
    format: 'ftm',
    reader: ftmReader(),
    source: OPENSANCTIONS_SDN,
  });
});
const db = harness.db;
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => fs.rm(dir, { recursive: true, force: true }))));

async function execute(query: string) {
  const response = await harness.app.apollo.executeOperation(
    { query },
    { contextValue: harness.app.context() },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers walked as JSON
  return response.body.singleResult as { data: any; errors?: Array<{ message: string; extensions?: any }> };
}

/** A folder of data-set files (name → content). */
async function folderOf(files: Record<string, object>): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'import-folder-'));
  made.push(folder);
  for (const [name, content] of Object.entries(files))
    await fs.writeFile(path.join(folder, name), JSON.stringify(content));
  return folder;
}

const SRC = {
  id: 'src:folder-test',
  url: 'https://example.org/f',
  publisher: 'Example',
  title: 'Folder test',
};
const org = (id: string, extra: object = {}) => ({
  id,
  name: id,
  type: 'COMPANY',
  sources: [SRC.id],
  ...extra,
});

describe('Identifiers in the API', () => {
  it('shows a party’s identifiers with their canonical key and a page to check them', async () => {
    const { data, errors } = await execute(
      `{ organization(id: "org:ftm-NK-volga-holding") { identifiers { scheme value registry exchange key url } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data.organization.identifiers).toEqual([
      {
        scheme: 'OPENSANCTIONS',
        value: 'NK-volga-holding',
        registry: null,
        exchange: null,
        key: 'OPENSANCTIONS:NK-volga-holding',
        url: 'https://www.opensanctions.org/entities/NK-volga-holding/',
      },
      {
        scheme: 'LEI',
        value: '5299000VOLGAHOLD0195',
        registry: null,
        exchange: null,
        key: 'LEI:5299000VOLGAHOLD0195',
        url: 'https://search.gleif.org/#/record/5299000VOLGAHOLD0195',
      },
    ]);
  });

  it('finds a party by identifier, and names the rule a malformed one breaks', async () => {
    const found = await execute(
      `{ partiesByIdentifier(identifier: {scheme: LEI, value: "5299000VOLGAHOLD0195"}) { id } }`,
    );
    expect(found.data.partiesByIdentifier).toEqual([{ id: 'org:ftm-NK-volga-holding' }]);
    const none = await execute(
      `{ partiesByIdentifier(identifier: {scheme: WIKIDATA, value: "Q42"}) { id } }`,
    );
    expect(none.data.partiesByIdentifier).toEqual([]);
    const bad = await execute(
      `{ partiesByIdentifier(identifier: {scheme: LEI, value: "5299000VOLGAHOLD0196"}) { id } }`,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toBe(
      'Argument "identifier.value" fails the ISO 17442 check digits (mod 97), got {"scheme":"LEI","value":"5299000VOLGAHOLD0196"}.',
    );
  });

  it('screens a customer list by LEI: exact matches, invalid check digits and unknown LEIs each say so', async () => {
    const { data, errors } =
      await execute(`{ screen(customers: { lei: ["5299000VOLGAHOLD0195", "5299000VOLGAHOLD0196",
      "5299000KAMAROBOT0195"] }, policies: ["policy:ofac-50-percent-rule"], asOf: "2026-11-30") {
        results { input status match { id } error verdicts { verdict } } summary { total matched notFound covered } } }`);
    expect(errors).toBeUndefined();
    expect(data.screen.results).toEqual([
      {
        input: 'LEI:5299000VOLGAHOLD0195',
        status: 'MATCHED',
        match: { id: 'org:ftm-NK-volga-holding' },
        error: null,
        verdicts: [{ verdict: 'COVERED' }],
      },
      {
        input: 'LEI:5299000VOLGAHOLD0196',
        status: 'INVALID',
        match: null,
        error: 'value fails the ISO 17442 check digits (mod 97)',
        verdicts: [],
      },
      { input: 'LEI:5299000KAMAROBOT0195', status: 'NOT_FOUND', match: null, error: null, verdicts: [] },
    ]);
    expect(data.screen.summary).toEqual({ total: 3, matched: 1, notFound: 1, covered: 1 });
  });
});

describe('Loads checked whole before they write', () => {
  it('refuses a folder whose later file refers to an id nowhere, writing none of its files', async () => {
    const folder = await folderOf({
      '00-first.json': { sources: [SRC], organizations: [org('org:folder-first')] },
      '10-second.json': {
        ownerships: [
          {
            id: 'own:folder-x',
            owner: 'org:folder-first',
            owned: 'org:folder-nowhere',
            share: { exact: 10 },
            sources: [SRC.id],
          },
        ],
      },
    });
    const before = await graphSnapshot(db);
    const error = await loadFolder(db, folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataSetError);
    expect((error as DataSetError).issues).toEqual([
      {
        file: '10-second.json',
        section: 'ownerships',
        index: 0,
        recordId: 'own:folder-x',
        field: 'owned',
        message: 'refers to "org:folder-nowhere", which exists neither in the folder nor in the database',
      },
    ]);
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('refuses a folder giving an LEI that another record in the database holds, writing nothing', async () => {
    const folder = await folderOf({
      '00-dup.json': {
        sources: [SRC],
        organizations: [
          org('org:folder-dup', { identifiers: [{ scheme: 'LEI', value: '5299000VOLGAHOLD0195' }] }),
        ],
      },
    });
    const error = await loadFolder(db, folder).catch((e: unknown) => e);
    expect((error as DataSetError).issues.map((i) => [i.file, i.recordId, i.field, i.message])).toEqual([
      [
        '00-dup.json',
        'org:folder-dup',
        'identifiers[0]',
        'holds LEI:5299000VOLGAHOLD0195, which already identifies "org:ftm-NK-volga-holding" in the database; an identifier of this scheme names one party',
      ],
    ]);
    expect(await db.readRows("MATCH (n {id: 'org:folder-dup'}) RETURN n")).toEqual([]);
  });

  it('makes seed:check exit 1 for a reference no file defines, unless --database finds it', async () => {
    const folder = await folderOf({
      '00-only.json': {
        sources: [SRC],
        ownerships: [
          {
            id: 'own:folder-y',
            owner: 'org:ftm-NK-volga-holding',
            owned: 'org:ftm-NK-volga-sgp',
            share: null,
            sources: [SRC.id],
          },
        ],
      },
    });
    const run = (args: string[]) =>
      promisify(execFile)('npx', ['tsx', 'src/seed/checkCli.ts', ...args], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          NEO4J_URI: process.env.TEST_NEO4J_URI,
          NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD,
        },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          stdout: e.stdout,
          stderr: e.stderr,
        }),
      );
    const offline = await run([folder]);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain(
      `00-only.json, ownerships[0], id "own:folder-y", field "owner": refers to "org:ftm-NK-volga-holding", which no file in ${folder} defines (give --database to check it against Neo4j)`,
    );
    const online = await run(['--database', folder]);
    expect(online.stdout).toContain('0 problem(s)');
    expect(online.code).toBe(0);
  });
});
