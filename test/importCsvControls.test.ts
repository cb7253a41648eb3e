import { importCsv } from '../src/import/csvImport';
import type { ImportSource } from '../src/import/importSource';
import { graphSnapshot, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13: the CSV `controls` template, who controls whom without a stake (board appointment, votes held by
 * agreement, contracts, golden shares, other influence). Rows become control records, checked whole with the
 * folder like the other templates: every reference (to a row of the folder or a record the database holds),
 * every basis and date, before the first write.
 */

const SOURCE: ImportSource = {
  dataset: 'control-sheet',
  version: '2026-12-01',
  url: 'https://intranet.example/sheets/control',
  publisher: 'Compliance team',
};
const harness = useImportHarness();
const db = harness.db;
beforeEach(() => policiesOnly(db));

const run = (target: string) => importCsv(db, { path: target, source: SOURCE });

const ORGANIZATIONS = [
  'id,name,headquarters,identifiers',
  'org:ctl-holdco,Ctl Holdco Ltd,GB,LEI:213800ACMEHOLDINGS77',
  'org:ctl-opco,Ctl Opco GmbH,DE,',
  'org:ctl-vie,Ctl VIE Co,CN,',
].join('\n');
const PERSONS = 'id,name,nationality\nperson:ctl-founder,Ctl Founder,CN\n';

async function controls() {
  return db.readRows<Record<string, unknown>>(
    `MATCH (a)-[c:CONTROLS]->(b)
     RETURN c.id AS id, a.id AS controller, b.id AS controlled, c.basis AS basis, c.description AS description,
            c.startDate AS start, c.startDatePrecision AS startPrecision, c.endDate AS end,
            c.endDatePrecision AS endPrecision, c.sourceIds AS sources
     ORDER BY id`,
  );
}

describe('the controls template', () => {
  it('writes control records by id or identifier, with our bases or BODS interest types and partial dates', async () => {
    const folder = 'good';
    await harness.file(`${folder}/organizations.csv`, ORGANIZATIONS);
    await harness.file(`${folder}/persons.csv`, PERSONS);
    await harness.file(
      `${folder}/controls.csv`,
      [
        'id,controller,controlled,basis,description,start_date,end_date,sources,source_url',
        'ctrl:founder-vie,person:ctl-founder,org:ctl-vie,VIE_CONTRACT,Exclusive business cooperation agreement,2019-03,,,',
        ',LEI:213800ACMEHOLDINGS77,org:ctl-opco,appointmentOfBoard,,2020,2024-06,,https://example.org/board',
        'ctrl:holdco-vie,org:ctl-holdco,org:ctl-vie,golden share,,2021-02-03,,,',
      ].join('\n'),
    );
    const report = await run(`${harness.folder}/${folder}`);
    expect(report).toMatchObject({ lines: 7, rejected: 0, problems: [] });
    expect(await controls()).toEqual([
      {
        id: 'ctrl:csv-LEI-213800ACMEHOLDINGS77-org-ctl-opco-BOARD_CONTROL-2020',
        controller: 'org:ctl-holdco',
        controlled: 'org:ctl-opco',
        basis: 'BOARD_CONTROL',
        description: null,
        start: '2020-01-01',
        startPrecision: 'YEAR',
        end: '2024-06-30',
        endPrecision: 'MONTH',
        sources: ['src:import-control-sheet-2026-12-01', expect.stringMatching(/^src:url-/) as string],
      },
      {
        id: 'ctrl:founder-vie',
        controller: 'person:ctl-founder',
        controlled: 'org:ctl-vie',
        basis: 'VIE_CONTRACT',
        description: 'Exclusive business cooperation agreement',
        start: '2019-03-01',
        startPrecision: 'MONTH',
        end: null,
        endPrecision: null,
        sources: ['src:import-control-sheet-2026-12-01'],
      },
      {
        id: 'ctrl:holdco-vie',
        controller: 'org:ctl-holdco',
        controlled: 'org:ctl-vie',
        basis: 'GOLDEN_SHARE',
        description: null,
        start: '2021-02-03',
        startPrecision: null,
        end: null,
        endPrecision: null,
        sources: ['src:import-control-sheet-2026-12-01'],
      },
    ]);
    // Run again: the same records, nothing changed.
    const before = await graphSnapshot(db);
    expect(await run(`${harness.folder}/${folder}`)).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('reads a controls file alone, its kind told by its header, against parties the database holds', async () => {
    await harness.file('held/organizations.csv', ORGANIZATIONS);
    await harness.file('held/persons.csv', PERSONS);
    expect(await run(`${harness.folder}/held`)).toMatchObject({ rejected: 0 });
    const sheet = await harness.file(
      'sheet-7.csv',
      'controller,controlled,basis\nperson:ctl-founder,LEI:213800ACMEHOLDINGS77,VOTING_AGREEMENT\n',
    );
    expect(await run(sheet)).toMatchObject({ lines: 1, created: 1, rejected: 0 });
    expect(await controls()).toEqual([
      expect.objectContaining({
        controller: 'person:ctl-founder',
        controlled: 'org:ctl-holdco',
        basis: 'VOTING_AGREEMENT',
      }),
    ]);
  });

  it('refuses the folder whole over a bad reference, basis or date, naming file, line and column', async () => {
    await harness.file('bad/organizations.csv', ORGANIZATIONS);
    await harness.file(
      'bad/controls.csv',
      [
        'controller,controlled,basis,start_date,end_date',
        'org:ctl-holdco,org:nobody,BOARD_CONTROL,,',
        'LEI:529900T8BM49AURSDO55,org:ctl-opco,BOARD_CONTROL,,',
        'org:ctl-holdco,org:ctl-opco,SHAREHOLDING,,',
        'org:ctl-holdco,org:ctl-opco,OTHER,2024-13,',
        'org:ctl-holdco,org:ctl-opco,OTHER,2021,2020-06',
        'org:ctl-holdco,org:ctl-holdco,OTHER,,',
        'org:ctl-holdco,person:ctl-founder,OTHER,,',
        'org:ctl-holdco,org:ctl-opco,,,',
      ].join('\n'),
    );
    const before = await graphSnapshot(db);
    const report = await run(`${harness.folder}/bad`);
    const problem = (line: number, field: string, message: string | RegExp) => ({
      file: 'controls.csv',
      line,
      field,
      message: typeof message === 'string' ? message : expect.stringMatching(message),
    });
    expect(report.problems).toEqual([
      problem(2, 'controlled', 'refers to "org:nobody", which neither this import nor the database holds'),
      problem(
        3,
        'controller',
        'refers to LEI:529900T8BM49AURSDO55, which no party of this import or the database holds',
      ),
      problem(4, 'basis', /^"SHAREHOLDING" must be one of VIE_CONTRACT, GOLDEN_SHARE, BOARD_CONTROL/),
      problem(5, 'start_date', /^"2024-13" must be a date in the form YYYY-MM-DD/),
      problem(6, 'end_date', '"2020-06" must not be before start_date (2021)'),
      problem(7, 'controlled', '"org:ctl-holdco" must differ from controller'),
      problem(8, 'controlled', /^"person:ctl-founder" must be an id \(org:…\) or an identifier/),
      problem(9, 'basis', 'is required'),
    ]);
    expect(report.refused).toMatch(/^nothing was written: 8 problem/);
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('refuses a controls file without the basis column, naming the column', async () => {
    const file = await harness.file('no-basis/controls.csv', 'controller,controlled\norg:a,org:b\n');
    const report = await run(file);
    expect(report.problems).toEqual([
      {
        file: 'controls.csv',
        line: 1,
        field: 'header',
        message: 'lacks the required column(s) "basis" of controls files',
      },
    ]);
  });
});
