import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config';
import type { Database } from '../src/db/database';
import { readGraphVersion } from '../src/queries/graphVersion';
import { DataSetError } from '../src/seed/dataSetError';
import { loadFolder } from '../src/seed/loadDataSet';
import { validateFolder } from '../src/seed/validateFolder';
import { FIXTURES, SEED_FOLDER, countGraph, resetDatabase, testDatabase } from './support/database';
import { seedFileCount, seedRecordCount } from './support/seedFacts';

/**
 * Issue #3: `npm run seed [FOLDER]` loads seed/ or any folder in the same format, idempotently, one
 * transaction per file, and rejects a bad file whole with a message that says where and why.
 */

const SMALL = path.join(FIXTURES, 'small-dataset');
const PARTIES = '00-places-and-parties.json';
const STAKES = '10-stakes-and-models.json';
const SMALL_RECORDS = { [PARTIES]: 10, [STAKES]: 11 };

const db = testDatabase();
const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});
afterAll(() => db.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- data-set files edited in place as plain JSON
type Json = Record<string, any>;

/** A temporary copy of the small data set; `edits` change a file in place, or add one (file name → content). */
async function copyOfSmall(edits: Record<string, ((file: Json) => void) | Json> = {}): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'seed-loader-'));
  made.push(folder);
  for (const name of await fs.readdir(SMALL))
    await fs.copyFile(path.join(SMALL, name), path.join(folder, name));
  for (const [name, edit] of Object.entries(edits)) {
    const file = path.join(folder, name);
    let content: Json = edit;
    if (typeof edit === 'function') {
      content = JSON.parse(await fs.readFile(file, 'utf8')) as Json;
      edit(content);
    }
    await fs.writeFile(file, JSON.stringify(content, null, 2));
  }
  return folder;
}

/** Every node and relationship with its properties, in a stable order, for before/after comparisons. */
async function snapshot(database: Database) {
  const nodes = await database.readRows<{ id: string; labels: string[]; props: Json }>(
    'MATCH (n:Record) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id',
  );
  const relationships = await database.readRows<{ type: string; from: string; to: string; props: Json }>(
    'MATCH (a:Record)-[r]->(b:Record) RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props',
  );
  return {
    nodes: nodes.map((n) => ({ ...n, labels: [...n.labels].sort() })),
    relationships: relationships.map((r) => JSON.stringify(r)).sort(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<DataSetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DataSetError)) throw new Error(`expected a DataSetError, got ${String(error)}`);
  return error;
}

async function idsWithPrefix(prefix: string): Promise<string[]> {
  const rows = await db.readRows<{ id: string }>(
    'MATCH (n:Record) WHERE n.id STARTS WITH $prefix RETURN n.id AS id ORDER BY id',
    { prefix },
  );
  return rows.map((r) => r.id);
}

describe('Seed loader: the curated seed', () => {
  let firstLoad: Awaited<ReturnType<typeof loadFolder>>;

  beforeAll(async () => {
    await resetDatabase(db);
    firstLoad = await loadFolder(db, SEED_FOLDER);
  });

  it('creates every record of every file on the first load and reports it per file', async () => {
    const { files } = await validateFolder(SEED_FOLDER);
    const recordsIn = (data: Json) =>
      Object.values(data)
        .filter(Array.isArray)
        .reduce((n, list) => n + list.length, 0);
    expect(firstLoad.files).toEqual(
      files.map((f) => ({
        file: path.basename(f.file),
        created: recordsIn(f.data),
        updated: 0,
        unchanged: 0,
      })),
    );
    expect(firstLoad.created).toBe(files.reduce((n, f) => n + recordsIn(f.data), 0));
  });

  it('gives identical node and relationship counts, and identical properties, when loaded twice', async () => {
    const countsBefore = await countGraph(db);
    const before = await snapshot(db);
    const second = await loadFolder(db, SEED_FOLDER);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: firstLoad.created });
    expect(second.files.every((f) => f.created === 0 && f.updated === 0)).toBe(true);
    expect(await countGraph(db)).toEqual(countsBefore);
    expect(await snapshot(db)).toEqual(before);
  });

  it('cites at least one source on every node except sources themselves', async () => {
    const uncited = await db.readRows<{ id: string }>(
      'MATCH (n:Record) WHERE NOT n:Source AND (n.sourceIds IS NULL OR size(n.sourceIds) = 0) RETURN n.id AS id',
    );
    expect(uncited).toEqual([]);
    const [row] = await db.readRows<{ n: number }>(
      'MATCH (n:Record) WHERE NOT n:Source RETURN count(n) AS n',
    );
    expect(row!.n).toBeGreaterThan(0);
  });

  it('cites at least one source on every relationship', async () => {
    const uncited = await db.readRows<{ type: string; from: string; to: string }>(
      `MATCH (a:Record)-[r]->(b:Record) WHERE r.sourceIds IS NULL OR size(r.sourceIds) = 0
       RETURN type(r) AS type, a.id AS from, b.id AS to LIMIT 10`,
    );
    expect(uncited).toEqual([]);
  });

  it('cites only sources that exist in the graph', async () => {
    const missing = await db.readRows<{ id: string; source: string }>(
      `MATCH (n:Record) UNWIND coalesce(n.sourceIds, []) AS source
       WITH n, source WHERE NOT EXISTS { MATCH (:Source {id: source}) }
       RETURN n.id AS id, source LIMIT 10`,
    );
    expect(missing).toEqual([]);
  });

  it('passes seed:check with no problems and exit code 0', async () => {
    const { code, stdout } = await run('src/seed/checkCli.ts', ['seed']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `${seedFileCount()} file(s), ${seedRecordCount()} record(s), 0 problem(s), 0 reference(s) outside the folder\n`,
    );
  });
});

describe('Seed loader: loading and reloading a folder in the same format', () => {
  beforeEach(() => resetDatabase(db));

  it('creates each record once and reports what it created, file by file', async () => {
    const report = await loadFolder(db, SMALL);
    expect(report).toEqual({
      files: [
        { file: PARTIES, created: SMALL_RECORDS[PARTIES], updated: 0, unchanged: 0 },
        { file: STAKES, created: SMALL_RECORDS[STAKES], updated: 0, unchanged: 0 },
      ],
      created: 21,
      updated: 0,
      unchanged: 0,
    });
    // 15 node records; 6 relationship records plus 19 reference links (country, developer, operator, …).
    expect(await countGraph(db)).toEqual({ nodes: 15, relationships: 6 + 19 });
  });

  it('changes nothing on a second load, says so, and does not rewrite the relationships', async () => {
    await loadFolder(db, SMALL);
    const versionAfterFirst = await db.read(readGraphVersion);
    const before = await snapshot(db);
    const elementIds = await db.readRows('MATCH ()-[r]->() RETURN elementId(r) AS id ORDER BY id');
    const second = await loadFolder(db, SMALL);
    expect(second).toEqual({
      files: [
        { file: PARTIES, created: 0, updated: 0, unchanged: SMALL_RECORDS[PARTIES] },
        { file: STAKES, created: 0, updated: 0, unchanged: SMALL_RECORDS[STAKES] },
      ],
      created: 0,
      updated: 0,
      unchanged: 21,
    });
    expect(await snapshot(db)).toEqual(before);
    expect(await db.readRows('MATCH ()-[r]->() RETURN elementId(r) AS id ORDER BY id')).toEqual(elementIds);
    // One bump per file that changed something, none for a load that changed nothing (response caches key on it).
    expect(versionAfterFirst).toBe(2);
    expect(await db.read(readGraphVersion)).toBe(versionAfterFirst);
  });

  it('stores records as flattened properties the resolvers read', async () => {
    await loadFolder(db, SMALL);
    const [own] = await db.readRows<{ props: Json }>(
      'MATCH ()-[r:OWNS {id: "own:fixture-holding-lab"}]->() RETURN properties(r) AS props',
    );
    expect(own!.props).toEqual({
      id: 'own:fixture-holding-lab',
      owner: 'org:fixture-holding',
      owned: 'org:fixture-lab',
      shareExact: 30,
      votingShareExclusiveMinimum: 25,
      votingShareMaximum: 50,
      startDate: '2020-01-01',
      confidence: 'REPORTED',
      sourceIds: ['src:fixture-registry'],
      // Record time (issue 12): the first version, known from the load.
      version: 1,
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      changeSetId: expect.stringMatching(/^change:/),
    });
    const [unknown] = await db.readRows<{ props: Json }>(
      'MATCH ()-[r:OWNS {id: "own:fixture-founder-holding"}]->() RETURN properties(r) AS props',
    );
    expect(unknown!.props.shareUnknown).toBe(true);
    const links = await db.readRows(
      'MATCH (:Organization {id: "org:fixture-holding"})-[r]->(c:Country) RETURN type(r) AS type, c.id AS to ORDER BY type',
    );
    expect(links).toEqual([
      { type: 'HEADQUARTERED_IN', to: 'country:CN' },
      { type: 'INCORPORATED_IN', to: 'country:KY' },
    ]);
  });

  it('reports exactly one update when one ownership share is edited, and stores the new share', async () => {
    await loadFolder(db, SMALL);
    const edited = await copyOfSmall({ [STAKES]: (f) => (f.ownerships[0].share = { exact: 35 }) });
    const report = await loadFolder(db, edited);
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 20 });
    expect(report.files.find((f) => f.file === STAKES)).toEqual({
      file: STAKES,
      created: 0,
      updated: 1,
      unchanged: 10,
    });
    const rows = await db.readRows(
      'MATCH ()-[r:OWNS {id: "own:fixture-holding-lab"}]->() RETURN r.shareExact AS share',
    );
    expect(rows).toEqual([{ share: 35 }]);
  });

  it('removes the old share properties when an exact share becomes unknown', async () => {
    await loadFolder(db, SMALL);
    const edited = await copyOfSmall({ [STAKES]: (f) => (f.ownerships[0].share = null) });
    expect(await loadFolder(db, edited)).toMatchObject({ updated: 1 });
    const rows = await db.readRows(
      'MATCH ()-[r:OWNS {id: "own:fixture-holding-lab"}]->() RETURN r.shareExact AS exact, r.shareUnknown AS unknown',
    );
    expect(rows).toEqual([{ exact: null, unknown: true }]);
  });

  it('moves a relationship whose endpoint changed instead of adding a second one', async () => {
    await loadFolder(db, SMALL);
    const counts = await countGraph(db);
    const edited = await copyOfSmall({ [STAKES]: (f) => (f.ownerships[0].owned = 'org:fixture-cloud') });
    expect(await loadFolder(db, edited)).toMatchObject({ created: 0, updated: 1 });
    const rows = await db.readRows(
      'MATCH (a)-[r:OWNS {id: "own:fixture-holding-lab"}]->(b) RETURN a.id AS from, b.id AS to',
    );
    expect(rows).toEqual([{ from: 'org:fixture-holding', to: 'org:fixture-cloud' }]);
    expect(await countGraph(db)).toEqual(counts);
  });

  it("moves a node's reference link when the referenced country changes", async () => {
    await loadFolder(db, SMALL);
    const edited = await copyOfSmall({ [PARTIES]: (f) => (f.organizations[1].headquarters = 'CN') });
    expect(await loadFolder(db, edited)).toMatchObject({ created: 0, updated: 1 });
    const rows = await db.readRows(
      'MATCH (:Organization {id: "org:fixture-lab"})-[:HEADQUARTERED_IN]->(c) RETURN c.id AS country',
    );
    expect(rows).toEqual([{ country: 'country:CN' }]);
  });

  it("drops a node's reference link when the reference is removed", async () => {
    await loadFolder(db, SMALL);
    const edited = await copyOfSmall({ [PARTIES]: (f) => delete f.organizations[0].incorporation });
    expect(await loadFolder(db, edited)).toMatchObject({ updated: 1 });
    const rows = await db.readRows(
      'MATCH (n:Organization {id: "org:fixture-holding"}) RETURN n.incorporation AS incorporation, EXISTS { (n)-[:INCORPORATED_IN]->() } AS linked',
    );
    expect(rows).toEqual([{ incorporation: null, linked: false }]);
  });

  it('loads a folder that refers to records already in the database', async () => {
    await loadFolder(db, SMALL);
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'seed-loader-'));
    made.push(folder);
    await fs.writeFile(
      path.join(folder, '50-extra.json'),
      JSON.stringify({
        organizations: [
          {
            id: 'org:extra',
            name: 'Extra',
            type: 'COMPANY',
            headquarters: 'US',
            sources: ['src:fixture-registry'],
          },
        ],
        ownerships: [
          {
            id: 'own:lab-extra',
            owner: 'org:fixture-lab',
            owned: 'org:extra',
            share: { exact: 100 },
            sources: ['src:fixture-registry'],
          },
        ],
      }),
    );
    expect(await loadFolder(db, folder)).toMatchObject({ created: 2, updated: 0 });
    const rows = await db.readRows(
      'MATCH (:Organization {id: "org:fixture-lab"})-[r:OWNS]->(b) RETURN b.id AS owned',
    );
    expect(rows).toEqual([{ owned: 'org:extra' }]);
  });
});

describe('Seed loader: a bad file is rejected whole, with a message that says where and why', () => {
  const where = `${STAKES}, ownerships[0], id "own:fixture-holding-lab"`;

  beforeEach(() => resetDatabase(db));

  it.each([
    {
      name: 'a share of exact 150',
      edit: (o: Json) => (o.share = { exact: 150 }),
      line: `${where}, field "share.exact": must be between 0 and 100`,
    },
    {
      name: 'a start date of 2025-13-01',
      edit: (o: Json) => (o.startDate = '2025-13-01'),
      line: `${where}, field "startDate": must be a date in the form YYYY-MM-DD`,
    },
    {
      name: 'an unknown field',
      edit: (o: Json) => (o.colour = 'red'),
      line: `${where}, field "colour": has unknown field(s): colour`,
    },
    {
      name: 'missing sources',
      edit: (o: Json) => delete o.sources,
      line: `${where}, field "sources": is required (array)`,
    },
    {
      name: 'no sources',
      edit: (o: Json) => (o.sources = []),
      line: `${where}, field "sources": must cite at least one source`,
    },
    {
      name: 'a malformed id',
      edit: (o: Json) => (o.id = 'own:Holding Lab'),
      line: `${STAKES}, ownerships[0], id "own:Holding Lab", field "id": must be an id of the form "own:slug" (letters, digits, ".", "_", "-")`,
    },
  ])('rejects $name in the second file before anything of the folder is written', async ({ edit, line }) => {
    const folder = await copyOfSmall({ [STAKES]: (f) => edit(f.ownerships[0]) });
    const error = await rejection(loadFolder(db, folder));
    expect(error.message).toContain(line);
    expect(error.issues).toHaveLength(1);
    // Validation covers the whole folder first, so even the valid first file is not written.
    expect(await countGraph(db)).toEqual({ nodes: 0, relationships: 0 });
  });

  it('leaves a loaded graph exactly as it was when an edited file is invalid', async () => {
    await loadFolder(db, SMALL);
    const before = await snapshot(db);
    const folder = await copyOfSmall({
      [PARTIES]: (f) => (f.organizations[0].name = 'Renamed Holding'),
      [STAKES]: (f) => {
        f.ownerships[0].share = { exact: 150 };
        f.models.push({ ...f.models[0], id: 'model:fixture-new' });
      },
    });
    await rejection(loadFolder(db, folder));
    expect(await snapshot(db)).toEqual(before);
  });

  it('rejects a reference to an id in no file and not in the database before writing any file', async () => {
    const folder = await copyOfSmall({ [STAKES]: (f) => (f.designations[0].entity = 'org:nowhere') });
    const error = await rejection(loadFolder(db, folder));
    expect(error.message).toContain(
      `${STAKES}, designations[0], id "desig:fixture-restriction-holding", field "entity": refers to "org:nowhere", which exists neither in the folder nor in the database`,
    );
    // The folder is checked whole against the database first (issue 13): not even the first file is written.
    expect(await countGraph(db)).toMatchObject({ nodes: 0 });
    expect(await idsWithPrefix('model:')).toEqual([]);
    expect(await idsWithPrefix('policy:')).toEqual([]);
    const [row] = await db.readRows<{ n: number }>(
      'MATCH ()-[r:OWNS|CONTROLS|DERIVED_FROM|OFFERS|DESIGNATES]->() RETURN count(r) AS n',
    );
    expect(row!.n).toBe(0);
  });

  it('rejects a country code with no Country record, naming the field', async () => {
    const folder = await copyOfSmall({ [STAKES]: (f) => f.policies[0].targets.push('RU') });
    const error = await rejection(loadFolder(db, folder));
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: STAKES,
        section: 'policies',
        index: 0,
        recordId: 'policy:fixture-restriction',
        field: 'targets[1]',
      }),
    ]);
    expect(error.message).toContain('refers to "country:RU"');
  });

  it('rejects a derivation cycle within one file, naming the cycle, and writes nothing of that file', async () => {
    const folder = await copyOfSmall({
      [STAKES]: (f) =>
        f.derivations.push({
          id: 'deriv:fixture-base-tuned',
          child: 'model:fixture-base',
          parent: 'model:fixture-tuned',
          method: 'DISTILLATION',
          basis: 'DECLARED',
          sources: ['src:fixture-press'],
        }),
    });
    const error = await rejection(loadFolder(db, folder));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ file: STAKES, section: 'derivations', field: 'parent' });
    expect(error.message).toMatch(
      /makes a derivation cycle: (model:fixture-tuned → model:fixture-base → model:fixture-tuned|model:fixture-base → model:fixture-tuned → model:fixture-base)/,
    );
    // The models are written before the cycle check runs; the rollback must take them away again.
    expect(await idsWithPrefix('model:')).toEqual([]);
    expect(await idsWithPrefix('org:')).toHaveLength(4);
  });

  it('rejects a derivation that closes a cycle through a file loaded earlier, and writes nothing of the new file', async () => {
    const folder = await copyOfSmall({
      '20-more-models.json': {
        models: [
          {
            id: 'model:fixture-other',
            name: 'Other',
            family: 'Fixture',
            developer: 'org:fixture-lab',
            openWeights: false,
            modalities: ['TEXT'],
            sources: ['src:fixture-press'],
          },
        ],
        derivations: [
          {
            id: 'deriv:fixture-base-tuned',
            child: 'model:fixture-base',
            parent: 'model:fixture-tuned',
            method: 'DISTILLATION',
            basis: 'DECLARED',
            sources: ['src:fixture-press'],
          },
        ],
      },
    });
    const error = await rejection(loadFolder(db, folder));
    expect(error.issues).toEqual([
      {
        file: '20-more-models.json',
        section: 'derivations',
        index: 0,
        recordId: 'deriv:fixture-base-tuned',
        field: 'parent',
        message: 'makes a derivation cycle: model:fixture-base → model:fixture-tuned → model:fixture-base',
      },
    ]);
    expect(await idsWithPrefix('model:')).toEqual(['model:fixture-base', 'model:fixture-tuned']);
    const derived = await db.readRows('MATCH (a)-[r:DERIVED_FROM]->(b) RETURN a.id AS child, b.id AS parent');
    expect(derived).toEqual([{ child: 'model:fixture-tuned', parent: 'model:fixture-base' }]);
  });

  it('reports an id defined twice within a file and one defined again in another file', async () => {
    const folder = await copyOfSmall({
      [PARTIES]: (f) => f.organizations.push({ ...f.organizations[0] }),
      [STAKES]: (f) =>
        (f.countries = [{ id: 'country:US', code: 'US', name: 'USA', sources: ['src:fixture-registry'] }]),
    });
    const error = await rejection(loadFolder(db, folder));
    expect(error.message).toContain(
      `${PARTIES}, organizations[4], id "org:fixture-holding", field "id": defines id "org:fixture-holding" already defined in this file at organizations[0]`,
    );
    expect(error.message).toContain(
      `${STAKES}, countries[0], id "country:US", field "id": defines id "country:US" already defined in ${PARTIES}, countries[2]`,
    );
    expect(await countGraph(db)).toEqual({ nodes: 0, relationships: 0 });
  });

  it('reports a reference to a record defined in a later file', async () => {
    const folder = await copyOfSmall({
      [PARTIES]: (f) => (f.organizations[0].headquarters = 'SG'),
      '20-singapore.json': {
        countries: [{ id: 'country:SG', code: 'SG', name: 'Singapore', sources: ['src:fixture-registry'] }],
      },
    });
    const error = await rejection(loadFolder(db, folder));
    expect(error.message).toContain(
      `${PARTIES}, organizations[0], id "org:fixture-holding", field "headquarters": refers to "country:SG", defined in the later file 20-singapore.json; files load in name order`,
    );
    expect(await countGraph(db)).toEqual({ nodes: 0, relationships: 0 });
  });
});

/** Runs a CLI of this project as `npx tsx <script>`, against the test Neo4j. */
async function run(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    NEO4J_URI: process.env.TEST_NEO4J_URI,
    NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD,
    LOG_LEVEL: 'warn',
  };
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', script, ...args], {
      cwd: PROJECT_ROOT,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('Seed loader: npm run seed [FOLDER]', () => {
  beforeEach(() => resetDatabase(db));

  it('prints a line per file and a summary, then "No changes" on a second run', async () => {
    const first = await run('src/seed/cli.ts', [SMALL]);
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual([
      `${PARTIES}: 10 created, 0 updated, 0 unchanged`,
      `${STAKES}: 11 created, 0 updated, 0 unchanged`,
      `Loaded ${SMALL}: 21 created, 0 updated, 0 unchanged.`,
    ]);
    const second = await run('src/seed/cli.ts', [SMALL]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${STAKES}: 0 created, 0 updated, 11 unchanged`);
    expect(second.stdout).toContain(`No changes: all 21 records of ${SMALL} were already loaded.`);
    expect(await countGraph(db)).toEqual({ nodes: 15, relationships: 25 });
  });

  it('exits 1 on a bad folder, printing the file, record, field and reason, and writes nothing', async () => {
    const folder = await copyOfSmall({ [STAKES]: (f) => (f.ownerships[0].share = { exact: 150 }) });
    const result = await run('src/seed/cli.ts', [folder]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${STAKES}, ownerships[0], id "own:fixture-holding-lab", field "share.exact": must be between 0 and 100`,
    );
    expect(result.stdout).toBe('');
    expect(await countGraph(db)).toEqual({ nodes: 0, relationships: 0 });
  });

  it('makes seed:check exit 1 and list the problem for a bad folder, without a database', async () => {
    const folder = await copyOfSmall({ [STAKES]: (f) => (f.ownerships[0].startDate = '2025-13-01') });
    const result = await run('src/seed/checkCli.ts', [folder]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${STAKES}, ownerships[0], id "own:fixture-holding-lab", field "startDate": must be a date in the form YYYY-MM-DD`,
    );
    expect(result.stdout).toContain('1 problem(s)');
  });
});
