import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { gleifCsvReader } from '../src/import/gleifCsv';
import type { FormatReader } from '../src/import/incoming';
import { runImport, type ImportOptions } from '../src/import/runImport';
import { summaryOf } from '../src/import/reportText';
import { FIXTURES } from './support/database';
import { graphSnapshot, policiesOnly, useImportHarness } from './support/imports';
import { PRINCIPALS } from './support/writeHarness';

/**
 * Issue 13, item 6: a file that cannot be read to its end (a BODS array cut mid-statement or broken by a
 * syntax error, a GLEIF CSV row of the wrong length) is read through before the first write, and writes
 * nothing: not the batches before the break. The report names the file, the line (and the statement's index)
 * and says nothing was written. A JSON-lines file's bad line stays one rejected line.
 */

const SOURCE = {
  dataset: 'read-whole',
  version: '2026-12-01',
  url: 'https://example.org/register/read-whole.json',
  publisher: 'Example Register',
};
const harness = useImportHarness();
const db = harness.db;
beforeEach(() => policiesOnly(db));

/** Every node and relationship, and the change sets (a write of only a Source would add one). */
async function everything() {
  const [changeSets] = await db.readRows<{ n: number }>('MATCH (c:ChangeSet) RETURN count(c) AS n');
  return { graph: await graphSnapshot(db), changeSets };
}

const run = (file: string, reader: FormatReader, format: string, more: Partial<ImportOptions> = {}) =>
  // Batches of two: without the read-through, the batches before the break would be committed.
  runImport(db, { file, format, reader, source: SOURCE, batchSize: 2, ...more });

const entity = (n: number) => ({
  statementId: `st-entity-${n}`,
  statementDate: '2026-11-20',
  recordId: `rw-${n}`,
  recordType: 'entity',
  recordStatus: 'new',
  recordDetails: { isComponent: false, entityType: { type: 'registeredEntity' }, name: `Readwhole ${n} Ltd` },
});
const stake = (owner: number, owned: number) => ({
  statementId: `st-rel-${owner}-${owned}`,
  statementDate: '2026-11-20',
  recordId: `rw-${owner}-${owned}`,
  recordType: 'relationship',
  recordStatus: 'new',
  recordDetails: {
    isComponent: false,
    subject: `rw-${owned}`,
    interestedParty: `rw-${owner}`,
    interests: [{ type: 'shareholding', directOrIndirect: 'direct', share: { exact: 60 } }],
  },
});
/** Twelve entities, then ownership statements between them: a pretty-printed package of 17 statements. */
const STATEMENTS = [
  ...Array.from({ length: 12 }, (_, n) => entity(n)),
  ...[1, 3, 5, 7, 9].map((n) => stake(n, n + 1)),
];
const PACKAGE = JSON.stringify(STATEMENTS, null, 2);
/** The 1-based line where statement `index` of the pretty-printed package starts. */
const lineOf = (text: string, index: number) =>
  text.split('\n').findIndex((l, i) => i > 0 && l === '  {' && index-- === 0) + 1;

describe('a file that cannot be read to its end writes nothing', () => {
  it('refuses a pretty-printed BODS array cut mid-statement, naming its line and index', async () => {
    // Cut inside statement 14 (a relationship), as an interrupted download leaves it.
    const cut = PACKAGE.slice(0, PACKAGE.indexOf('"rw-5-6"') + 4);
    const file = await harness.file('cut.bods.json', cut);
    const before = await everything();
    const report = await run(file, bodsReader(), 'bods');
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 0, rejected: 1, lines: 0 });
    expect(report.problems).toEqual([
      {
        file: 'cut.bods.json',
        line: lineOf(PACKAGE, 14),
        field: '[14]',
        message: expect.stringMatching(
          /^cannot be read to its end, so nothing of the file was written: item 14 \(from line \d+\)/,
        ),
      },
    ]);
    expect(summaryOf(report)).toBe(
      `Nothing was written: cut.bods.json cannot be read to its end (line ${lineOf(PACKAGE, 14)}, ` +
        'statement [14]), found before the first write (fix them and run the import again).',
    );
    expect(await everything()).toEqual(before);
  });

  it('refuses a BODS array with a syntax error late in the file, and writes its statements once mended', async () => {
    // Statement 15's recordId loses its closing quote: valid JSON up to there, broken from it on.
    const broken = PACKAGE.replace('"recordId": "rw-7-8",', '"recordId": "rw-7-8,');
    const file = await harness.file('syntax.bods.json', broken);
    const before = await everything();
    const report = await run(file, bodsReader(), 'bods');
    expect(report.problems).toEqual([
      expect.objectContaining({ file: 'syntax.bods.json', line: lineOf(PACKAGE, 15), field: '[15]' }),
    ]);
    expect(report.refused).toMatch(/^nothing was written: syntax\.bods\.json cannot be read to its end/);
    expect(await everything()).toEqual(before);

    const mended = await run(await harness.file('mended.bods.json', PACKAGE), bodsReader(), 'bods');
    expect(mended).toMatchObject({ lines: 17, rejected: 0 });
    expect(mended.refused).toBeUndefined();
    const stakes = await db.readRows<{ id: string }>(
      "MATCH ()-[r:OWNS]->() WHERE r.id STARTS WITH 'own:bods-rw-' RETURN r.id AS id ORDER BY id",
    );
    expect(stakes.map((s) => s.id)).toEqual([1, 3, 5, 7, 9].map((n) => `own:bods-rw-${n}-${n + 1}`));
  });

  it('refuses a GLEIF golden-copy CSV with a row of the wrong length after good rows', async () => {
    const good = await fs.readFile(
      path.join(FIXTURES, 'gleif-csv', 'dragon-group-lei2-golden-copy.csv'),
      'utf8',
    );
    const lines = good.trimEnd().split('\n');
    // A fifth row with three fields, the header seven or more: the file cannot be read past it.
    const file = await harness.file(
      'broken-lei2-golden-copy.csv',
      [...lines, '254900GLEIFBROKEN,Cut Ltd,DE'].join('\n'),
    );
    const before = await everything();
    const report = await runImport(db, {
      file,
      format: 'gleif-csv',
      reader: gleifCsvReader(),
      source: SOURCE,
      batchSize: 1,
    });
    expect(report).toMatchObject({ created: 0, rejected: 1, lines: 0 });
    expect(report.problems).toEqual([
      {
        file: 'broken-lei2-golden-copy.csv',
        line: lines.length + 1,
        message: expect.stringMatching(
          /^cannot be read to its end, so nothing of the file was written: .*columns/i,
        ),
      },
    ]);
    expect(report.refused).toBe(
      `nothing was written: broken-lei2-golden-copy.csv cannot be read to its end (line ${lines.length + 1}), ` +
        'found before the first write',
    );
    expect(await everything()).toEqual(before);
  });

  it('keeps a JSON-lines file with a bad line a rejected line: the rest is written', async () => {
    const text = [entity(20), entity(21)].map((s) => JSON.stringify(s));
    const file = await harness.file(
      'lines.bods.jsonl',
      [text[0], '{"statementId": "st-cut', text[1]].join('\n'),
    );
    const report = await run(file, bodsReader(), 'bods');
    expect(report).toMatchObject({ lines: 3, created: 2, rejected: 1 });
    expect(report.refused).toBeUndefined();
    expect(report.problems).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringMatching(/^is not valid JSON/) }),
    ]);
  });

  it('reports it the same way through the importData mutation, and writes nothing', async () => {
    const cut = PACKAGE.slice(0, PACKAGE.indexOf('"Readwhole 3 Ltd"'));
    const before = await everything();
    const { data, errors } = await harness.execute(
      `mutation ($content: String!) {
        importData(format: BODS, content: $content,
          source: { dataset: "pasted-bods", version: "2026-12-01", url: "https://example.org/p", publisher: "Me" }) {
          lines created rejected problems { line field message } summary } }`,
      { content: cut },
      PRINCIPALS.editor,
    );
    expect(errors).toBeUndefined();
    expect(data.importData).toEqual({
      lines: 0,
      created: 0,
      rejected: 1,
      problems: [
        {
          line: lineOf(PACKAGE, 3),
          field: '[3]',
          message: expect.stringMatching(/^cannot be read to its end, so nothing of the file was written/),
        },
      ],
      summary: expect.stringMatching(
        /^Nothing was written: pasted-bods\.bods cannot be read to its end \(line \d+, statement \[3\]\)/,
      ),
    });
    expect(await everything()).toEqual(before);
  });
});

describe('the read-through is done once, before the first write, and only where a file can break off', () => {
  /** The BODS reader, counting how often the file's rows are read from the start. */
  function countingReader() {
    const reader = bodsReader();
    const counted = { reads: 0 };
    return {
      counted,
      reader: {
        ...reader,
        rowsOf: (file: string) => {
          counted.reads++;
          return reader.rowsOf!(file);
        },
      } satisfies FormatReader,
    };
  }

  it('reads an array three times (through, parties, relationships), JSON lines twice', async () => {
    const array = countingReader();
    await run(
      await harness.file('count.bods.json', JSON.stringify([entity(30), entity(31)], null, 2)),
      array.reader,
      'bods',
    );
    expect(array.counted.reads).toBe(3);
    const lines = countingReader();
    const jsonl = [entity(32), entity(33)].map((s) => JSON.stringify(s)).join('\n');
    await run(await harness.file('count.bods.jsonl', jsonl), lines.reader, 'bods');
    expect(lines.counted.reads).toBe(2);
  });

  it('does not read the file through again on a resume from a checkpoint, and ends as one import ends', async () => {
    const file = await harness.file('resume.bods.json', PACKAGE);
    const checkpointPath = path.join(harness.folder, 'resume.checkpoint.json');
    let batches = 0;
    const crashed = countingReader();
    await expect(
      run(file, crashed.reader, 'bods', {
        checkpointPath,
        onProgress: () => {
          if (++batches === 3) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(crashed.counted.reads).toBe(2);
    const resumed = countingReader();
    const report = await run(file, resumed.reader, 'bods', { checkpointPath });
    expect(report.resumedFrom).toEqual({ pass: 1, line: expect.any(Number) as number });
    // Pass 1 from the checkpoint, then pass 2: no read-through before them.
    expect(resumed.counted.reads).toBe(2);
    expect(report).toMatchObject({ lines: 17, rejected: 0 });
    const names = await db.readRows<{ n: number }>(
      `MATCH (o:Organization) WHERE o.name STARTS WITH 'Readwhole ' AND o.id STARTS WITH 'org:bods-rw-'
       RETURN count(o) AS n`,
    );
    expect(names).toEqual([{ n: 12 }]);
  });
});
