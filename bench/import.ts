/**
 * Not public API: `npm run bench:import [-- --lines 1000000 --data-dir .data/bench-import]`, the import
 * benchmark of issue 13. It generates a FollowTheMoney JSON-lines file of `lines` lines (streamed to disk;
 * reused when it exists), loads the curated seed (the sanctions lists' policies the Sanction rows map to),
 * and imports the file with the importer's own code path (`runImport` with the FtM reader, batches of
 * `batch` lines, a checkpoint beside the file, as `npm run import` runs it). It reports rows per second
 * overall and for the ownership rows (pass 2), the time per phase and per kind of statement, node's peak RSS
 * (VmHWM) and the JVM's, with the load average. Writes bench/results/import-<lines>.json. Reported, never
 * asserted. `--format bods` imports a generated pretty-printed BODS package instead (bench/generateBods.ts),
 * read through before the first write; `--no-read-through` skips that read, to measure what it costs.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { createDriver, Database } from '../src/db/database';
import { startEmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { applyMigrations } from '../src/db/migrations';
import { importCsv } from '../src/import/csvImport';
import { readerFor } from '../src/import/formats';
import { runImport, type Progress } from '../src/import/runImport';
import { createLogger } from '../src/log';
import { loadFolder } from '../src/seed/loadDataSet';
import { parseArgs } from './benchDatabase';
import { bodsRelationships, generateBodsFile } from './generateBods';
import { generateOwnershipCsv } from './generateCsv';
import { drawKind, prng } from './generateOwnershipGraph';
import { round, say } from './stats';

const DEFAULTS = {
  lines: 1_000_000,
  seed: 42,
  /** Neo4j's folder; reused by later runs unless --fresh (an import into a graph that holds it is a rerun). */
  dataDir: '',
  fresh: false,
  heap: '1g',
  pageCache: '1g',
  batch: 1000,
  /** ftm: the generated FollowTheMoney file; csv: the CSV templates of bench/generateCsv.ts (`lines` stakes). */
  format: 'ftm',
  /** bods: without the read-through before the first write (readWhole.ts), to measure what it costs. */
  noReadThrough: false,
};

/** The mix of a generated file, by line: mostly ownerships, the parties they join, a few sanctions. */
const MIX = { company: 0.24, person: 0.06, sanction: 0.01 };
const COUNTRIES = ['gb', 'us', 'de', 'fr', 'cy', 'ru', 'cn', 'ae', 'nl', 'ch', 'vg', 'ky'];

/**
 * Writes `lines` FtM entities: parties first-come (an ownership may come before the parties it joins, as
 * in OpenSanctions exports, which the importer's two passes allow), every ownership between two parties of
 * the file, every sanction on a company. Streamed with backpressure: memory stays flat whatever `lines`.
 */
export async function generateFtmFile(file: string, lines: number, seed: number): Promise<void> {
  const random = prng(seed);
  const companies = Math.max(2, Math.floor(lines * MIX.company));
  const persons = Math.max(1, Math.floor(lines * MIX.person));
  const sanctions = Math.floor(lines * MIX.sanction);
  const ownerships = Math.max(0, lines - companies - persons - sanctions);
  const pick = (n: number) => Math.floor(random() * n);
  const out = createWriteStream(`${file}.tmp`, { highWaterMark: 1 << 20 });
  const write = async (entity: unknown) => {
    if (!out.write(`${JSON.stringify(entity)}\n`)) await once(out, 'drain');
  };
  // Interleaved so that each kind is spread over the file: at line i, which kind comes is drawn by weight.
  const left = { company: companies, person: persons, ownership: ownerships, sanction: sanctions };
  const counters = { company: 0, person: 0, ownership: 0, sanction: 0 };
  for (let i = 0; i < lines; i++) {
    const kind = drawKind(left, ['company', 'person', 'sanction', 'ownership'] as const, random);
    const n = counters[kind]++;
    const country = COUNTRIES[pick(COUNTRIES.length)]!;
    if (kind === 'company') {
      await write({
        id: `bench-co-${n}`,
        schema: 'Company',
        properties: {
          name: [`Bench Holding ${n} Ltd`],
          jurisdiction: [country],
          country: [country],
          incorporationDate: [`${2000 + (n % 24)}-0${1 + (n % 9)}-1${n % 10}`],
        },
        datasets: ['bench_registry'],
      });
    } else if (kind === 'person') {
      await write({
        id: `bench-pe-${n}`,
        schema: 'Person',
        properties: { name: [`Bench Person ${n}`], nationality: [country], country: [country] },
        datasets: ['bench_registry'],
      });
    } else if (kind === 'sanction') {
      await write({
        id: `bench-sa-${n}`,
        schema: 'Sanction',
        properties: {
          entity: [`bench-co-${pick(companies)}`],
          authority: ['Office of Foreign Assets Control'],
          program: ['Bench program'],
          startDate: ['2022-02-24'],
        },
        datasets: ['us_ofac_sdn'],
      });
    } else {
      // An owner is a company (80%) or a person; the asset a company other than the owner.
      const owner = random() < 0.8 ? `bench-co-${pick(companies)}` : `bench-pe-${pick(persons)}`;
      let asset = `bench-co-${pick(companies)}`;
      if (asset === owner) asset = `bench-co-${(Number(owner.slice('bench-co-'.length)) + 1) % companies}`;
      await write({
        id: `bench-ow-${n}`,
        schema: 'Ownership',
        properties: {
          owner: [owner],
          asset: [asset],
          percentage: [String(1 + pick(99))],
          startDate: [`20${10 + pick(15)}-01-01`],
        },
        datasets: ['bench_registry'],
      });
    }
  }
  out.end();
  await once(out, 'finish');
  // Renamed whole, so an interrupted generation is never taken for a finished file.
  renameSync(`${file}.tmp`, file);
}

/** Peak resident set size (VmHWM) of a process, in MB; null when /proc does not say. */
function peakRssMb(pid: number | 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? round(Number(kb) / 1024, 0) : null;
  } catch {
    return null;
  }
}

/** Statements grouped by what they do, for the time-per-kind table. */
function statementKind(cypher: string): string {
  const c = cypher.replace(/\s+/g, ' ');
  if (c.includes("'record_names'")) return 'resolve: names (full-text)';
  if (c.includes("'record_identifiers'") && c.includes('UNWIND [k IN n.identifiers'))
    return 'resolve: identifiers, batched (full-text)';
  if (c.includes("'record_identifiers'")) return 'identifiers, per key (full-text)';
  if (c.includes('UNWIND $records AS record')) return 'resolve: own records and keys (index seeks)';
  if (/^MATCH \(n:Record\) WHERE n.id IN \$ids RETURN n \{/.test(c.trim())) return 'resolve: own records';
  if (c.includes(':RecordVersion')) return 'write: archive old versions';
  if (c.includes(':ChangeSet')) return 'write: change set';
  if (c.includes('GraphVersion')) return 'write: graph version';
  if (c.includes('_writeLock')) return 'write: lock and read current';
  if (/MERGE \(n:Record/.test(c) || /SET r = row.props/.test(c)) return 'write: records';
  if (/CREATE \(n\)-\[/.test(c)) return 'write: node links';
  if (c.includes('ImportReview')) return 'write: review list';
  if (/^MATCH \(n:Record\) WHERE n.id IN \$ids RETURN n.id AS id$/.test(c.trim())) return 'read: ids exist';
  if (/^MATCH \(n:Record\) WHERE n.id IN \$ids RETURN n.id AS id, properties/.test(c.trim()))
    return 'write: read current (nodes)';
  if (/^MATCH \(a\)-\[r:\w+\]->\(b\) WHERE r.id IN \$ids RETURN/.test(c.trim()))
    return 'write: read current (links)';
  return `other: ${c.trim().slice(0, 60)}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const prefix = args.format === 'ftm' ? '' : `${args.format}-`;
  const dataDir = args.dataDir || `.data/bench-import-${prefix}${args.lines}`;
  const folder = path.resolve(PROJECT_ROOT, dataDir);
  if (args.fresh) rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const load = () => os.loadavg().map((x) => round(x, 2));

  const csv = args.format === 'csv';
  const bods = args.format === 'bods';
  if (!csv && !bods && args.format !== 'ftm')
    throw new Error(`--format is ftm, csv or bods, not ${args.format}`);
  const file = csv
    ? path.join(PROJECT_ROOT, '.data', `csv-${args.lines}`)
    : bods
      ? path.join(PROJECT_ROOT, '.data', `bods-${args.lines}-${args.seed}.json`)
      : path.join(PROJECT_ROOT, '.data', `ftm-${args.lines}-${args.seed}.jsonl`);
  let generateSeconds = 0;
  if (!existsSync(file)) {
    const t = performance.now();
    if (csv) {
      mkdirSync(`${file}.tmp`, { recursive: true });
      await generateOwnershipCsv(`${file}.tmp`, args.lines);
      renameSync(`${file}.tmp`, file);
    } else if (bods) await generateBodsFile(file, args.lines, args.seed);
    else await generateFtmFile(file, args.lines, args.seed);
    generateSeconds = round((performance.now() - t) / 1000, 1);
    say(`generated ${path.relative(PROJECT_ROOT, file)} in ${generateSeconds} s`);
  }

  const log = createLogger('warn');
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir,
    port: 0,
    heap: args.heap,
    pageCache: args.pageCache,
    txMemory: '1g',
    log,
    startTimeoutMs: 600_000,
  });
  const statements = new Map<string, { count: number; ms: number }>();
  const base = new Database(
    createDriver(neo4j.uri, neo4j.user, neo4j.password, { connectionAcquisitionTimeout: 120_000 }),
    'neo4j',
    log,
  );
  const db = base.observed({
    onQuery(cypher, _params, ms) {
      const kind = statementKind(cypher);
      const entry = statements.get(kind) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += ms;
      statements.set(kind, entry);
    },
  });
  try {
    await applyMigrations(base);
    const seedStarted = performance.now();
    await loadFolder(base, path.join(PROJECT_ROOT, 'seed'));
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);

    const loadBefore = load();
    const started = performance.now();
    const passStarted: Record<number, number> = { 1: started };
    const passEnded: Record<number, number> = {};
    let lastSay = started;
    const onProgress = (p: Progress) => {
      const now = performance.now();
      if (!passStarted[p.pass]) {
        passStarted[p.pass] = now;
        passEnded[p.pass - 1] = now;
      }
      if (now - lastSay > 30_000) {
        lastSay = now;
        const rss = peakRssMb('self');
        say(
          `  pass ${p.pass}, line ${p.line}: ${round((now - started) / 1000, 0)} s, node peak ${rss} MB, ` +
            `JVM peak ${peakRssMb(neo4j.pid)} MB, load ${load().join(' ')}`,
        );
      }
    };
    const source = {
      dataset: 'bench_registry',
      version: `bench-${args.format}-${args.lines}-${args.seed}`,
      url: 'https://example.org/bench-registry',
      publisher: 'Bench',
    };
    const report = csv
      ? await importCsv(db, { path: file, source, batchSize: args.batch, onProgress })
      : await runImport(db, {
          file,
          format: args.format,
          reader: readerFor(bods ? 'bods' : 'ftm'),
          source,
          batchSize: args.batch,
          checkpointPath: `${file}.checkpoint.json`,
          onProgress,
          readWhole: args.noReadThrough,
        });
    const ended = performance.now();
    passEnded[2] = ended;
    const seconds = (ended - started) / 1000;
    const pass = (n: 1 | 2) => round(((passEnded[n] ?? ended) - (passStarted[n] ?? ended)) / 1000, 1);
    // CSV: `lines` stakes between `lines` + 1 organizations, two files; pass 2 is then the time after the
    // organizations, the ownerships file's own reading pass included.
    const ownershipLines = csv
      ? args.lines
      : bods
        ? bodsRelationships(args.lines)
        : Math.max(
            0,
            args.lines -
              Math.floor(args.lines * MIX.company) -
              Math.floor(args.lines * MIX.person) -
              Math.floor(args.lines * MIX.sanction),
          );
    const rows = csv ? 2 * args.lines + 1 : args.lines;
    const out = {
      format: args.format,
      lines: args.lines,
      rows,
      batch: args.batch,
      ...(bods ? { readThrough: !args.noReadThrough } : {}),
      cpus: os.cpus().length,
      at: new Date().toISOString(),
      neo4j: { version: neo4j.version, heap: args.heap, pageCache: args.pageCache },
      generateSeconds,
      seedSeconds,
      seconds: round(seconds, 1),
      rowsPerSecond: round(rows / seconds, 0),
      passSeconds: { parties: pass(1), relationships: pass(2) },
      ownershipRows: ownershipLines,
      ownershipRowsPerSecondInPass2: round(ownershipLines / pass(2), 0),
      ownershipRowsPerSecondOverall: round(ownershipLines / seconds, 0),
      report: { ...report, problems: report.problems.slice(0, 5), reviews: report.reviews.slice(0, 5) },
      statements: Object.fromEntries(
        [...statements]
          .sort((a, b) => b[1].ms - a[1].ms)
          .map(([k, v]) => [k, { count: v.count, seconds: round(v.ms / 1000, 1) }]),
      ),
      peakRssMb: { node: peakRssMb('self'), jvm: peakRssMb(neo4j.pid) },
      loadAverage: [loadBefore, load()],
    };
    say(
      `imported ${rows} ${args.format} rows in ${out.seconds} s: ${out.rowsPerSecond} rows/s; ownership rows ` +
        `${out.ownershipRowsPerSecondInPass2}/s in pass 2 (${out.ownershipRowsPerSecondOverall}/s overall)`,
    );
    say(
      `passes: parties ${out.passSeconds.parties} s, relationships ${out.passSeconds.relationships} s; ` +
        `created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, ` +
        `matched ${report.matched}, ambiguous ${report.ambiguous}, rejected ${report.rejected}, skipped ${report.skipped}`,
    );
    for (const [k, v] of Object.entries(out.statements))
      say(`  ${String(v.seconds).padStart(8)} s ×${v.count} ${k}`);
    say(
      `peak RSS: node ${out.peakRssMb.node} MB, JVM ${out.peakRssMb.jvm} MB; load ${JSON.stringify(out.loadAverage)}`,
    );
    const result = path.join(__dirname, 'results', `import-${prefix}${args.lines}.json`);
    mkdirSync(path.dirname(result), { recursive: true });
    writeFileSync(result, `${JSON.stringify(out, null, 2)}\n`);
    say(`written ${path.relative(process.cwd(), result)}`);
  } finally {
    await base.close();
    await neo4j.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
