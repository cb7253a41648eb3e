import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { mergesPathOf } from '../src/import/checkpoint';
import { runImport, type ImportOptions, type ImportReport } from '../src/import/runImport';
import { writeBatch } from '../src/import/writeBatch';
import {
  OPENSANCTIONS_SDN,
  existingOrganization,
  graphSnapshot,
  policiesOnly,
  useImportHarness,
} from './support/imports';

/**
 * Issue 13: imports resume from a checkpoint after a crash. A BODS party merged into a record of another id
 * (matched by identifier) is referred to by its recordId only, which names no record: the merge must outlive
 * the crash, or a resumed import rejects the stake on it as an unknown reference and merges a second entity
 * holding the same LEI instead of refusing it. A resumed import ends as the uninterrupted one does.
 */

const harness = useImportHarness(() => Promise.resolve());
const db = harness.db;

const LEI = '5299000KAMAROBOT0195';
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
    interests: [{ type: 'shareholding', directOrIndirect: 'direct', share: { exact }, startDate: '2024-01-01' }],
  });

/**
 * Line 1 holds the LEI of a record we hold (merged into it), line 4 another entity with the same LEI (refused,
 * naming line 1); lines 5 and 6 are stakes naming line 1's entity by its recordId.
 */
const STATEMENTS = [
  entity('ent-acme', 'Acme Robotics', LEI),
  statement('person-1', 'person', {
    personType: 'knownPerson',
    names: [{ type: 'individual', fullName: 'Ivan Petrov' }],
    nationalities: [{ name: 'Russia', code: 'RU' }],
  }),
  entity('ent-sub', 'Acme Robotics Services'),
  entity('ent-twin', 'Twin Robotics', LEI),
  stake('rel-person-acme', 'person-1', 'ent-acme', 60),
  stake('rel-acme-sub', 'ent-acme', 'ent-sub', 100),
];
const REFUSED_TWIN = [4, 'identifiers', `holds LEI:${LEI}, which line 1 of this import gives to another entity`];

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

const COUNTS = ['lines', 'created', 'updated', 'unchanged', 'matched', 'ambiguous', 'rejected', 'skipped'] as const;
const countsOf = (report: ImportReport) => Object.fromEntries(COUNTS.map((k) => [k, report[k]]));
const problemsOf = (report: ImportReport) => report.problems.map((p) => [p.line, p.field, p.message]);

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

async function stakes(): Promise<Array<{ owner: string; owned: string }>> {
  return db.readRows<{ owner: string; owned: string }>(
    `MATCH (a:Record)-[:OWNS]->(b:Record) RETURN a.id AS owner, b.id AS owned ORDER BY owner, owned`,
  );
}

describe('Import resumed from a checkpoint: the merges of pass 1 outlive the crash', () => {
  let file = '';
  let uninterrupted: ImportReport;
  let whole: Awaited<ReturnType<typeof graphSnapshot>>;
  let wholeStakes: Awaited<ReturnType<typeof stakes>>;

  beforeAll(async () => {
    file = await harness.file('merged.bods.jsonl', STATEMENTS.map((s) => JSON.stringify(s)).join('\n') + '\n');
    await withExistingRecord();
    uninterrupted = await importBods(file);
    whole = await graphSnapshot(db, { recordTime: false });
    wholeStakes = await stakes();
  });

  it('an uninterrupted import merges line 1, refuses line 4 and puts both stakes on the record we held', async () => {
    expect(problemsOf(uninterrupted)).toEqual([REFUSED_TWIN]);
    expect(uninterrupted).toMatchObject({ lines: 6, matched: 1, rejected: 1 });
    expect(wholeStakes).toEqual([
      { owner: 'org:kama-robotics', owned: 'org:bods-ent-sub' },
      { owner: 'person:bods-person-1', owned: 'org:kama-robotics' },
    ]);
  });

  it.each([
    { pass: 1, line: 1, when: 'after the merge, before the duplicate' },
    { pass: 1, line: 6, when: 'after pass 1, before the stakes' },
    { pass: 2, line: 5, when: 'between the two stakes' },
  ])('ends as the uninterrupted import after a crash $when', async ({ pass, line }) => {
    await withExistingRecord();
    const checkpointPath = path.join(harness.folder, `merged-${pass}-${line}.checkpoint.json`);
    const crash = importBods(file, {
      checkpointPath,
      onProgress: (p) => {
        if (p.pass === pass && p.line === line) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');

    const resumed = await importBods(file, { checkpointPath });
    expect(resumed.resumedFrom).toEqual({ pass, line });
    expect(problemsOf(resumed)).toEqual(problemsOf(uninterrupted));
    expect(countsOf(resumed)).toEqual(countsOf(uninterrupted));
    expect(await stakes()).toEqual([
      { owner: 'org:kama-robotics', owned: 'org:bods-ent-sub' },
      { owner: 'person:bods-person-1', owned: 'org:kama-robotics' },
    ]);
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
    // Nothing is left beside the checkpoint once the import ends.
    await expect(fs.access(checkpointPath)).rejects.toThrow();
    await expect(fs.access(mergesPathOf(checkpointPath))).rejects.toThrow();
  });

  it('does not apply the merges of another import kept at the same checkpoint path', async () => {
    await withExistingRecord();
    const checkpointPath = path.join(harness.folder, 'stale.checkpoint.json');
    // A stale merge of ent-acme into a record that is not the one its LEI names.
    await fs.writeFile(mergesPathOf(checkpointPath), `${JSON.stringify(['ent-acme', 'org:elsewhere'])}\n`);
    const report = await importBods(file, { checkpointPath });
    expect(report.resumedFrom).toBeNull();
    expect(countsOf(report)).toEqual(countsOf(uninterrupted));
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });
});
