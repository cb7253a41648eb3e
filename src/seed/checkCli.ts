import { parseArgs } from 'node:util';
import { formatIssue } from './dataSetError';
import { validateFolder } from './validateFolder';

/** `npm run seed:check [FOLDER]`: validates a data-set folder without a database. */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run seed:check [-- FOLDER]\n\n' +
        'Validates a data-set folder (default: seed) without a database: every file against the format, every\n' +
        'reference to an id, derivation cycles. Prints each problem with its file, record, field and reason,\n' +
        'then a summary; exits 1 when there is a problem.\n\n' +
        'Options:\n  -h, --help  show this help\n',
    );
    return;
  }
  const folder = positionals[0] ?? 'seed';
  const { files, issues, external } = await validateFolder(folder);
  for (const issue of issues) console.error(formatIssue(issue));
  for (const [target, uses] of external) {
    const first = uses[0]!;
    console.error(
      `${first.file}, ${first.section}[${first.index}], id "${first.recordId}", field "${first.field}": refers to "${target}", which no file in ${folder} defines (it must already be in the database)`,
    );
  }
  const records = files.reduce(
    (n, f) =>
      n +
      Object.values(f.data)
        .filter(Array.isArray)
        .reduce((m, a) => m + a.length, 0),
    0,
  );
  console.log(
    `${files.length} file(s), ${records} record(s), ${issues.length} problem(s), ${external.size} reference(s) outside the folder`,
  );
  if (issues.length > 0) process.exitCode = 1;
}

void main();
