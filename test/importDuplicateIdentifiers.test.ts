import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { ftmReader } from '../src/import/ftm';
import type { FormatReader } from '../src/import/incoming';
import { runImport, type ImportOptions } from '../src/import/runImport';
import { writeBatch } from '../src/import/writeBatch';
import { leiChecksumValid } from '../src/model/identifier';
import {
  OPENSANCTIONS_SDN,
  existingOrganization,
  ftmFile as ftmFileIn,
  graphSnapshot,
  policiesOnly,
  useImportHarness,
} from './support/imports';

/**
 * Issue 13 lists duplicate identifiers among the bad files that must give a clear error with file and line.
 * Two entities of one file holding the same unique identifier are refused the same way whatever the batch
 * size: the second is rejected naming the first's line, never merged into the record the first one wrote (or
 * was merged into) because a batch boundary fell between them. Reruns and resumes decide the same.
 */

const harness = useImportHarness(() => Promise.resolve());
const db = harness.db;
const ftmFile = (name: string, entities: object[]) => ftmFileIn(harness, name, entities);

const LEI = '5299000KAMAROBOT0195';
const company = (id: string, name: string, extra: Record<string, string[]> = {}) => ({
  id,
  schema: 'Company',
  properties: { name: [name], jurisdiction: ['ru'], ...extra },
});
/** Line 1 and line 3 hold one LEI; line 2 is another company between them. */
const TWINS = [
  company('NK-twin-a', 'Twin A Robotics', { leiCode: [LEI] }),
  company('NK-between', 'Between Components'),
  company('NK-twin-b', 'Twin B Robotics', { leiCode: [LEI] }),
];
const REFUSED_B = [3, 'identifiers', `holds LEI:${LEI}, which line 1 of this import gives to another entity`];

function importFile(file: string, extra: Partial<ImportOptions> & { reader?: FormatReader } = {}) {
  return runImport(db, {
    file,
    format: 'ftm',
    reader: ftmReader(),
    source: OPENSANCTIONS_SDN,
    ...extra,
  });
}

/** An 18-character LEI stem with the two check digits that make it valid (ISO 17442). */
function withCheckDigits(stem: string): string {
  for (let d = 0; d < 100; d++) {
    const lei = stem + String(d).padStart(2, '0');
    if (leiChecksumValid(lei)) return lei;
  }
  throw new Error(`no check digits for ${stem}`);
}

const problemsOf = (report: Awaited<ReturnType<typeof importFile>>) =>
  report.problems.map((p) => [p.line, p.field, p.message]);

describe('Import: a unique identifier given to two entities of one file', () => {
  beforeEach(() => policiesOnly(db));

  it.each([1, 2, 1000])(
    'refuses the second holder naming the first line, in batches of %i lines',
    async (batchSize) => {
      const file = await ftmFile('twins.ftm.json', TWINS);
      const report = await importFile(file, { batchSize });
      expect(problemsOf(report)).toEqual([REFUSED_B]);
      expect(report).toMatchObject({ lines: 3, created: 2, matched: 0, rejected: 1 });
      const holders = await db.readRows<{ id: string; name: string }>(
        'MATCH (o:Organization) WHERE $key IN o.identifiers RETURN o.id AS id, o.name AS name',
        { key: `LEI:${LEI}` },
      );
      expect(holders).toEqual([{ id: 'org:ftm-NK-twin-a', name: 'Twin A Robotics' }]);
    },
  );

  it.each([
    { crash: null, how: '' },
    { crash: 18, how: ', counting the reads made before a resume' },
  ])(
    'reads the file again to name the earlier line at most ten times, then names the earlier entity$how',
    async ({ crash }) => {
      // Twelve pairs, each in its own later batch: without a bound, each batch would read the file's start again.
      const keyOf = (n: number) => withCheckDigits(`5299000KAMAROBOT${String(10 + n)}`);
      const firsts = Array.from({ length: 12 }, (_, n) =>
        company(`NK-first-${n}`, `First ${n}`, { leiCode: [keyOf(n)] }),
      );
      const seconds = Array.from({ length: 12 }, (_, n) =>
        company(`NK-second-${n}`, `Second ${n}`, { leiCode: [keyOf(n)] }),
      );
      const file = await ftmFile('many-twins.ftm.json', [...firsts, ...seconds]);
      const checkpointPath = path.join(harness.folder, 'many-twins.checkpoint.json');
      if (crash) {
        // Stopped after the sixth refusal (line 18): a resume makes the four reads left, not ten more.
        const stopped = importFile(file, {
          batchSize: 1,
          checkpointPath,
          onProgress: (p) => {
            if (p.pass === 1 && p.line === crash) throw new Error('simulated crash');
          },
        });
        await expect(stopped).rejects.toThrow('simulated crash');
      }
      const report = await importFile(file, { batchSize: 1, checkpointPath });
      expect(report.resumedFrom).toEqual(crash ? { pass: 1, line: crash } : null);
      expect(report).toMatchObject({ created: 12, rejected: 12 });
      expect(problemsOf(report)).toEqual(
        seconds.map((_, n) => [
          13 + n,
          'identifiers',
          n < 10
            ? `holds LEI:${keyOf(n)}, which line ${n + 1} of this import gives to another entity`
            : `holds LEI:${keyOf(n)}, which another entity of this import gave to "org:ftm-NK-first-${n}"`,
        ]),
      );
    },
  );

  it('writes the same graph in batches of one line as in one batch, and a rerun of either changes nothing', async () => {
    const file = await ftmFile('twins-graph.ftm.json', TWINS);
    await importFile(file, { batchSize: 1000 });
    const oneBatch = await graphSnapshot(db, { recordTime: false });
    await policiesOnly(db);
    await importFile(file, { batchSize: 1 });
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(oneBatch);
    const before = await graphSnapshot(db);
    for (const batchSize of [1, 1000]) {
      const again = await importFile(file, { batchSize });
      expect(problemsOf(again)).toEqual([REFUSED_B]);
      expect(again).toMatchObject({ created: 0, updated: 0, rejected: 1 });
    }
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it.each([1, 1000])(
    'refuses the second holder when the first was merged into a record we held, in batches of %i lines',
    async (batchSize) => {
      await writeBatch(db, 'existing', {
        organizations: [
          existingOrganization('org:kama-robotics', 'Kama Robotics JSC', {
            identifiers: [{ scheme: 'LEI', value: LEI }],
          }),
        ],
      });
      const file = await ftmFile('twins-merged.ftm.json', TWINS);
      const first = await importFile(file, { batchSize });
      expect(problemsOf(first)).toEqual([REFUSED_B]);
      expect(first).toMatchObject({ matched: 1, rejected: 1 });
      const merged = await db.readRows<{ aliases: string[] }>(
        "MATCH (o:Organization {id: 'org:kama-robotics'}) RETURN o.aliases AS aliases",
      );
      expect(merged).toEqual([{ aliases: ['Twin A Robotics'] }]);
      // A rerun finds line 1's own merge again (the record holds its OpenSanctions id) and refuses line 3 again.
      const before = await graphSnapshot(db);
      const again = await importFile(file, { batchSize });
      expect(problemsOf(again)).toEqual([REFUSED_B]);
      expect(again).toMatchObject({ matched: 1, rejected: 1, updated: 0 });
      expect(await graphSnapshot(db)).toEqual(before);
    },
  );

  it('refuses it in a dry run across batches too, writing nothing', async () => {
    const file = await ftmFile('twins-dry.ftm.json', TWINS);
    const before = await graphSnapshot(db);
    const report = await importFile(file, { batchSize: 1, dryRun: true });
    expect(problemsOf(report)).toEqual([REFUSED_B]);
    expect(report).toMatchObject({ created: 2, rejected: 1 });
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('refuses it after a resume from a checkpoint taken between the two lines', async () => {
    const file = await ftmFile('twins-resume.ftm.json', TWINS);
    const checkpointPath = path.join(harness.folder, 'twins.checkpoint.json');
    const crash = importFile(file, {
      batchSize: 1,
      checkpointPath,
      onProgress: (p) => {
        if (p.pass === 1 && p.line === 2) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const resumed = await importFile(file, { batchSize: 1, checkpointPath });
    expect(resumed.resumedFrom).toEqual({ pass: 1, line: 2 });
    expect(problemsOf(resumed)).toEqual([REFUSED_B]);
    await expect(fs.access(checkpointPath)).rejects.toThrow();
  });

  it('still merges one entity repeated on two lines (an FtM export repeats an entity per data set)', async () => {
    const file = await ftmFile('repeated.ftm.json', [
      company('NK-twin-a', 'Twin A Robotics', { leiCode: [LEI] }),
      company('NK-between', 'Between Components'),
      { ...company('NK-twin-a', 'Twin A Robotics', { leiCode: [LEI] }), datasets: ['us_ofac_sdn'] },
    ]);
    const report = await importFile(file, { batchSize: 1 });
    expect(report).toMatchObject({ created: 2, rejected: 0 });
  });

  it.each([1, 1000])(
    'refuses two BODS entity statements with one LEI, in batches of %i lines',
    async (batchSize) => {
      const entity = (recordId: string, name: string) => ({
        statementId: `st-${recordId}`,
        statementDate: '2026-03-01',
        recordId,
        recordType: 'entity',
        recordStatus: 'new',
        recordDetails: {
          isComponent: false,
          entityType: { type: 'registeredEntity' },
          name,
          jurisdiction: { name: 'Russia', code: 'RU' },
          identifiers: [{ id: LEI, scheme: 'XI-LEI', schemeName: 'Global Legal Entity Identifier Index' }],
        },
        publicationDetails: {
          publicationDate: '2026-11-20',
          bodsVersion: '0.4',
          publisher: { name: 'Example' },
        },
      });
      const file = await harness.file(
        'twins.bods.jsonl',
        [entity('ent-a', 'Twin A Robotics'), entity('ent-b', 'Twin B Robotics')]
          .map((s) => JSON.stringify(s))
          .join('\n') + '\n',
      );
      const report = await importFile(file, { batchSize, format: 'bods', reader: bodsReader() });
      expect(problemsOf(report)).toEqual([
        [2, 'identifiers', `holds LEI:${LEI}, which line 1 of this import gives to another entity`],
      ]);
      expect(report).toMatchObject({ created: 1, rejected: 1 });
    },
  );
});
