import path from 'node:path';
import { ftmReader } from '../src/import/ftm';
import { runImport } from '../src/import/runImport';
import { IMPORT_FIXTURES, OPENSANCTIONS_SDN, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13, the importers' gaps in FollowTheMoney: `registrationNumber` becomes a register identifier where the
 * jurisdiction names the register (a national number is unique within its register, not globally), and
 * partial dates ("2019", "2019-05", as FtM's date type allows) are kept with their precision; a date that is
 * not one is left out, listed in the report with its field and value, and kept in the record's note.
 */

const FILE = path.join(IMPORT_FIXTURES, 'ftm', 'registers-and-dates.ftm.json');
const harness = useImportHarness();
const db = harness.db;
beforeEach(() => policiesOnly(db));

const importFtm = () =>
  runImport(db, { file: FILE, format: 'ftm', reader: ftmReader(), source: OPENSANCTIONS_SDN });

describe('FollowTheMoney import: registration numbers and partial dates', () => {
  it('gives registration numbers their register from the jurisdiction, and reports one it cannot place', async () => {
    const report = await importFtm();
    const parties = await db.readRows<{ id: string; identifiers: string[] }>(
      `MATCH (n:Organization) WHERE n.id STARTS WITH 'org:ftm-NK-kestrel'
       RETURN n.id AS id, n.identifiers AS identifiers ORDER BY id`,
    );
    expect(parties).toEqual([
      {
        id: 'org:ftm-NK-kestrel-ru',
        // registrationNumber and ogrnCode give the same OGRN: one identifier; innCode (a tax number) has no
        // scheme of ours.
        identifiers: ['OPENSANCTIONS:NK-kestrel-ru', 'REGISTRY:RU-OGRN:1187746000001'],
      },
      {
        id: 'org:ftm-NK-kestrel-uk',
        identifiers: ['OPENSANCTIONS:NK-kestrel-uk', 'REGISTRY:GB-COH:12345678'],
      },
      // A US number belongs to a state's register, which FtM does not name: left out, and said so.
      { id: 'org:ftm-NK-kestrel-us', identifiers: ['OPENSANCTIONS:NK-kestrel-us'] },
    ]);
    expect(report.problems).toContainEqual({
      file: 'registers-and-dates.ftm.json',
      line: 3,
      field: 'properties.registrationNumber',
      message: '"7712345" left out: no single company register is known for jurisdiction US',
    });
  });

  it('keeps a year or a month as given, and reports and notes a date that is not one', async () => {
    const report = await importFtm();
    const founded = await db.readRows<Record<string, unknown>>(
      `MATCH (n:Organization) WHERE n.id STARTS WITH 'org:ftm-NK-kestrel'
       RETURN n.id AS id, n.founded AS founded, n.foundedPrecision AS precision, n.description AS description
       ORDER BY id`,
    );
    expect(founded).toEqual([
      { id: 'org:ftm-NK-kestrel-ru', founded: '2018-01-01', precision: 'YEAR', description: null },
      { id: 'org:ftm-NK-kestrel-uk', founded: '2019-05-01', precision: 'MONTH', description: null },
      {
        id: 'org:ftm-NK-kestrel-us',
        founded: null,
        precision: null,
        description: 'Dates left out: properties.incorporationDate given as "circa 2015".',
      },
    ]);
    const stakes = await db.readRows<Record<string, unknown>>(
      `MATCH ()-[r:OWNS]->() WHERE r.id STARTS WITH 'own:ftm-NK-own-uk'
       RETURN r.id AS id, r.startDate AS start, r.startDatePrecision AS startPrecision, r.endDate AS end,
              r.endDatePrecision AS endPrecision, r.note AS note ORDER BY id`,
    );
    expect(stakes).toEqual([
      // A year starts on its first day and a month ends on its last, each with its precision beside it.
      {
        id: 'own:ftm-NK-own-uk-ru',
        start: '2019-01-01',
        startPrecision: 'YEAR',
        end: '2024-06-30',
        endPrecision: 'MONTH',
        note: null,
      },
      {
        id: 'own:ftm-NK-own-uk-us',
        start: null,
        startPrecision: null,
        end: null,
        endPrecision: null,
        note: 'Dates left out: properties.startDate given as "2020-02-30".',
      },
    ]);
    const dateProblems = report.problems.filter((p) => /Date$/.test(p.field ?? ''));
    expect(dateProblems).toEqual([
      {
        file: 'registers-and-dates.ftm.json',
        line: 3,
        field: 'properties.incorporationDate',
        message:
          '"circa 2015" is not a date (YYYY, YYYY-MM or YYYY-MM-DD): left out, its text kept in the note',
      },
      {
        file: 'registers-and-dates.ftm.json',
        line: 5,
        field: 'properties.startDate',
        message:
          '"2020-02-30" is not a date (YYYY, YYYY-MM or YYYY-MM-DD): left out, its text kept in the note',
      },
    ]);
    // Three fields left out (a number and two dates), every line still imported.
    expect(report).toMatchObject({ lines: 5, rejected: 3 });
  });
});
