import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { importCsv } from '../src/import/csvImport';
import { sourceIdOfUrl } from '../src/import/csvReader';
import { CSV_COLUMNS, CSV_KINDS } from '../src/import/csvTemplates';
import type { ImportSource } from '../src/import/importSource';
import { reportText } from '../src/import/reportText';
import { countGraph, FIXTURES } from './support/database';
import { graphSnapshot, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13: analysts' spreadsheets in the documented CSV templates. A folder is checked whole before the
 * first write (headers, cells, truncated rows, ids and identifiers given twice, references to rows or
 * records that exist nowhere): any problem, and nothing is written; a clean folder is written through the
 * same importer as every format, and a rerun changes nothing.
 */

const TEMPLATES = path.join(PROJECT_ROOT, 'templates');
const CSV = path.join(FIXTURES, 'csv');
const SOURCE: ImportSource = {
  dataset: 'analyst-sheet',
  version: '2026-11-30',
  url: 'https://intranet.example/sheets/acme',
  publisher: 'Compliance team',
};
const EDITOR = { id: 'key:editor-1', name: 'Editor One', role: 'editor' as const, via: 'api-key' as const };

const harness = useImportHarness();
const db = () => harness.db;
const run = (target: string, options: { dryRun?: boolean } = {}) =>
  importCsv(db(), { path: target, source: SOURCE, ...options });

describe('the CSV templates', () => {
  it('ship one file per kind whose header names exactly the documented columns', async () => {
    const doc = await fs.readFile(path.join(PROJECT_ROOT, 'docs', 'csv-templates.md'), 'utf8');
    for (const kind of CSV_KINDS) {
      const text = await fs.readFile(path.join(TEMPLATES, `${kind}.csv`), 'utf8');
      expect(text.split('\n')[0]).toBe(CSV_COLUMNS[kind].map((c) => c.name).join(','));
      const section = doc.split(`### ${kind}.csv`)[1]!.split('\n### ')[0]!;
      for (const column of CSV_COLUMNS[kind])
        expect(section).toMatch(new RegExp(`^\\| \`${column.name}\` +\\| (yes|no) `, 'm'));
    }
  });
});

describe('importing a folder of templates', () => {
  beforeAll(() => policiesOnly(db()));

  it('in a dry run checks everything, counts what it would create and writes nothing', async () => {
    const before = await countGraph(db());
    const report = await run(TEMPLATES, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, lines: 8, rejected: 0, ambiguous: 0, problems: [] });
    expect(report.created).toBe(8);
    expect(await countGraph(db())).toEqual(before);
    expect(reportText(report)).toMatch(/Nothing was written \(dry run\)\.$/);
  });

  it('writes parties, stakes (exact and ranges, by id or by LEI), controls and listings with sources', async () => {
    const report = await run(TEMPLATES);
    expect(report).toMatchObject({ lines: 8, rejected: 0, ambiguous: 0, problems: [] });
    const parties = await db().readRows<Record<string, unknown>>(
      `MATCH (p) WHERE p.id IN ['org:acme-holdings', 'org:acme-widgets', 'person:jane-doe']
       RETURN p.id AS id, p.name AS name, p.headquarters AS hq, p.incorporation AS inc, p.residence AS residence,
              p.founded AS founded, p.identifiers AS identifiers, p.sourceIds AS sources ORDER BY id`,
    );
    const companiesHouse = sourceIdOfUrl(
      'https://find-and-update.company-information.service.gov.uk/company/00445790',
    );
    expect(parties).toEqual([
      {
        id: 'org:acme-holdings',
        name: 'Acme Holdings plc',
        hq: 'GB',
        inc: 'GB',
        residence: null,
        founded: '1998-05-01',
        identifiers: ['LEI:213800ACMEHOLDINGS77', 'REGISTRY:GB-COH:00445790'],
        sources: ['src:import-analyst-sheet-2026-11-30', companiesHouse],
      },
      {
        id: 'org:acme-widgets',
        name: 'Acme Widgets (Shenzhen) Co., Ltd.',
        hq: 'CN',
        inc: 'CN',
        residence: null,
        founded: '2019-01-01',
        identifiers: ['LEI:549300ACMEWIDGETS019'],
        sources: ['src:import-analyst-sheet-2026-11-30'],
      },
      {
        id: 'person:jane-doe',
        name: 'Jane Doe',
        hq: null,
        inc: null,
        residence: 'US',
        founded: null,
        identifiers: ['WIKIDATA:Q4115189'],
        sources: ['src:import-analyst-sheet-2026-11-30'],
      },
    ]);
    const stakes = await db().readRows<Record<string, unknown>>(
      `MATCH (a)-[r:OWNS]->(b) RETURN r.id AS id, a.id AS owner, b.id AS owned, r.shareExact AS exact,
              r.shareExclusiveMinimum AS above, r.shareMaximum AS max, r.startDate AS start, r.confidence AS confidence
       ORDER BY id`,
    );
    expect(stakes).toEqual([
      {
        id: 'own:acme-holdings-widgets-2019',
        owner: 'org:acme-holdings',
        // Named by its LEI in the file: resolved to the row that gives it.
        owned: 'org:acme-widgets',
        exact: 51,
        above: null,
        max: null,
        start: '2019-03-01',
        confidence: 'CONFIRMED',
      },
      {
        id: 'own:csv-person-jane-doe-org-acme-holdings-2020',
        owner: 'person:jane-doe',
        owned: 'org:acme-holdings',
        exact: null,
        above: 25,
        max: 50,
        start: '2020-01-01',
        confidence: 'REPORTED',
      },
    ]);
    const controls = await db().readRows<Record<string, unknown>>(
      `MATCH (a)-[c:CONTROLS]->(b) RETURN c.id AS id, a.id AS controller, b.id AS controlled, c.basis AS basis,
              c.startDate AS start ORDER BY id`,
    );
    expect(controls).toEqual([
      {
        id: 'ctrl:csv-LEI-213800ACMEHOLDINGS77-org-acme-widgets-VOTING_AGREEMENT-2022',
        controller: 'org:acme-holdings',
        controlled: 'org:acme-widgets',
        // Given as the BODS interest type votingRights.
        basis: 'VOTING_AGREEMENT',
        start: '2022-01-01',
      },
      {
        id: 'ctrl:jane-doe-acme-widgets-board',
        controller: 'person:jane-doe',
        controlled: 'org:acme-widgets',
        basis: 'BOARD_CONTROL',
        start: '2021-06-01',
      },
    ]);
    const [listing] = await db().readRows<Record<string, unknown>>(
      `MATCH (p:Policy)-[d:DESIGNATES {id: 'desig:acme-widgets-entity-list'}]->(e)
       RETURN p.id AS policy, e.id AS entity, d.listName AS list, d.startDate AS start`,
    );
    expect(listing).toEqual({
      policy: 'policy:bis-entity-list',
      entity: 'org:acme-widgets',
      list: 'Entity List',
      start: '2024-02-01',
    });
    const [source] = await db().readRows<Record<string, unknown>>(
      `MATCH (s:Source {id: $id}) RETURN s.url AS url, s.publisher AS publisher`,
      { id: companiesHouse },
    );
    expect(source).toEqual({
      url: 'https://find-and-update.company-information.service.gov.uk/company/00445790',
      publisher: 'find-and-update.company-information.service.gov.uk',
    });
  });

  it('changes nothing when run again', async () => {
    const before = await graphSnapshot(db());
    const again = await run(TEMPLATES);
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    expect(await graphSnapshot(db())).toEqual(before);
  });
});

describe('a folder with problems', () => {
  beforeAll(() => policiesOnly(db()));

  it('is refused whole: every problem with file, line and column, and nothing written', async () => {
    const before = await graphSnapshot(db());
    const report = await run(path.join(CSV, 'bad'));
    const problem = (file: string, line: number, field: string, message: string | RegExp) =>
      expect.objectContaining({
        file,
        line,
        field,
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      });
    expect(report.problems).toEqual([
      problem(
        'designations.csv',
        2,
        'policy',
        'refers to "policy:no-such-list", which neither this import nor the database holds',
      ),
      problem(
        'organizations.csv',
        3,
        'headquarters',
        '"XX" is not an ISO 3166-1 alpha-2 country code such as "CN"',
      ),
      problem('organizations.csv', 4, 'founded', /^"2024-13" must be a date in the form YYYY-MM-DD/),
      problem(
        'organizations.csv',
        5,
        'identifiers',
        'LEI:213800ACMEHOLDINGS77 is unique, and organizations.csv line 2 gives it to another party',
      ),
      problem('organizations.csv', 6, 'id', '"org:alpha" is given twice: also on organizations.csv line 2'),
      problem(
        'organizations.csv',
        7,
        'incorporation',
        'is missing: the row has 4 field(s), the header 7 (a truncated row?)',
      ),
      problem(
        'ownerships.csv',
        2,
        'owned',
        'refers to "org:nobody", which neither this import nor the database holds',
      ),
      problem(
        'ownerships.csv',
        3,
        'owned',
        'refers to LEI:549300ACMEWIDGETS019, which no party of this import or the database holds',
      ),
      problem('ownerships.csv', 4, 'share', '"150" must be a percentage between 0 and 100'),
      problem('ownerships.csv', 5, 'share_max', '"40" is below share_min (60)'),
      problem('ownerships.csv', 6, 'end_date', '"2020-06" must not be before start_date (2021)'),
      problem('persons.csv', 1, 'header', 'lacks the required column(s) "name" of persons files'),
      problem('persons.csv', 1, 'header', /^has column\(s\) "fullname" that persons files do not have/),
    ]);
    expect(report.rejected).toBe(13);
    expect(report.refused).toMatch(/^nothing was written: 13 problem/);
    expect(reportText(report)).toContain(
      'rejected: organizations.csv, line 7, field "incorporation": is missing: the row has 4 field(s)',
    );
    expect(await graphSnapshot(db())).toEqual(before);
  });

  it('is written once fixed, and a rerun converges', async () => {
    const folder = path.join(harness.folder, 'fixed');
    await harness.file(
      'fixed/organizations.csv',
      'id,name,headquarters,identifiers\norg:alpha,Alpha Ltd,GB,LEI:213800ACMEHOLDINGS77\norg:beta,Beta Ltd,DE,\n',
    );
    await harness.file('fixed/ownerships.csv', 'owner,owned,share\nLEI:213800ACMEHOLDINGS77,org:beta,30%\n');
    const first = await run(folder);
    expect(first).toMatchObject({ rejected: 0, problems: [] });
    const after = await graphSnapshot(db());
    expect(await run(folder)).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    expect(await graphSnapshot(db())).toEqual(after);
    const [stake] = await db().readRows<Record<string, unknown>>(
      `MATCH (:Organization {id: 'org:alpha'})-[r:OWNS]->(:Organization {id: 'org:beta'}) RETURN r.shareExact AS share`,
    );
    expect(stake).toEqual({ share: 30 });
  });
});

describe('a sanctioned holder and its 50%-owned subsidiary from a spreadsheet', () => {
  beforeAll(() => policiesOnly(db()));

  it('makes the OFAC 50% rule cover the subsidiary, citing the sheet and the row’s source', async () => {
    const report = await run(path.join(CSV, 'sanctioned'));
    expect(report).toMatchObject({ rejected: 0, ambiguous: 0 });
    const { data, errors } = await harness.execute(
      `{ policyVerdict(entity: "org:csv-LEI-549300ACMEWIDGETS019", policy: "policy:ofac-50-percent-rule", asOf: "2026-11-30") {
         verdict aggregate { lower upper }
         explanation { paths { steps { sources { id } } } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data.policyVerdict).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 50 } });
    const cited = data.policyVerdict.explanation.paths[0].steps[0].sources.map((s: { id: string }) => s.id);
    expect(cited).toEqual(
      expect.arrayContaining([
        'src:import-analyst-sheet-2026-11-30',
        sourceIdOfUrl('https://example.org/kazan-registry-extract'),
      ]),
    );
  });
});

describe('the importData mutation with format CSV', () => {
  beforeAll(() => policiesOnly(db()));
  const mutation = `mutation ($content: String!, $dryRun: Boolean) {
    importData(format: CSV, content: $content, dryRun: $dryRun,
      source: { dataset: "pasted", version: "2026-11-30", url: "https://intranet.example/pasted", publisher: "Me" }) {
      lines created rejected problems { line field message } summary } }`;

  it('imports one pasted template file, its kind told by the ids, for an editor', async () => {
    const content = 'id,name\norg:pasted-one,Pasted One Ltd\n';
    const { data, errors } = await harness.execute(mutation, { content }, EDITOR);
    expect(errors).toBeUndefined();
    expect(data.importData).toMatchObject({ lines: 1, rejected: 0, summary: 'Everything was written.' });
    const rows = await db().readRows('MATCH (o:Organization {id: "org:pasted-one"}) RETURN o.name AS name');
    expect(rows).toEqual([{ name: 'Pasted One Ltd' }]);
  });

  it('refuses a pasted file with a bad cell, naming its line and column, and says nothing was written', async () => {
    const content = 'id,name,headquarters\norg:pasted-two,Pasted Two Ltd,Narnia\n';
    const { data } = await harness.execute(mutation, { content }, EDITOR);
    expect(data.importData).toMatchObject({
      lines: 1,
      rejected: 1,
      problems: [
        { line: 2, field: 'headquarters', message: expect.stringContaining('"Narnia" is not an ISO 3166-1') },
      ],
      summary: expect.stringMatching(/^Nothing was written: 1 problem/),
    });
    expect(await db().readRows('MATCH (o {id: "org:pasted-two"}) RETURN o')).toEqual([]);
  });

  it('is refused to a reader', async () => {
    const { errors } = await harness.execute(
      mutation,
      { content: 'id,name\norg:x,X\n' },
      {
        ...EDITOR,
        role: 'reader',
      },
    );
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
