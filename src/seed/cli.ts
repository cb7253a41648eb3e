import { ConfigError, loadConfig } from '../config';
import { connect } from '../db/connect';
import { applyMigrations } from '../db/migrations';
import { createLogger } from '../log';
import { DataSetError } from './dataSetError';
import { loadFolder } from './loadDataSet';

/**
 * `npm run seed [FOLDER]`: loads seed/ (or FOLDER, in the same format) into the configured Neo4j — the
 * embedded one when NEO4J_URI is unset. Prints what was created and updated; exits 1 on a rejected file.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const folder = process.argv[2] ?? config.SEED_FOLDER;
  const connection = await connect(config, log);
  try {
    await applyMigrations(connection.db);
    const report = await loadFolder(connection.db, folder);
    for (const f of report.files) {
      console.log(`${f.file}: ${f.created} created, ${f.updated} updated, ${f.unchanged} unchanged`);
    }
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
