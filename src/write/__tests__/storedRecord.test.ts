import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { SECTIONS } from '../../model/dataset';
import { knownAt } from '../../records/recordTime';
import { listDataSetFiles, parseDataSetFile } from '../../seed/readDataSet';
import { toProps } from '../../seed/storage';
import { fromProps, sectionOfId } from '../storedRecord';

/** Fields left out rather than written as null: the data-set format treats both alike. */
function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => v !== null || k === 'share'));
}

describe('Write: stored records read back in the data-set format', () => {
  it('gives back every record of the curated seed as it was written (fromProps inverts toProps)', async () => {
    const files = await listDataSetFiles(path.join(PROJECT_ROOT, 'seed'));
    let checked = 0;
    for (const file of files) {
      const parsed = parseDataSetFile(file, readFileSync(file, 'utf8'));
      if ('issues' in parsed) throw new Error(`seed file ${file} does not parse`);
      for (const section of SECTIONS) {
        for (const record of (parsed.data[section] ?? []) as Array<
          Record<string, unknown> & { id: string }
        >) {
          const stored = { ...toProps(record), version: 3, recordedAt: '2026-01-01T00:00:00.000Z' };
          const back = parseDataSetFile(
            'back.json',
            JSON.stringify({ [section]: [fromProps(section, stored)] }),
          );
          if ('issues' in back) throw new Error(`${record.id}: ${JSON.stringify(back.issues)}`);
          expect(withoutNulls(back.data[section]![0] as Record<string, unknown>)).toEqual(
            withoutNulls(record),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it.each([
    ['own:a-b', 'ownerships'],
    ['org:bytedance', 'organizations'],
    ['desig:x', 'designations'],
    ['src:filing', 'sources'],
    ['nothing:here', undefined],
  ])('knows %s is a record of %s from its prefix', (id, section) => {
    expect(sectionOfId(id)).toBe(section);
  });
});

describe('Record time: the one knownAsOf filter', () => {
  it('matches what was recorded by the instant and not superseded by then', () => {
    expect(knownAt('r')).toMatchInlineSnapshot(
      `"(coalesce(r.recordedAt, '') <= $knownAsOf AND (r.supersededAt IS NULL OR r.supersededAt > $knownAsOf))"`,
    );
  });
});
