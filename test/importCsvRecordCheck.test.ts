import { importCsv } from '../src/import/csvImport';
import type { ImportSource } from '../src/import/importSource';
import { graphSnapshot, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13, "loads are checked whole before they write": every rule the writer enforces on a record is found
 * by the CSV check before the first write, for every kind of file, with file, line and column named. An
 * over-long note on an ownership or a listing used to be found only when the relationships were written,
 * after the folder's parties already were. And the controls template carries the `confidence` column the
 * control record has.
 */

const SOURCE: ImportSource = {
  dataset: 'record-check-sheet',
  version: '2026-12-01',
  url: 'https://intranet.example/sheets/record-check',
  publisher: 'Compliance team',
};
const harness = useImportHarness();
const db = harness.db;
beforeEach(() => policiesOnly(db));

const run = (target: string) => importCsv(db, { path: target, source: SOURCE });
const LONG = 'x'.repeat(4001);
const SHOWN = `"${'x'.repeat(40)}…" is longer than 4,000 characters`;

const ORGANIZATIONS = [
  'id,name,headquarters,description',
  'org:rc-holdco,Rc Holdco Ltd,GB,',
  'org:rc-opco,Rc Opco GmbH,DE,',
];

describe('the CSV check before the first write', () => {
  it.each([
    {
      kind: 'ownerships',
      header: 'id,owner,owned,share,note',
      row: `own:rc-1,org:rc-holdco,org:rc-opco,60,${LONG}`,
      field: 'note',
    },
    {
      kind: 'designations',
      header: 'policy,entity,note',
      row: `policy:ofac-sdn-list,org:rc-opco,${LONG}`,
      field: 'note',
    },
    {
      kind: 'controls',
      header: 'controller,controlled,basis,description',
      row: `org:rc-holdco,org:rc-opco,BOARD_CONTROL,${LONG}`,
      field: 'description',
    },
    {
      kind: 'persons',
      header: 'id,name,nationality,description',
      row: `person:rc-founder,Rc Founder,GB,${LONG}`,
      field: 'description',
    },
  ])(
    'refuses an over-long $field in $kind.csv naming the cell, with nothing written',
    async ({ kind, header, row, field }) => {
      const folder = `long-${kind}`;
      await harness.file(`${folder}/organizations.csv`, ORGANIZATIONS.join('\n'));
      await harness.file(`${folder}/${kind}.csv`, `${header}\n${row}\n`);
      const before = await graphSnapshot(db);
      const report = await run(`${harness.folder}/${folder}`);
      expect(report.problems).toEqual([{ file: `${kind}.csv`, line: 2, field, message: SHOWN }]);
      expect(report.refused).toBe('nothing was written: 1 problem(s) found before the first write');
      expect(await graphSnapshot(db)).toEqual(before);
    },
  );

  it("lists every problem of the folder at once: a cell refused, a record's rule broken, a row relying on either", async () => {
    await harness.file(
      'many/organizations.csv',
      [...ORGANIZATIONS, `org:rc-long,Rc Long Ltd,XX,${LONG}`].join('\n'),
    );
    await harness.file(
      'many/ownerships.csv',
      ['owner,owned,share,note', `org:rc-holdco,org:rc-opco,60,${LONG}`, `org:rc-opco,org:rc-long,10,`].join(
        '\n',
      ),
    );
    const before = await graphSnapshot(db);
    const report = await run(`${harness.folder}/many`);
    expect(report.problems).toEqual([
      // A cell the reader refuses stops its row there (the record is checked once its cells read), and the
      // row is not a party the folder defines.
      {
        file: 'organizations.csv',
        line: 4,
        field: 'headquarters',
        message: '"XX" is not an ISO 3166-1 alpha-2 country code such as "CN"',
      },
      { file: 'ownerships.csv', line: 2, field: 'note', message: SHOWN },
      {
        file: 'ownerships.csv',
        line: 3,
        field: 'owned',
        message: 'refers to "org:rc-long", which neither this import nor the database holds',
      },
    ]);
    expect(await graphSnapshot(db)).toEqual(before);
  });
});

describe('two rows that would be one record', () => {
  it('refuses two rows without ids whose columns derive one id, naming the first, rather than keep the later', async () => {
    await harness.file('relisted/organizations.csv', ORGANIZATIONS.join('\n'));
    await harness.file(
      'relisted/designations.csv',
      [
        'policy,entity,start_date,end_date',
        'policy:ofac-sdn-list,org:rc-opco,2019-04,2021-02',
        'policy:ofac-sdn-list,org:rc-opco,2024-07,',
      ].join('\n'),
    );
    const before = await graphSnapshot(db);
    const report = await run(`${harness.folder}/relisted`);
    expect(report.problems).toEqual([
      {
        file: 'designations.csv',
        line: 3,
        field: 'id',
        message:
          'states the same record as designations.csv line 2 (both without an id, their columns give both the id ' +
          '"desig:csv-org-rc-opco-ofac-sdn-list"): give each row an id of its own, or keep one of them',
      },
    ]);
    expect(await graphSnapshot(db)).toEqual(before);

    // With an id each, both periods are written.
    await harness.file(
      'relisted-ids/designations.csv',
      [
        'id,policy,entity,start_date,end_date',
        'desig:rc-opco-sdn-2019,policy:ofac-sdn-list,org:rc-opco,2019-04,2021-02',
        'desig:rc-opco-sdn-2024,policy:ofac-sdn-list,org:rc-opco,2024-07,',
      ].join('\n'),
    );
    await harness.file('relisted-ids/organizations.csv', ORGANIZATIONS.join('\n'));
    expect(await run(`${harness.folder}/relisted-ids`)).toMatchObject({ rejected: 0, problems: [] });
    const written = await db.readRows<{ id: string }>(
      "MATCH (:Policy {id: 'policy:ofac-sdn-list'})-[d:DESIGNATES]->(:Organization {id: 'org:rc-opco'}) RETURN d.id AS id ORDER BY id",
    );
    expect(written).toEqual([{ id: 'desig:rc-opco-sdn-2019' }, { id: 'desig:rc-opco-sdn-2024' }]);
  });
});

describe('the confidence of a control', () => {
  it('is written from the controls template and refused when it is not one of ours', async () => {
    await harness.file('confidence/organizations.csv', ORGANIZATIONS.join('\n'));
    await harness.file(
      'confidence/controls.csv',
      [
        'id,controller,controlled,basis,confidence',
        'ctrl:rc-board,org:rc-holdco,org:rc-opco,BOARD_CONTROL,reported',
        'ctrl:rc-votes,org:rc-holdco,org:rc-opco,VOTING_AGREEMENT,',
      ].join('\n'),
    );
    expect(await run(`${harness.folder}/confidence`)).toMatchObject({ rejected: 0, problems: [] });
    const written = await db.readRows<{ id: string; confidence: string | null }>(
      'MATCH ()-[c:CONTROLS]->() RETURN c.id AS id, c.confidence AS confidence ORDER BY id',
    );
    expect(written).toEqual([
      { id: 'ctrl:rc-board', confidence: 'REPORTED' },
      { id: 'ctrl:rc-votes', confidence: null },
    ]);

    await harness.file(
      'unsure/controls.csv',
      'controller,controlled,basis,confidence\norg:rc-holdco,org:rc-opco,OTHER,SURE\n',
    );
    const before = await graphSnapshot(db);
    const report = await run(`${harness.folder}/unsure`);
    expect(report.problems).toEqual([
      {
        file: 'controls.csv',
        line: 2,
        field: 'confidence',
        message: '"SURE" must be one of CONFIRMED, REPORTED, ESTIMATED, DISPUTED',
      },
    ]);
    expect(await graphSnapshot(db)).toEqual(before);
  });
});
