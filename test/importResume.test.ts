import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { importCsv } from '../src/import/csvImport';
import { journalPathOf } from '../src/import/checkpoint';
import { REPORT_COUNTS, runImport, type ImportOptions, type ImportReport } from '../src/import/runImport';
import { writeBatch } from '../src/import/writeBatch';
import {
  OPENSANCTIONS_SDN,
  existingOrganization,
  graphSnapshot,
  policiesOnly,
  useImportHarness,
} from './support/imports';

/**
 * Issue 13: imports resume from a checkpoint after a crash, and a resumed import ends as the uninterrupted
 * one does: the same report counts and problems, the same graph. What an import learnt before the crash and
 * does not read again must outlive it: BODS parties merged into records of other ids (their references carry
 * no key), and the BODS 0.2/0.3 statements that later ones replace.
 */

const harness = useImportHarness(() => Promise.resolve());
const db = harness.db;

function importBods(file: string, extra: Partial<ImportOptions> = {}) {
  return runImport(db, {
    file,
    format: 'bods',
    reader: bodsReader(),
    source: OPENSANCTIONS_SDN,
    batchSize: 1,
    ...extra,
  });
}

const countsOf = (report: ImportReport) => Object.fromEntries(REPORT_COUNTS.map((k) => [k, report[k]]));

const LEI = '5299000KAMAROBOT0195';

/** The policies, and an organization we hold with the LEI that an incoming party is merged into by. */
async function withExistingRecord(): Promise<void> {
  await policiesOnly(db);
  await writeBatch(db, 'existing', {
    organizations: [
      existingOrganization('org:kama-robotics', 'Kama Robotics JSC', {
        identifiers: [{ scheme: 'LEI', value: LEI }],
      }),
    ],
  });
}
const problemsOf = (report: ImportReport) => report.problems.map((p) => [p.line, p.field, p.message]);
const jsonLines = (name: string, statements: object[]) =>
  harness.file(name, statements.map((s) => JSON.stringify(s)).join('\n') + '\n');

/** Imports the file with a crash once a batch of `pass` ending at `line` is checkpointed, then resumes it. */
async function crashAndResume(file: string, at: { pass: number; line: number }): Promise<ImportReport> {
  const checkpointPath = path.join(harness.folder, `${path.basename(file)}-${at.pass}-${at.line}.checkpoint`);
  const crash = importBods(file, {
    checkpointPath,
    onProgress: (p) => {
      if (p.pass === at.pass && p.line === at.line) throw new Error('simulated crash');
    },
  });
  await expect(crash).rejects.toThrow('simulated crash');
  const resumed = await importBods(file, { checkpointPath });
  expect(resumed.resumedFrom).toEqual(at);
  // Nothing is left beside the checkpoint once the import ends.
  await expect(fs.access(checkpointPath)).rejects.toThrow();
  await expect(fs.access(journalPathOf(checkpointPath))).rejects.toThrow();
  return resumed;
}

async function stakes() {
  return db.readRows<{ id: string; owner: string; owned: string }>(
    'MATCH (a:Record)-[r:OWNS]->(b:Record) RETURN r.id AS id, a.id AS owner, b.id AS owned ORDER BY id',
  );
}

const publication = { publicationDate: '2026-11-20', bodsVersion: '0.4', publisher: { name: 'Example' } };
const statement = (recordId: string, recordType: string, recordDetails: object) => ({
  statementId: `st-${recordId}`,
  statementDate: '2026-03-01',
  recordId,
  recordType,
  recordStatus: 'new',
  recordDetails: { isComponent: false, ...recordDetails },
  publicationDetails: publication,
});
const entity = (recordId: string, name: string, lei?: string) =>
  statement(recordId, 'entity', {
    entityType: { type: 'registeredEntity' },
    name,
    jurisdiction: { name: 'Russia', code: 'RU' },
    ...(lei ? { identifiers: [{ id: lei, scheme: 'XI-LEI', schemeName: 'Global LEI Index' }] } : {}),
  });
const stake = (recordId: string, owner: string, owned: string, exact: number) =>
  statement(recordId, 'relationship', {
    subject: owned,
    interestedParty: owner,
    interests: [
      { type: 'shareholding', directOrIndirect: 'direct', share: { exact }, startDate: '2024-01-01' },
    ],
  });

describe('A resumed BODS import keeps the merges of pass 1', () => {
  /**
   * Line 1 holds the LEI of a record we hold (merged into it), line 4 another entity with the same LEI
   * (refused, naming line 1); lines 5 and 6 are stakes naming line 1's entity by its recordId only.
   */
  const STATEMENTS = [
    entity('ent-acme', 'Acme Robotics', LEI),
    statement('person-1', 'person', {
      personType: 'knownPerson',
      names: [{ type: 'individual', fullName: 'Ivan Petrov' }],
      nationalities: [{ name: 'Russia', code: 'RU' }],
    }),
    entity('ent-sub', 'Volga Freight Terminal'),
    entity('ent-twin', 'Twin Robotics', LEI),
    stake('rel-person-acme', 'person-1', 'ent-acme', 60),
    stake('rel-acme-sub', 'ent-acme', 'ent-sub', 100),
  ];

  let file = '';
  let uninterrupted: ImportReport;
  let whole: Awaited<ReturnType<typeof graphSnapshot>>;
  let wholeStakes: Awaited<ReturnType<typeof stakes>>;

  beforeAll(async () => {
    file = await jsonLines('merged.bods.jsonl', STATEMENTS);
    await withExistingRecord();
    uninterrupted = await importBods(file);
    whole = await graphSnapshot(db, { recordTime: false });
    wholeStakes = await stakes();
  });

  it('uninterrupted, merges line 1, refuses line 4 and puts both stakes on the record we held', () => {
    expect(problemsOf(uninterrupted)).toEqual([
      [4, 'identifiers', `holds LEI:${LEI}, which line 1 of this import gives to another entity`],
    ]);
    expect(uninterrupted).toMatchObject({ lines: 6, matched: 1, rejected: 1 });
    expect(wholeStakes).toEqual([
      { id: 'own:bods-rel-acme-sub', owner: 'org:kama-robotics', owned: 'org:bods-ent-sub' },
      { id: 'own:bods-rel-person-acme', owner: 'person:bods-person-1', owned: 'org:kama-robotics' },
    ]);
  });

  it.each([
    { pass: 1, line: 1, when: 'after the merge, before the duplicate' },
    { pass: 1, line: 6, when: 'after pass 1, before the stakes' },
    { pass: 2, line: 5, when: 'between the two stakes' },
  ])('ends as the uninterrupted import after a crash $when', async ({ pass, line }) => {
    await withExistingRecord();
    const resumed = await crashAndResume(file, { pass, line });
    expect(problemsOf(resumed)).toEqual(problemsOf(uninterrupted));
    expect(countsOf(resumed)).toEqual(countsOf(uninterrupted));
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });

  it('does not apply a journal left at the checkpoint path by another import', async () => {
    await withExistingRecord();
    const checkpointPath = path.join(harness.folder, 'stale.checkpoint.json');
    // A stale merge of ent-acme into a record that is not the one its LEI names, and a stale problem.
    const stale = [
      ['merge', 'ent-acme', 'org:elsewhere', 2 ** 32 + 1],
      ['problem', { file: 'other.bods.jsonl', line: 1, message: 'stale' }, 2 ** 32 + 1],
    ];
    await fs.writeFile(journalPathOf(checkpointPath), stale.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const report = await importBods(file, { checkpointPath });
    expect(report.resumedFrom).toBeNull();
    expect(countsOf(report)).toEqual(countsOf(uninterrupted));
    expect(problemsOf(report)).toEqual(problemsOf(uninterrupted));
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });
});

describe('A BODS 0.2/0.3 import resumed in pass 2 still skips replaced statements', () => {
  const entity02 = (id: string, name: string) => ({
    statementID: id,
    statementType: 'entityStatement',
    statementDate: '2020-01-01',
    entityType: 'registeredEntity',
    name,
  });
  const stake02 = (id: string, exact: number, replaces?: string) => ({
    statementID: id,
    statementType: 'ownershipOrControlStatement',
    statementDate: replaces ? '2021-01-01' : '2020-01-01',
    subject: { describedByEntityStatement: 'e-sub' },
    interestedParty: { describedByEntityStatement: 'e-parent' },
    interests: [{ type: 'shareholding', share: { exact }, startDate: '2020-01-01' }],
    ...(replaces ? { replacesStatements: [replaces] } : {}),
  });
  /** Line 3 is the stake's first statement, line 4 its replacement (40% became 45%). */
  const STATEMENTS = [
    entity02('e-parent', 'Replacing Parent Ltd'),
    entity02('e-sub', 'Replacing Sub Ltd'),
    stake02('st-old', 40),
    stake02('st-new', 45, 'st-old'),
  ];

  let file = '';
  let uninterrupted: ImportReport;
  let whole: Awaited<ReturnType<typeof graphSnapshot>>;
  let wholeStakes: Awaited<ReturnType<typeof stakes>>;

  beforeAll(async () => {
    file = await jsonLines('replaced.bods.jsonl', STATEMENTS);
    await policiesOnly(db);
    uninterrupted = await importBods(file);
    whole = await graphSnapshot(db, { recordTime: false });
    wholeStakes = await stakes();
  });

  it('uninterrupted, writes only the replacement', () => {
    expect(uninterrupted).toMatchObject({ lines: 4, rejected: 0 });
    expect(wholeStakes.map((s) => s.id)).toEqual(['own:bods-st-new']);
  });

  it.each([
    { pass: 1, line: 4, when: 'after pass 1' },
    { pass: 1, line: 1, when: 'in pass 1' },
  ])('ends as the uninterrupted import after a crash $when', async ({ pass, line }) => {
    await policiesOnly(db);
    const resumed = await crashAndResume(file, { pass, line });
    expect(countsOf(resumed)).toEqual(countsOf(uninterrupted));
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });
});

describe('A CSV folder import resumed after a crash in a later file', () => {
  const SOURCE = { ...OPENSANCTIONS_SDN, dataset: 'resume-sheet', url: 'https://intranet.example/resume' };
  const FILES = {
    'organizations.csv': [
      'id,name,headquarters,identifiers',
      // No id: merged into the record we hold by its LEI.
      `,Kama Robotics,RU,LEI:${LEI}`,
      'org:rs-holding,Resume Holding Ltd,GB,',
      'org:rs-sub,Resume Subsidiary Ltd,GB,',
    ],
    'ownerships.csv': [
      'owner,owned,share',
      'org:rs-holding,org:rs-sub,100',
      `org:rs-holding,LEI:${LEI},30`,
      'org:rs-sub,org:rs-holding,5',
    ],
  };

  let folder = '';
  let uninterrupted: ImportReport;
  let whole: Awaited<ReturnType<typeof graphSnapshot>>;

  beforeAll(async () => {
    for (const [name, lines] of Object.entries(FILES)) {
      await harness.file(path.join('resume-folder', name), lines.join('\n') + '\n');
    }
    folder = path.join(harness.folder, 'resume-folder');
    await withExistingRecord();
    uninterrupted = await importCsv(db, { path: folder, source: SOURCE, batchSize: 1 });
    whole = await graphSnapshot(db, { recordTime: false });
  });

  it('uninterrupted, creates two organizations and three stakes, and merges the row without an id', () => {
    // Created: the two organizations with ids, the country GB they name, the three stakes.
    expect(uninterrupted).toMatchObject({ created: 6, updated: 1, matched: 1, rejected: 0 });
  });

  it('ends as the uninterrupted import: the same records, counts and listed problems', async () => {
    await withExistingRecord();
    const checkpointPath = path.join(harness.folder, 'resume-folder.checkpoint.json');
    const crash = importCsv(db, {
      path: folder,
      source: SOURCE,
      batchSize: 1,
      checkpointPath,
      onProgress: (p) => {
        if (p.report.file === 'ownerships.csv' && p.pass === 2 && p.line === 3)
          throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const resumed = await importCsv(db, { path: folder, source: SOURCE, batchSize: 1, checkpointPath });
    expect(resumed.resumedFrom).toEqual({ pass: 2, line: 3 });
    expect(countsOf(resumed)).toEqual(countsOf(uninterrupted));
    expect(problemsOf(resumed)).toEqual(problemsOf(uninterrupted));
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });
});
