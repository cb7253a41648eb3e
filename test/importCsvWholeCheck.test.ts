import { promises as fs } from 'node:fs';
import path from 'node:path';
import { importCsv } from '../src/import/csvImport';
import type { ImportSource } from '../src/import/importSource';
import { MAX_LISTED } from '../src/import/runImport';
import { existingIds } from '../src/queries/identifiers';
import { graphSnapshot, useImportHarness } from './support/imports';

/**
 * Issue 13, memory flat at any size: the check a CSV folder passes before its first write keeps, of the rows
 * it has read, only fingerprints of their ids and unique identifiers, and lists only the first problems.
 * What it finds is unchanged: every problem counted, the first ones listed in file order, a duplicate named
 * with the row that gave the value first (found by a second read), and a clean folder written whole.
 */

const SOURCE: ImportSource = {
  dataset: 'whole-check-sheet',
  version: '2026-11-30',
  url: 'https://intranet.example/sheets/whole-check',
  publisher: 'Compliance team',
};

const harness = useImportHarness();
const db = () => harness.db;

async function folderOf(name: string, files: Record<string, string[]>): Promise<string> {
  const folder = path.join(harness.folder, name);
  await fs.mkdir(folder, { recursive: true });
  for (const [file, lines] of Object.entries(files)) {
    await fs.writeFile(path.join(folder, file), `${lines.join('\n')}\n`);
  }
  return folder;
}

/** Rows of organizations.csv with the columns id, name, headquarters (and `extra` after them). */
const organizations = (from: number, to: number, slug: string, extra = '') =>
  Array.from(
    { length: to - from },
    (_, i) => `org:${slug}-${from + i},Whole Check ${slug} ${from + i} Ltd,GB${extra}`,
  );

describe('the whole-folder check of a CSV import', () => {
  it('counts every problem, lists the first ones in file order, and writes nothing', async () => {
    const bad = MAX_LISTED * 2 + 500;
    // Every row refers to an organization neither the folder nor the database holds.
    const folder = await folderOf('many-problems', {
      'organizations.csv': ['id,name,headquarters', ...organizations(0, 10, 'many')],
      'ownerships.csv': [
        'id,owner,owned,share',
        ...Array.from({ length: bad }, (_, i) => `own:many-${i},org:many-0,org:nowhere-${i},10`),
      ],
    });
    const before = await graphSnapshot(db());
    const report = await importCsv(db(), { path: folder, source: SOURCE });
    expect(report.rejected).toBe(bad);
    expect(report.refused).toBe(`nothing was written: ${bad} problem(s) found before the first write`);
    expect(report.problems).toHaveLength(MAX_LISTED);
    expect(report.problems.map((p) => p.line)).toEqual(Array.from({ length: MAX_LISTED }, (_, i) => i + 2));
    expect(report.problems[0]).toEqual({
      file: 'ownerships.csv',
      line: 2,
      field: 'owned',
      message: 'refers to "org:nowhere-0", which neither this import nor the database holds',
    });
    expect(await graphSnapshot(db())).toEqual(before);
  });

  it('names the first row of an id given again in a later file, and of a unique identifier given twice', async () => {
    const folder = await folderOf('duplicates', {
      'organizations.csv': [
        'id,name,headquarters,identifiers',
        'org:dup-a,Dup A Ltd,GB,LEI:5493001KJTIIGC8Y1R12',
        ...organizations(0, 50, 'dup', ','),
        'org:dup-b,Dup B Ltd,GB,LEI:5493001KJTIIGC8Y1R12',
      ],
      'ownerships.csv': [
        'id,owner,owned,share',
        'own:dup-1,org:dup-a,org:dup-0,10',
        'own:dup-2,org:dup-1,org:dup-2,10',
        'own:dup-1,org:dup-3,org:dup-4,10',
      ],
    });
    const before = await graphSnapshot(db());
    const report = await importCsv(db(), { path: folder, source: SOURCE });
    expect(report.problems).toEqual([
      {
        file: 'organizations.csv',
        line: 53,
        field: 'identifiers',
        message: 'LEI:5493001KJTIIGC8Y1R12 is unique, and organizations.csv line 2 gives it to another party',
      },
      {
        file: 'ownerships.csv',
        line: 4,
        field: 'id',
        message: '"own:dup-1" is given twice: also on ownerships.csv line 2',
      },
    ]);
    expect(report.rejected).toBe(2);
    expect(await graphSnapshot(db())).toEqual(before);
  });

  it('writes a clean folder whose stakes refer to the rows of an earlier file', async () => {
    const n = 300;
    const folder = await folderOf('clean', {
      'organizations.csv': ['id,name,headquarters', ...organizations(0, n + 1, 'clean')],
      'ownerships.csv': [
        'id,owner,owned,share',
        ...Array.from(
          { length: n },
          (_, i) => `own:clean-${i},org:clean-${i},org:clean-${i + 1},${10 + (i % 81)}`,
        ),
      ],
    });
    const gbHeld = (await db().read((query) => existingIds(query, ['country:GB']))).size;
    const report = await importCsv(db(), { path: folder, source: SOURCE, batchSize: 100 });
    expect(report.refused).toBeUndefined();
    expect(report.problems).toEqual([]);
    // Created: the rows, and the country record (GB) they name when the database lacked it.
    expect(report).toMatchObject({ lines: 2 * n + 1, created: 2 * n + 1 + (1 - gbHeld), rejected: 0 });
  });
});
