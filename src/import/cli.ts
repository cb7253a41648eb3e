import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { importCsv } from './csvImport';
import { ImportSource } from './importSource';
import { FORMATS, readerFor, type FormatName } from './formats';
import { reportText } from './reportText';
import { runImport, type Progress } from './runImport';
import { openConfiguredDatabase } from '../seed/openDatabase';

const HELP = `Usage: npm run import -- --format ${FORMATS.join('|')} PATH [--dry-run] [--source ...]

PATH is a file; for csv also a folder of template files (organizations.csv, persons.csv, ownerships.csv,
controls.csv, designations.csv; docs/csv-templates.md), checked whole before anything is written. A BODS
array or a CSV file is read through before the first write: one that cannot be read to its end writes nothing.

Imports a data set into the configured Neo4j (as for \`npm run seed\`). The file is streamed twice (parties,
then the relationships between them), in batches of one transaction each; a checkpoint (PATH.checkpoint.json)
lets an interrupted import resume. Incoming parties are matched to records we hold by identifier, then by name
and country; an ambiguous match is never merged but put in the review list (GraphQL: importReview).

Options:
  --format F          ${FORMATS.join(', ')}
  --dry-run           resolve and check everything, write nothing, print the report
  --dataset NAME      the data set's short name (default: the file name)
  --version V         its version or date (default: the file's modification date)
  --url URL           where it is published (required unless --source gives it)
  --publisher NAME    who publishes it (default: the URL's host)
  --title TEXT        its title
  --source FILE       a JSON file with {dataset, version, url, publisher, title?, date?} instead of the above
  --policy-map D=P,P  FtM: sanctions of data set D designate under policies P (repeatable)
  --batch-size N      lines per transaction (default 1000)
  -h, --help          show this help
`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      dataset: { type: 'string' },
      version: { type: 'string' },
      url: { type: 'string' },
      publisher: { type: 'string' },
      title: { type: 'string' },
      source: { type: 'string' },
      'policy-map': { type: 'string', multiple: true },
      'batch-size': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const file = positionals[0];
  if (!file) throw new Error(`Give the file to import.\n\n${HELP}`);
  const format = values.format as FormatName | undefined;
  if (!format || !(FORMATS as readonly string[]).includes(format)) {
    throw new Error(
      `--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(values.format ?? null)}.`,
    );
  }
  const stat = await fs.stat(file);
  const size = stat.isDirectory() ? await folderSize(file) : stat.size;
  const raw = values.source
    ? (JSON.parse(await fs.readFile(values.source, 'utf8')) as Record<string, unknown>)
    : {
        dataset:
          values.dataset ??
          path
            .basename(file)
            .replace(/\.[^.]*$/, '')
            .replace(/[^A-Za-z0-9._-]+/g, '-'),
        version: values.version ?? stat.mtime.toISOString().slice(0, 10),
        url: values.url,
        publisher: values.publisher ?? (values.url ? new URL(values.url).host : undefined),
        ...(values.title ? { title: values.title } : {}),
      };
  const source = ImportSource.safeParse(raw);
  if (!source.success) {
    const issue = source.error.issues[0]!;
    throw new Error(
      `The source's ${issue.path.join('.') || 'value'} ${issue.message} (give --url, or --source FILE).`,
    );
  }
  const policyMap: Record<string, string[]> = {};
  for (const entry of values['policy-map'] ?? []) {
    const [dataset, policies] = entry.split('=');
    if (!dataset || !policies)
      throw new Error(`--policy-map must be DATASET=policy:a,policy:b, got ${JSON.stringify(entry)}.`);
    policyMap[dataset] = policies.split(',');
  }
  const batchSize = values['batch-size'] ? Number(values['batch-size']) : 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`--batch-size must be a positive whole number.`);

  const connection = await openConfiguredDatabase();
  const onProgress = progressReporter(size);
  try {
    const common = {
      source: source.data,
      dryRun: values['dry-run'] ?? false,
      batchSize,
      checkpointPath: `${file}.checkpoint.json`,
      onProgress: onProgress.update,
    };
    const report =
      format === 'csv'
        ? await importCsv(connection.db, { path: file, ...common })
        : await runImport(connection.db, {
            file,
            format,
            reader: readerFor(format, { policyMap }),
            ...common,
          });
    onProgress.stop();
    console.log(reportText(report));
    if (report.rejected > 0) process.exitCode = 2;
  } catch (error) {
    onProgress.stop();
    console.error(`Import stopped: ${(error as Error).message}`);
    console.error(
      `Batches committed so far stay written; run the same command again to resume from the checkpoint.`,
    );
    process.exitCode = 1;
  } finally {
    await connection.close();
  }
}

/** The bytes of a folder's files (a CSV folder's progress is over all of them). */
async function folderSize(folder: string): Promise<number> {
  const names = await fs.readdir(folder);
  const stats = await Promise.all(names.map((n) => fs.stat(path.join(folder, n))));
  return stats.reduce((sum, s) => sum + (s.isFile() ? s.size : 0), 0);
}

/**
 * On a terminal a progress bar with rate and ETA (cli-progress); otherwise (a log file, CI) one plain line
 * every ten seconds. Progress is in bytes over both passes, so the ETA holds for the whole import.
 */
function progressReporter(size: number): { update: (p: Progress) => void; stop: () => void } {
  const total = Math.max(1, size * 2);
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'pass {pass} |{bar}| {percentage}% | line {line} | {rate} lines/s | ETA {eta_formatted}',
        stream: process.stderr,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total, 0, { pass: 1, line: 0, rate: 0 });
    return {
      update: (p) => {
        const done = (p.pass - 1) * size + p.bytes;
        const lines = (p.pass - 1) * p.report.lines + p.line;
        bar.update(done, {
          pass: p.pass,
          line: p.line,
          rate: Math.round(lines / ((Date.now() - started) / 1000 || 1)),
        });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      const percent = (((p.pass - 1) * size + p.bytes) / total) * 100;
      console.error(
        `pass ${p.pass}, line ${p.line}: ${percent.toFixed(1)}% (${p.report.created} created, ${p.report.rejected} rejected)`,
      );
    },
    stop: () => undefined,
  };
}

main().catch((error: unknown) => {
  console.error((error as Error).message ?? error);
  process.exit(1);
});
