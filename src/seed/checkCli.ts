import { parseArgs } from 'node:util';
import { formatIssue, type DataSetIssue } from './dataSetError';
import { openConfiguredDatabase } from './openDatabase';
import { databaseIssues, validateFolder } from './validateFolder';

const HELP =
  'Usage: npm run seed:check [-- [--database] FOLDER]\n\n' +
  'Validates a data-set folder (default: seed): every file against the format, ids and unique identifiers\n' +
  'across the folder, every reference to an id, derivation cycles. A reference to an id no file of the folder\n' +
  'defines is a problem unless --database is given and the configured Neo4j (as for `npm run seed`) holds it.\n' +
  'Prints each problem with its file, record, field and reason, then a summary; exits 1 when there is one.\n\n' +
  'Options:\n' +
  '  --database  check references and identifiers outside the folder against the configured Neo4j\n' +
  '  -h, --help  show this help\n';

/** `npm run seed:check [--database] [FOLDER]`: validates a data-set folder, with or without a database. */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' }, database: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const folder = positionals[0] ?? 'seed';
  const validation = await validateFolder(folder);
  const { files, issues, external } = validation;
  const problems: DataSetIssue[] = [...issues];
  if (values.database) {
    const connection = await openConfiguredDatabase();
    try {
      problems.push(...(await databaseIssues(connection.db, validation)));
    } finally {
      await connection.close();
    }
  } else {
    // Without a database, an id the folder does not define cannot be shown to exist: loading this folder
    // on an empty database would fail, so it is a problem, not a pass.
    for (const [target, uses] of external) {
      for (const use of uses) {
        problems.push({
          ...use,
          message: `refers to "${target}", which no file in ${folder} defines (give --database to check it against Neo4j)`,
        });
      }
    }
  }
  for (const issue of problems) console.error(formatIssue(issue));
  const records = files.reduce(
    (n, f) =>
      n +
      Object.values(f.data)
        .filter(Array.isArray)
        .reduce((m, a) => m + a.length, 0),
    0,
  );
  console.log(
    `${files.length} file(s), ${records} record(s), ${problems.length} problem(s), ${external.size} reference(s) outside the folder`,
  );
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error((error as Error).message ?? error);
  process.exit(1);
});
