import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { runImport, type ImportOptions, type ImportReport } from '../src/import/runImport';
import { OPENSANCTIONS_SDN, graphSnapshot, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13: a resumed import ends as the uninterrupted one. BODS 0.2/0.3 statements name the earlier statements
 * they replace (`replacesStatements`); pass 1 notes them and pass 2 skips a replaced stake. A resume in pass 2
 * does not read pass 1 again, so it must still learn them, or the replaced stake is written beside its
 * replacement.
 */

const harness = useImportHarness(() => Promise.resolve());
const db = harness.db;

const entity = (id: string, name: string) => ({
  statementID: id,
  statementType: 'entityStatement',
  statementDate: '2020-01-01',
  entityType: 'registeredEntity',
  name,
});
const stake = (id: string, exact: number, replaces?: string) => ({
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
  entity('e-parent', 'Replacing Parent Ltd'),
  entity('e-sub', 'Replacing Sub Ltd'),
  stake('st-old', 40),
  stake('st-new', 45, 'st-old'),
];

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

const COUNTS = ['lines', 'created', 'updated', 'unchanged', 'matched', 'rejected', 'skipped'] as const;
const countsOf = (report: ImportReport) => Object.fromEntries(COUNTS.map((k) => [k, report[k]]));

async function stakes() {
  return db.readRows<{ id: string; share: number }>(
    'MATCH ()-[r:OWNS]->() RETURN r.id AS id, r.shareExact AS share ORDER BY id',
  );
}

describe('Import of BODS 0.2/0.3 resumed in pass 2: a replaced statement stays replaced', () => {
  let file = '';
  let uninterrupted: ImportReport;
  let whole: Awaited<ReturnType<typeof graphSnapshot>>;
  let wholeStakes: Awaited<ReturnType<typeof stakes>>;

  beforeAll(async () => {
    file = await harness.file('replaced.bods.jsonl', STATEMENTS.map((s) => JSON.stringify(s)).join('\n') + '\n');
    await policiesOnly(db);
    uninterrupted = await importBods(file);
    whole = await graphSnapshot(db, { recordTime: false });
    wholeStakes = await stakes();
  });

  it('an uninterrupted import writes only the replacement', async () => {
    expect(uninterrupted).toMatchObject({ lines: 4, rejected: 0 });
    expect(wholeStakes).toEqual([{ id: 'own:bods-st-new', share: 45 }]);
  });

  it.each([
    { pass: 1, line: 4, when: 'after pass 1' },
    { pass: 1, line: 1, when: 'in pass 1' },
  ])('ends as the uninterrupted import after a crash $when', async ({ pass, line }) => {
    await policiesOnly(db);
    const checkpointPath = path.join(harness.folder, `replaced-${pass}-${line}.checkpoint.json`);
    const crash = importBods(file, {
      checkpointPath,
      onProgress: (p) => {
        if (p.pass === pass && p.line === line) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const resumed = await importBods(file, { checkpointPath });
    expect(resumed.resumedFrom).toEqual({ pass, line });
    expect(countsOf(resumed)).toEqual(countsOf(uninterrupted));
    expect((await stakes()).map((s) => s.id)).toEqual(['own:bods-st-new']);
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });
});
