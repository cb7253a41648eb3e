import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { CSV_COLUMNS } from '../src/import/csvTemplates';

/**
 * CSV template files of a generated ownership chain for `bench:import` (`--format csv FOLDER`): `rows` + 1
 * organizations in organizations.csv and `rows` stakes in ownerships.csv, each organization owning a share of
 * the next (org:bench-csv-0 → 1 → …), written with backpressure so memory stays flat whatever `rows`.
 * Exported as a function to wire into bench/import.ts; `tsx bench/generateCsv.ts FOLDER [ROWS]` runs it alone.
 */
export async function generateOwnershipCsv(
  folder: string,
  rows: number,
): Promise<{ organizations: string; ownerships: string }> {
  const organizations = `${folder}/organizations.csv`;
  const ownerships = `${folder}/ownerships.csv`;
  await writeRows(organizations, 'organizations', rows + 1, (i) => [
    `org:bench-csv-${i}`,
    `Bench CSV Company ${i} Ltd`,
    'COMPANY',
    'GB',
    'GB',
  ]);
  await writeRows(ownerships, 'ownerships', rows, (i) => [
    `own:bench-csv-${i}`,
    `org:bench-csv-${i}`,
    `org:bench-csv-${i + 1}`,
    String(10 + (i % 81)),
    '2020-01-01',
  ]);
  return { organizations, ownerships };
}

const COLUMNS = {
  organizations: ['id', 'name', 'type', 'headquarters', 'incorporation'],
  ownerships: ['id', 'owner', 'owned', 'share', 'start_date'],
} as const;

async function writeRows(
  file: string,
  kind: keyof typeof COLUMNS,
  rows: number,
  row: (i: number) => string[],
): Promise<void> {
  // The columns are the template's own (csvTemplates.ts): a renamed column breaks the generator, not the bench.
  const known = CSV_COLUMNS[kind].map((c) => c.name);
  for (const column of COLUMNS[kind])
    if (!known.includes(column)) throw new Error(`${kind} has no column ${column}`);
  const out = createWriteStream(file);
  out.write(`${COLUMNS[kind].join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${row(i).join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

if (require.main === module) {
  const [folder, rows = '1000000'] = process.argv.slice(2);
  if (!folder) throw new Error('Usage: tsx bench/generateCsv.ts FOLDER [ROWS]');
  void generateOwnershipCsv(folder, Number(rows)).then((files) => console.log(files));
}
