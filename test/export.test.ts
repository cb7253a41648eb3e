import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { createApp, type App, type AppConfig } from '../src/app';
import { generateKey } from '../src/auth/apiKeys';
import { exportSpecOf } from '../src/export/exportOptions';
import { wholeGraphPages } from '../src/export/exportPages';
import { collectSubgraph } from '../src/export/subgraph';
import { createLogger } from '../src/log';
import { SECTIONS } from '../src/model/dataset';
import { loadFolder } from '../src/seed/loadDataSet';
import { applyChange } from '../src/write/applyChange';
import { resetDatabase, testDatabase } from './support/database';
import { exportTo, jsonLines, orchardGroup, readExport, tempDir } from './support/exportRuns';
import { listen } from './support/http';
import { SEEDING_TIMEOUT_MS, TEST_CONFIG } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- files are walked as plain JSON */

/**
 * Issue 13 item 5: `npm run export` and the subgraph download. Pages read in order whatever their size; a
 * `knownAsOf` export reproduces the file exported before a correction; a subgraph holds the parties its walk
 * reaches, loads on its own, and is refused whole when too large; the download keeps the exports' rules.
 */

const db = testDatabase();
const AUTHOR = { id: 'user:export-test', name: 'Export test' };
afterAll(() => db.close());

const idsOf = (items: Array<{ record: Record<string, unknown> }>) => items.map((i) => String(i.record.id));

describe('Export: pages of the whole graph', () => {
  beforeAll(() => orchardGroup(db), SEEDING_TIMEOUT_MS);

  it('reads the same records in the same order in pages of 2 as in one page, never more than a page at a time', async () => {
    const read = async (size: number) => {
      const out: string[] = [];
      for await (const page of wholeGraphPages(db, SECTIONS, null, size)) {
        expect(page.items.length).toBeLessThanOrEqual(size);
        out.push(...idsOf(page.items).map((id) => `${page.section} ${id}`));
      }
      return out;
    };
    const small = await read(2);
    expect(small).toEqual(await read(1000));
    // Designations come by entity (the FtM Sanction merge relies on it), then by id.
    expect(small.filter((s) => s.startsWith('designations'))).toEqual([
      'designations desig:orchard-holdings-50',
      'designations desig:orchard-holdings-sdn',
      'designations desig:orchard-sg-affiliates',
      'designations desig:orchard-sg-entity-list',
    ]);
  });

  it('merges an entity’s SDN listing and 50 Percent Rule designation into one FtM Sanction citing its data set', async () => {
    const file = path.join(tempDir('ftm'), 'all.ftm.jsonl');
    const counts = await exportTo(db, file, { format: 'ftm' });
    const sanctions = jsonLines(file).filter((e) => e.schema === 'Sanction');
    expect(sanctions).toEqual([
      {
        id: 'desig-orchard-holdings-50',
        schema: 'Sanction',
        properties: {
          authority: ['Office of Foreign Assets Control'],
          entity: ['org-orchard-holdings'],
          program: ['SDN List'],
          publisher: ['Example Registry'],
          sourceUrl: ['https://example.org/orchard/registry'],
          startDate: ['2024-05-01'],
        },
        datasets: ['us_ofac_sdn'],
      },
      {
        id: 'desig-orchard-sg-affiliates',
        schema: 'Sanction',
        properties: {
          authority: ['Bureau of Industry and Security'],
          entity: ['org-orchard-sg'],
          program: ['Entity List'],
          publisher: ['Example Registry'],
          sourceUrl: ['https://example.org/orchard/registry'],
          startDate: ['2025-01-15'],
        },
        datasets: ['us_bis_entity_list'],
      },
    ]);
    expect(counts.written.designations).toBe(4);
  });

  it('writes BODS statements citing every source, and counts the designations BODS has no place for', async () => {
    const file = path.join(tempDir('bods'), 'all.json');
    const counts = await exportTo(db, file, { format: 'bods', bodsArray: true });
    const statements = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, any>>;
    const holdings = statements.find((s) => s.recordId === 'org:orchard-holdings')!;
    expect(holdings.statementId).toMatch(/^[0-9a-f]{64}$/);
    expect(holdings.recordDetails).toMatchObject({
      entityType: { type: 'registeredEntity' },
      jurisdiction: { name: 'Cayman Islands', code: 'KY' },
      addresses: [
        { type: 'registered', country: { name: 'Cayman Islands', code: 'KY' } },
        { type: 'business', country: { name: 'China', code: 'CN' } },
      ],
      publicListing: {
        hasPublicListing: true,
        securitiesListings: [{ marketIdentifierCode: 'XHKG', security: { ticker: '9999' } }],
      },
    });
    expect(holdings.source).toEqual({
      type: ['thirdParty'],
      description:
        'Orchard group filings — Example Registry <https://example.org/orchard/registry> [src:orchard-registry]; ' +
        'Orchard group announcements — Example Press <https://example.org/orchard/press> [src:orchard-press]',
      url: 'https://example.org/orchard/registry',
      assertedBy: [{ name: 'Example Registry' }, { name: 'Example Press' }],
    });
    const range = statements.find((s) => s.recordId === 'own:orchard-holdings-uk')!;
    expect(range.recordDetails.interests).toEqual([
      {
        type: 'shareholding',
        directOrIndirect: 'direct',
        beneficialOwnershipOrControl: false,
        share: { minimum: 25, exclusiveMinimum: true, maximum: 75 },
        startDate: '2024-02-01',
      },
    ]);
    expect(counts.leftOut).toEqual({ designations: 4 });
  });
});

describe('Export: npm run export', () => {
  beforeAll(() => orchardGroup(db), SEEDING_TIMEOUT_MS);

  it(
    'writes from the configured Neo4j the file the export functions write, and says what it wrote',
    async () => {
      const dir = tempDir('cli');
      const { stdout } = await promisify(execFile)(
        'npx',
        ['tsx', 'src/export/cli.ts', '--format', 'ftm', path.join(dir, 'cli.ftm')],
        {
          env: {
            ...process.env,
            NEO4J_URI: process.env.TEST_NEO4J_URI,
            NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD,
            LOG_LEVEL: 'error',
          },
          timeout: 300_000,
        },
      );
      await exportTo(db, path.join(dir, 'direct.ftm'), { format: 'ftm' });
      expect(readExport(path.join(dir, 'cli.ftm'))).toBe(readExport(path.join(dir, 'direct.ftm')));
      expect(stdout).toContain(`Exported to ${path.join(dir, 'cli.ftm')} (ftm): `);
      expect(stdout).toContain('4 designations');
    },
    SEEDING_TIMEOUT_MS,
  );
});

describe('Export: as known at an instant', () => {
  beforeEach(() => orchardGroup(db), SEEDING_TIMEOUT_MS);

  it('reproduces byte for byte the file exported before a correction and a retraction', async () => {
    const dir = tempDir('known');
    await exportTo(db, path.join(dir, 'before.json'), { format: 'seed' });
    const instant = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Two writes: one request that both writes and retracts stores its change set twice (noted in the report).
    const correction = await applyChange(db, {
      author: AUTHOR,
      reason: 'A later filing',
      records: {
        ownerships: [
          {
            id: 'own:orchard-lin-holdings',
            owner: 'person:orchard-lin',
            owned: 'org:orchard-holdings',
            share: { exact: 45 },
            startDate: '2019-06-01',
            sources: ['src:orchard-registry'],
          },
        ],
      },
    });
    const retraction = await applyChange(db, {
      author: AUTHOR,
      reason: 'Listing withdrawn',
      sourceIds: ['src:orchard-registry'],
      retract: ['desig:orchard-sg-affiliates'],
    });
    expect([...correction.problems, ...retraction.problems]).toEqual([]);
    expect(retraction.retracted).toBe(1);
    await exportTo(db, path.join(dir, 'then.json'), { format: 'seed', knownAsOf: instant });
    await exportTo(db, path.join(dir, 'now.json'), { format: 'seed' });
    const before = readExport(path.join(dir, 'before.json'));
    expect(readExport(path.join(dir, 'then.json')).replace(/, as known at \S+Z\./, '.')).toBe(before);
    const now = readExport(path.join(dir, 'now.json'));
    expect(now).toContain('"share":{"exact":45}');
    expect(now).not.toContain('desig:orchard-sg-affiliates');
  });
});

describe('Export: a chosen subgraph', () => {
  beforeAll(() => orchardGroup(db), SEEDING_TIMEOUT_MS);

  const parties = async (entity: string, depth: number, direction: 'up' | 'down' | 'both') => {
    const outcome = await collectSubgraph(db, { entity, depth, direction }, null, {
      maxParties: 100,
      withReferences: false,
    });
    if (!outcome.ok) throw new Error(outcome.message);
    return [
      ...idsOf(outcome.records.get('organizations') ?? []),
      ...idsOf(outcome.records.get('persons') ?? []),
    ];
  };

  it.each([
    ['org:orchard-uk', 1, 'up', ['org:orchard-holdings', 'org:orchard-uk']],
    ['org:orchard-uk', 2, 'up', ['org:orchard-holdings', 'org:orchard-uk', 'person:orchard-lin']],
    ['org:orchard-uk', 0, 'both', ['org:orchard-uk']],
    ['org:orchard-uk', 1, 'down', ['org:orchard-lab', 'org:orchard-uk']],
    ['org:orchard-uk', 1, 'both', ['org:orchard-holdings', 'org:orchard-lab', 'org:orchard-uk']],
    [
      'org:orchard-holdings',
      1,
      'down',
      ['org:orchard-holdings', 'org:orchard-lab', 'org:orchard-sg', 'org:orchard-uk'],
    ],
  ] as const)('walks from %s to depth %d %s', async (entity, depth, direction, expected) => {
    expect((await parties(entity, depth, direction)).sort()).toEqual(expected);
  });

  it('holds the stakes among its parties and their designations, and loads into an empty database on its own', async () => {
    const dir = tempDir('subgraph');
    const folder = path.join(dir, 'load');
    await exportTo(db, folder, {
      format: 'seed',
      recordsPerFile: 1000,
      subgraph: { entity: 'org:orchard-uk', depth: 1, direction: 'up' },
    });
    const text = readExport(folder);
    expect(text).toContain('own:orchard-holdings-uk');
    expect(text).not.toContain('own:orchard-lin-holdings'); // Lin is two steps up
    expect(text).toContain('desig:orchard-holdings-sdn');
    await resetDatabase(db);
    const report = await loadFolder(db, folder);
    expect(report.created).toBeGreaterThan(0);
    await orchardGroup(db);
  });

  it('is refused whole, naming the limit, when it holds more parties than allowed; an unknown entity is not found', async () => {
    const tooLarge = await collectSubgraph(
      db,
      { entity: 'org:orchard-holdings', depth: 3, direction: 'both' },
      null,
      {
        maxParties: 3,
        withReferences: true,
      },
    );
    expect(tooLarge).toMatchObject({ ok: false, reason: 'too-large' });
    expect(!tooLarge.ok && tooLarge.message).toContain('more than 3 parties (EXPORT_MAX_PARTIES)');
    const unknown = await collectSubgraph(db, { entity: 'org:nobody', depth: 1, direction: 'up' }, null, {
      maxParties: 3,
      withReferences: true,
    });
    expect(unknown).toEqual({
      ok: false,
      reason: 'not-found',
      message: 'No organization or person has id "org:nobody".',
    });
  });
});

describe('Export: options', () => {
  const limits = { maxDepth: 10, maxParties: 100, defaultDepth: 2 };
  it.each([
    [{ format: 'xml' }, 'format', '"format" must be one of seed, bods, ftm, got "xml".'],
    [
      { format: 'ftm', entity: 'acme' },
      'entity',
      '"entity" must be an organization or person id, got "acme".',
    ],
    [
      { format: 'ftm', entity: 'org:a', depth: '-1' },
      'depth',
      '"depth" must be a whole number of steps (0 or more), got "-1".',
    ],
    [
      { format: 'ftm', entity: 'org:a', depth: '11' },
      'depth',
      '"depth" must be at most 10 (EXPORT_MAX_DEPTH), got "11".',
    ],
    [
      { format: 'ftm', entity: 'org:a', direction: 'sideways' },
      'direction',
      '"direction" must be up, down or both, got "sideways".',
    ],
    [
      { format: 'ftm', knownAsOf: 'yesterday' },
      'knownAsOf',
      '"knownAsOf" must be an instant such as 2026-11-30T12:00:00Z, got "yesterday".',
    ],
    [
      { format: 'ftm', depth: '2' },
      'entity',
      '"entity" is required when depth or direction is given, got null.',
    ],
  ])('refuses %j, naming %s', (raw, option, message) => {
    expect(exportSpecOf(raw, limits)).toEqual({ ok: false, problems: [{ option, message }] });
  });

  it('normalises knownAsOf to record time and defaults a subgraph to both directions', () => {
    expect(
      exportSpecOf({ format: 'seed', entity: 'org:a', knownAsOf: '2026-11-30T13:00:00+01:00' }, limits),
    ).toEqual({
      ok: true,
      spec: {
        format: 'seed',
        knownAsOf: '2026-11-30T12:00:00.000Z',
        subgraph: { entity: 'org:a', depth: 2, direction: 'both' },
        maxParties: 100,
      },
    });
  });
});

describe('Export: the subgraph download', () => {
  const reader = generateKey('subgraph-reader', 'reader');
  let open: { app: App; baseUrl: string };
  let closed: { app: App; baseUrl: string };
  const start = async (config: Partial<AppConfig>) => {
    const app = await createApp(
      db,
      { ...TEST_CONFIG, REQUEST_TIMEOUT_MS: 120_000, ...config },
      createLogger('silent'),
    );
    return { app, baseUrl: await listen(app) };
  };
  beforeAll(async () => {
    await orchardGroup(db);
    open = await start({ EXPORT_MAX_DEPTH: 3, EXPORT_MAX_PARTIES: 4 });
    closed = await start({
      READS_REQUIRE_ROLE: 'reader',
      API_KEYS: JSON.stringify({ keys: [reader.record] }),
    });
  }, SEEDING_TIMEOUT_MS);
  afterAll(async () => {
    await open?.app.stop(1000);
    await closed?.app.stop(1000);
  });

  it('streams the data-set format, FtM and BODS of the subgraph, as attachments', async () => {
    const json = await fetch(
      `${open.baseUrl}/export/subgraph.json?entity=org:orchard-uk&depth=1&direction=up`,
    );
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toBe(
      'attachment; filename="subgraph-org-orchard-uk.json"',
    );
    expect(json.headers.get('x-graph-version')).toMatch(/^\d+$/);
    const data = (await json.json()) as Record<string, Array<{ id: string }>>;
    expect(data.organizations!.map((o) => o.id)).toEqual(
      expect.arrayContaining(['org:orchard-holdings', 'org:orchard-uk']),
    );
    expect(data.ownerships!.map((o) => o.id)).toEqual(['own:orchard-holdings-uk']);

    const ftm = await fetch(`${open.baseUrl}/export/subgraph.ftm?entity=org:orchard-uk&depth=1&direction=up`);
    expect(ftm.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const entities = (await ftm.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; schema: string });
    expect(entities.map((e) => `${e.schema} ${e.id}`)).toEqual([
      'Company org-orchard-holdings',
      'Company org-orchard-uk',
      'Ownership own-orchard-holdings-uk',
      'Sanction desig-orchard-holdings-50',
    ]);

    const bods = await fetch(
      `${open.baseUrl}/export/subgraph.bods?entity=person:orchard-lin&depth=1&direction=down`,
    );
    const statements = (await bods.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { recordId: string });
    expect(statements.map((s) => s.recordId)).toEqual([
      'org:orchard-holdings',
      'org:orchard-lab',
      'person:orchard-lin',
      // Holdings and the lab are both one step down from Lin: the stake between them is in the subgraph.
      'own:orchard-holdings-lab',
      'own:orchard-lin-holdings',
      'ctrl:orchard-lin-lab',
    ]);
  });

  it.each([
    ['depth=4', 400, 'depth', 'Parameter "depth" must be at most 3 (EXPORT_MAX_DEPTH), got "4".'],
    ['depth=3&direction=both', 400, 'depth', 'more than 4 parties (EXPORT_MAX_PARTIES)'],
    [
      'direction=sideways',
      400,
      'direction',
      'Parameter "direction" must be up, down or both, got "sideways".',
    ],
    ['depth=1&depth=2', 400, 'depth', 'Parameter "depth" is given 2 times; give it once.'],
    [
      'deep=1',
      400,
      'deep',
      'Unknown parameter "deep"; this export takes entity, depth, direction, knownAsOf.',
    ],
  ])(
    'answers entity=org:orchard-holdings&%s with %d naming %s',
    async (query, status, parameter, message) => {
      const res = await fetch(`${open.baseUrl}/export/subgraph.json?entity=org:orchard-holdings&${query}`);
      expect(res.status).toBe(status);
      const body = (await res.json()) as {
        errors: Array<{ message: string; extensions: Record<string, unknown> }>;
      };
      expect(body.errors[0]!.message).toContain(message);
      expect(body.errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', parameter });
    },
  );

  it('answers 404 for an entity it does not hold, and 405 for a POST', async () => {
    const missing = await fetch(`${open.baseUrl}/export/subgraph.ftm?entity=org:nobody`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toBe(
      'No organization or person has id "org:nobody".',
    );
    const post = await fetch(`${open.baseUrl}/export/subgraph.ftm?entity=org:orchard-uk`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('asks for a reader’s key where reads need one, as the other exports do', async () => {
    const url = `${closed.baseUrl}/export/subgraph.json?entity=org:orchard-uk&depth=1`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="ai-exposure-graph"');
    const withKey = await fetch(url, { headers: { authorization: `Bearer ${reader.key}` } });
    expect(withKey.status).toBe(200);
    await withKey.text();
  });
});

afterAll(() => rmSync(tempDir('cleanup'), { recursive: true, force: true }));
