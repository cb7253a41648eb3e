import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { openConfiguredDatabase } from '../seed/openDatabase';
import { exportSpecOf } from './exportOptions';
import { fileSink, folderSink } from './fileSink';
import { prepareExport, writeExport } from './runExport';

const HELP = `Usage: npm run export -- --format seed|bods|ftm OUT [--entity ID [--depth N] [--direction up|down|both]]
                      [--knownAsOf INSTANT] [--per-file N]

Writes the graph (or the subgraph around one organization or person) to OUT, reading it a page at a time:
  seed  the data-set format: OUT ending in .json is one file; any other OUT a folder of files of at most
        --per-file records (default 10000), loadable with \`npm run seed OUT\`
  bods  Beneficial Ownership Data Standard 0.4 statements: JSON lines (what \`npm run import -- --format bods\`
        reads), or one JSON array when OUT ends in .json
  ftm   FollowTheMoney entities, one JSON object a line
--entity, --depth (default 2, at most EXPORT_MAX_DEPTH) and --direction (default both) choose a subgraph; it
may hold at most EXPORT_MAX_PARTIES parties. --knownAsOf exports the graph as this database knew it then.
docs/export-formats.md says which field goes where.

Options:
  -h, --help  show this help
`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string' },
      entity: { type: 'string' },
      depth: { type: 'string' },
      direction: { type: 'string' },
      knownAsOf: { type: 'string' },
      'per-file': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const out = positionals[0];
  if (!out || positionals.length > 1) throw new UsageError('Give one output path (OUT).');
  const config = loadConfig();
  const { help: _help, 'per-file': perFile, ...options } = values;
  const parsed = exportSpecOf(options, {
    maxDepth: config.EXPORT_MAX_DEPTH,
    maxParties: config.EXPORT_MAX_PARTIES,
    defaultDepth: 2,
  });
  if (!parsed.ok) throw new UsageError(parsed.problems.map((p) => p.message).join('\n'));
  const recordsPerFile = perFile === undefined ? 10_000 : Number(perFile);
  if (!Number.isInteger(recordsPerFile) || recordsPerFile < 1)
    throw new UsageError(
      `"per-file" must be a whole number of records (1 or more), got ${JSON.stringify(perFile)}.`,
    );
  const single = out.endsWith('.json') || out.endsWith('.jsonl') || parsed.spec.format !== 'seed';
  const spec = {
    ...parsed.spec,
    bodsArray: out.endsWith('.json'),
    recordsPerFile: parsed.spec.format === 'seed' && !single ? recordsPerFile : null,
  };
  const connection = await openConfiguredDatabase();
  try {
    const prepared = await prepareExport(connection.db, spec);
    if (!prepared.ok) throw new UsageError(prepared.message);
    const sink = spec.recordsPerFile === null ? fileSink(out) : await folderSink(out);
    const counts = await writeExport(connection.db, spec, prepared, sink);
    const line = (c: Record<string, number | undefined>) =>
      Object.entries(c)
        .map(([section, n]) => `${n} ${section}`)
        .join(', ') || 'nothing';
    console.log(`Exported to ${out} (${spec.format}): ${line(counts.written)}.`);
    if (Object.keys(counts.leftOut).length > 0)
      console.log(`Left out (the format has no place for them): ${line(counts.leftOut)}.`);
  } finally {
    await connection.close();
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
  else console.error((error as Error).message ?? error);
  process.exit(1);
});
