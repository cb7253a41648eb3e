import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config';
import { connect } from '../db/connect';
import { readPassword, runningNeo4j } from '../db/dataFolder';
import { applyMigrations } from '../db/migrations';
import { createLogger } from '../log';
import { DataSetError } from './dataSetError';
import { loadFolder } from './loadDataSet';

const HELP = `Usage: npm run seed [-- FOLDER]

Loads a data-set folder (default: SEED_FOLDER, "seed") into Neo4j: NEO4J_URI when set; otherwise the embedded
Neo4j of this project, the one \`npm start\` is running if it is up (found through its data folder), else one
started for the load. Loading is idempotent: records already there are counted as unchanged.

Prints one line per file and a summary; exits 1 and names the file, record, field and reason when a file
is rejected (nothing of that file is written). \`npm run seed:check FOLDER\` validates without a database.

Options:
  -h, --help  show this help
`;

/**
 * The embedded Neo4j that `npm start` runs holds a lock on its data folder, so a second one cannot start
 * there; while one serves the folder (its launcher wrote `running.json`), the load goes through it, with the
 * folder's password.
 */
function runningEmbedded(config: Config): { uri: string; password: string | undefined } | null {
  if (config.NEO4J_URI) return null;
  const running = runningNeo4j(config.EMBEDDED_NEO4J_DATA);
  if (!running) return null;
  process.stderr.write(`Loading through the running embedded Neo4j at ${running.bolt} (npm start is up).\n`);
  return { uri: running.bolt, password: readPassword(config.EMBEDDED_NEO4J_DATA) ?? undefined };
}

/**
 * `npm run seed [FOLDER]`: loads seed/ (or FOLDER, in the same format) into the configured Neo4j — the
 * embedded one when NEO4J_URI is unset. Prints what was created and updated; exits 1 on a rejected file.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const folder = positionals[0] ?? config.SEED_FOLDER;
  const running = runningEmbedded(config);
  const connection = await connect(
    running ? { ...config, NEO4J_URI: running.uri, NEO4J_PASSWORD: running.password } : config,
    log,
  );
  try {
    await applyMigrations(connection.db);
    // Each file's line as soon as it is written: a long load shows where it is.
    const report = await loadFolder(connection.db, folder, (f) =>
      console.log(`${f.file}: ${f.created} created, ${f.updated} updated, ${f.unchanged} unchanged`),
    );
    console.log(
      report.created + report.updated === 0
        ? `No changes: all ${report.unchanged} records of ${folder} were already loaded.`
        : `Loaded ${folder}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged.`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof DataSetError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error((error as Error).message ?? error);
  }
  process.exit(1);
});
