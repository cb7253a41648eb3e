import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSetFile, Section } from '../../src/model/dataset';
import { SEED_FOLDER } from './database';

/**
 * What the curated seed holds, read from its files: tests derive expected counts and id lists from here
 * instead of writing "46 organizations", so curating the seed (adding a company, a model) breaks no test.
 */
type RecordOf<S extends Section> = NonNullable<DataSetFile[S]>[number];

const files = readdirSync(SEED_FOLDER)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(path.join(SEED_FOLDER, name), 'utf8')) as DataSetFile);

/** How many data-set files the seed folder holds. */
export function seedFileCount(): number {
  return files.length;
}

/** How many records the seed's files hold, every section counted. */
export function seedRecordCount(): number {
  return files.reduce(
    (sum, file) =>
      sum +
      Object.entries(file).reduce(
        (n, [key, list]) => n + (key === '$comment' ? 0 : (list as unknown[]).length),
        0,
      ),
    0,
  );
}

/** Every record of a section across the seed's files. */
export function seedRecords<S extends Section>(section: S): Array<RecordOf<S>> {
  return files.flatMap((file) => (file[section] ?? []) as Array<RecordOf<S>>);
}

/** The ids of a section's records that satisfy `keep`, in id order (the order lists return). */
export function seedIds<S extends Section>(
  section: S,
  keep: (record: RecordOf<S>) => boolean = () => true,
): string[] {
  return seedRecords(section)
    .filter(keep)
    .map((record) => record.id)
    .sort();
}

/** Whether a dated record is in force on `day` (YYYY-MM-DD), as the API's `asOf` arguments read it. */
export function inForce(
  record: { startDate?: string | null; endDate?: string | null },
  day: string,
): boolean {
  return (!record.startDate || record.startDate <= day) && (!record.endDate || day <= record.endDate);
}
