import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { runImport } from '../src/import/runImport';
import { IMPORT_FIXTURES, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13, the importers' gaps: a BODS 0.4 package as the standard publishes it (one JSON array,
 * pretty-printed over many lines, as openownership/data-standard's examples/ are), read streaming; interests
 * of control become control records with their dates; a votingRights share beside a shareholding is the
 * stake's voting share; a date that is not one is reported with its value and kept in the record's text.
 */

const PACKAGE = path.join(IMPORT_FIXTURES, 'bods', 'willow-package.bods.json');
const SOURCE = {
  dataset: 'example-register-package',
  version: '2026-11-20',
  url: 'https://example.org/register/bods-package.json',
  publisher: 'Example Register',
};
const harness = useImportHarness();
const db = harness.db;
beforeEach(() => policiesOnly(db));

const importBods = (file: string) =>
  runImport(db, { file, format: 'bods', reader: bodsReader(), source: SOURCE });

const statement = (recordId: string, recordType: string, recordDetails: object) => ({
  statementId: `st-${recordId}`,
  statementDate: '2026-11-20',
  recordId,
  recordType,
  recordStatus: 'new',
  recordDetails: { isComponent: false, ...recordDetails },
});
const entity = (recordId: string, name: string) =>
  statement(recordId, 'entity', { entityType: { type: 'registeredEntity' }, name });

describe('BODS 0.4 package: a pretty-printed array, controls and dates', () => {
  it('reads a pretty-printed package: parties, a stake with its voting share, and control by board appointment', async () => {
    const report = await importBods(PACKAGE);
    // Six statements; the board seat (boardMember) is not control here, and is counted as skipped.
    expect(report).toMatchObject({ lines: 6, rejected: 0, skipped: 1, ambiguous: 0, problems: [] });
    const parties = await db.readRows<Record<string, unknown>>(
      `MATCH (n:Record) WHERE n.id STARTS WITH 'org:bods-' OR n.id STARTS WITH 'person:bods-'
       RETURN n.id AS id, n.name AS name, n.founded AS founded, n.identifiers AS identifiers ORDER BY id`,
    );
    expect(parties).toEqual([
      {
        id: 'org:bods-willow-op',
        name: 'Willow Robotics B.V.',
        founded: '2018-09-03',
        identifiers: ['REGISTRY:NL-KVK:99990002'],
      },
      {
        id: 'org:bods-willow-parent',
        name: 'Willow Robotics Holdings Ltd',
        founded: '2012-04-01',
        identifiers: ['REGISTRY:GB-COH:09990001'],
      },
      { id: 'person:bods-willow-person', name: 'Ana Duarte', founded: null, identifiers: null },
    ]);
    const stakes = await db.readRows<Record<string, unknown>>(
      `MATCH (a)-[r:OWNS]->(b) RETURN r.id AS id, a.id AS owner, b.id AS owned, r.shareExact AS share,
              r.votingShareExact AS votes, r.startDate AS startDate`,
    );
    expect(stakes).toEqual([
      {
        id: 'own:bods-willow-parent-op',
        owner: 'org:bods-willow-parent',
        owned: 'org:bods-willow-op',
        share: 60,
        votes: 75,
        startDate: '2020-01-15',
      },
    ]);
    const controls = await db.readRows<Record<string, unknown>>(
      `MATCH (a)-[r:CONTROLS]->(b) RETURN r.id AS id, a.id AS controller, b.id AS controlled, r.basis AS basis,
              r.startDate AS startDate, r.endDate AS endDate, r.description AS description, r.sourceIds AS sources
       ORDER BY id`,
    );
    expect(controls).toEqual([
      {
        id: 'ctrl:bods-willow-person-op-appointmentOfBoard',
        controller: 'person:bods-willow-person',
        controlled: 'org:bods-willow-op',
        basis: 'BOARD_CONTROL',
        startDate: '2021-06-01',
        endDate: null,
        description: "Appoints three of the five directors under the shareholders' agreement.",
        sources: [report.sourceId],
      },
      {
        id: 'ctrl:bods-willow-person-op-seniorManagingOfficial',
        controller: 'person:bods-willow-person',
        controlled: 'org:bods-willow-op',
        basis: 'OTHER',
        startDate: '2021-06-01',
        endDate: '2024-03-31',
        description: null,
        sources: [report.sourceId],
      },
    ]);
  });

  it('changes nothing when the package is imported again', async () => {
    await importBods(PACKAGE);
    const again = await importBods(PACKAGE);
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 0 });
  });

  it('reads the same package written on one line, naming each statement by its index', async () => {
    const statements = [
      entity('a', 'Alder Systems Ltd'),
      entity('b', 'Birch Analytics Ltd'),
      statement('a-b', 'relationship', {
        subject: 'b',
        interestedParty: 'a',
        interests: [
          { type: 'shareholding', directOrIndirect: 'direct', startDate: 'early 2020', share: { exact: 30 } },
        ],
      }),
    ];
    const file = await harness.file('one-line.bods.json', JSON.stringify(statements));
    const report = await importBods(file);
    // A start date that is not a date: the stake is written without it, the report names statement 2's
    // field and value, and the note keeps what the source said.
    expect(report.problems).toEqual([
      {
        file: 'one-line.bods.json',
        line: 1,
        field: '[2].interests.startDate',
        message:
          '"early 2020" is not a date (YYYY, YYYY-MM or YYYY-MM-DD): left out, its text kept in the note',
      },
    ]);
    const [stake] = await db.readRows<Record<string, unknown>>(
      `MATCH ()-[r:OWNS {id: 'own:bods-a-b'}]->() RETURN r.startDate AS startDate, r.note AS note`,
    );
    expect(stake).toEqual({
      startDate: null,
      note: 'BODS statement of 2026-11-20 Dates left out: interests.startDate given as "early 2020".',
    });
  });

  it('refuses a package with a statement cut short, naming where it starts and its index', async () => {
    const whole = JSON.stringify([entity('c', 'Cedar Labs Ltd'), entity('d', 'Dogwood AI Ltd')], null, 2);
    // The second statement loses its end: a download interrupted mid-file.
    const cut = whole.slice(0, whole.lastIndexOf('"name"'));
    const secondStartsAt = whole.split('\n').findIndex((l, i) => i > 1 && l === '  {') + 1;
    const file = await harness.file('cut.bods.json', cut);
    const report = await importBods(file);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ file: 'cut.bods.json', line: secondStartsAt, field: '[1]' });
    expect(report.problems[0]!.message).toMatch(
      /^cannot be read to its end, so nothing of the file was written: item 1 \(from line \d+\)/,
    );
    // The file is read through before the first write (readWhole.ts): the statement before the cut is not written.
    const names = await db.readRows<{ name: string }>(
      `MATCH (n:Organization) WHERE n.id STARTS WITH 'org:bods-' RETURN n.name AS name`,
    );
    expect(names).toEqual([]);
  });

  it('imports a stand-alone votingRights interest as control by vote, with its share in words', async () => {
    const statements = [
      entity('e', 'Elm Holdings Ltd'),
      entity('f', 'Fir Devices Ltd'),
      statement('e-f', 'relationship', {
        subject: 'f',
        interestedParty: 'e',
        interests: [
          {
            type: 'votingRights',
            directOrIndirect: 'direct',
            startDate: '2022-02-01',
            share: { minimum: 25, maximum: 50, exclusiveMinimum: true },
          },
        ],
      }),
    ];
    const file = await harness.file('votes.bods.json', JSON.stringify(statements, null, 2));
    const report = await importBods(file);
    expect(report).toMatchObject({ rejected: 0, problems: [] });
    const controls = await db.readRows<Record<string, unknown>>(
      `MATCH (:Record {id: 'org:bods-e'})-[r:CONTROLS]->(:Record {id: 'org:bods-f'})
       RETURN r.basis AS basis, r.startDate AS startDate, r.description AS description`,
    );
    expect(controls).toEqual([
      {
        basis: 'VOTING_AGREEMENT',
        startDate: '2022-02-01',
        description: 'votingRights: {"exclusiveMinimum":25,"maximum":50}',
      },
    ]);
  });
});
