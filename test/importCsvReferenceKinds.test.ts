import path from 'node:path';
import { importCsv } from '../src/import/csvImport';
import type { ImportSource } from '../src/import/importSource';
import { writeBatch } from '../src/import/writeBatch';
import { graphSnapshot, policiesOnly, useImportHarness } from './support/imports';

/**
 * Issue 13, loads checked whole before they write: what is owned or controlled is an organization. A CSV row
 * naming it by an identifier that a person holds (in the folder or in the database) is refused by the check
 * of the whole folder, naming file, line, column and reason, before the first write: not only when the row's
 * file is imported, after the files before it were committed.
 */

const SOURCE: ImportSource = {
  dataset: 'reference-kinds-sheet',
  version: '2026-12-01',
  url: 'https://intranet.example/sheets/reference-kinds',
  publisher: 'Compliance team',
};

const harness = useImportHarness(() => Promise.resolve());
const db = () => harness.db;

/** Valid LEIs (ISO 17442 check digits). */
const PERSON_LEI = '5493001KJTIIGC8Y1R12';
const HELD_LEI = '5299000KAMAROBOT0195';

/** A folder of template files, each given as its lines. */
async function folderOf(name: string, files: Record<string, string[]>): Promise<string> {
  for (const [file, lines] of Object.entries(files))
    await harness.file(path.join(name, file), lines.join('\n') + '\n');
  return path.join(harness.folder, name);
}

/** A problem the check reports: the reference in `field` names a person. */
const namesPerson = (file: string, line: number, field: string, held: string, holder: string) => ({
  file,
  line,
  field,
  message: `refers to ${held}, which names ${holder}: ${field} must be an organization`,
});

describe('a CSV reference to a person where an organization is required', () => {
  beforeEach(() => policiesOnly(db()));

  it('is refused before the first write when a person of the folder holds the identifier', async () => {
    const folder = await folderOf('person-in-folder', {
      'organizations.csv': ['id,name,headquarters', 'org:rk-acme,RK Acme Ltd,GB'],
      'persons.csv': ['id,name,nationality,identifiers', `person:rk-ivan,Ivan Roe,GB,LEI:${PERSON_LEI}`],
      'ownerships.csv': [
        'id,owner,owned,share',
        // By the person's LEI as the owner: a person may own.
        `own:rk-1,LEI:${PERSON_LEI},org:rk-acme,30`,
        `own:rk-2,org:rk-acme,LEI:${PERSON_LEI},10`,
      ],
      'controls.csv': ['controller,controlled,basis', `org:rk-acme,LEI:${PERSON_LEI},VOTING_AGREEMENT`],
    });
    const before = await graphSnapshot(db());
    const report = await importCsv(db(), { path: folder, source: SOURCE });
    expect(report.refused).toBe('nothing was written: 2 problem(s) found before the first write');
    expect(report.problems).toEqual([
      namesPerson('controls.csv', 2, 'controlled', `LEI:${PERSON_LEI}`, 'a person of this import'),
      namesPerson('ownerships.csv', 3, 'owned', `LEI:${PERSON_LEI}`, 'a person of this import'),
    ]);
    expect(await graphSnapshot(db())).toEqual(before);
  });

  it('is refused before the first write when a person in the database holds the identifier', async () => {
    await writeBatch(db(), 'existing', {
      persons: [
        {
          id: 'person:rk-held',
          name: 'Held Person',
          identifiers: [{ scheme: 'LEI', value: HELD_LEI }],
          sources: ['src:fixture-policies'],
        },
      ],
    });
    const folder = await folderOf('person-in-database', {
      'organizations.csv': ['id,name,headquarters', 'org:rk-beta,RK Beta Ltd,GB'],
      'designations.csv': ['entity,policy', `LEI:${HELD_LEI},policy:ofac-sdn-list`],
      'ownerships.csv': ['owner,owned,share', `org:rk-beta,LEI:${HELD_LEI},51`],
    });
    const before = await graphSnapshot(db());
    const report = await importCsv(db(), { path: folder, source: SOURCE });
    expect(report.refused).toBe('nothing was written: 1 problem(s) found before the first write');
    expect(report.problems).toEqual([
      namesPerson('ownerships.csv', 2, 'owned', `LEI:${HELD_LEI}`, '"person:rk-held", a person'),
    ]);
    expect(await graphSnapshot(db())).toEqual(before);
  });
});
