import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bodsReader } from '../bods';
import { csvReader } from '../csvReader';
import { ftmReader } from '../ftm';
import { gleifReader } from '../gleif';
import { gleifCsvReader } from '../gleifCsv';
import { mayStopEarly, readToEnd, refusedUnreadable } from '../readWhole';
import { emptyReport } from '../runImport';

/**
 * The read-through before the first write: which files can break off before their end, where a broken one
 * breaks, and the report that says nothing was written.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'read-whole-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

describe('mayStopEarly: only files whose rows can break off are read through', () => {
  const array = file('array.json', '\n  [ {"a": 1} ]\n');
  const lines = file('lines.jsonl', '{"a": 1}\n{"a": 2}\n');
  const csv = file('rows.csv', 'id,name\norg:a,A\n');
  it.each([
    { name: 'a BODS array', reader: bodsReader(), at: array, expected: true },
    { name: 'BODS JSON lines', reader: bodsReader(), at: lines, expected: false },
    { name: 'FollowTheMoney JSON lines', reader: ftmReader({}), at: lines, expected: false },
    { name: 'GLEIF JSON lines', reader: gleifReader(), at: lines, expected: false },
    { name: 'a GLEIF golden-copy CSV', reader: gleifCsvReader(), at: csv, expected: true },
    { name: 'a CSV template', reader: csvReader(), at: csv, expected: true },
  ])('$name: $expected', async ({ reader, at, expected }) => {
    expect(await mayStopEarly(reader, at)).toBe(expected);
  });
});

describe('readToEnd', () => {
  it('is null for a file that reads to its end', async () => {
    expect(await readToEnd(gleifCsvReader(), file('good.csv', 'a,b\n1,2\n3,4\n'))).toBeNull();
    expect(await readToEnd(bodsReader(), file('good.json', '[\n  {"a": 1},\n  {"b": 2}\n]\n'))).toBeNull();
  });

  it('names the line of a CSV row of the wrong length, as csv-parse names it', async () => {
    const broken = await readToEnd(
      gleifCsvReader(),
      file('short.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n'),
    );
    expect(broken).toEqual({ line: 4, message: expect.stringMatching(/columns/i) as string });
  });

  it('names the line where a broken statement of an array starts, and its index', async () => {
    const text = '[\n  {"a": 1},\n  {"b": 2},\n  {\n    "c": 3,\n    "d": \n  }\n]\n';
    expect(await readToEnd(bodsReader(), file('syntax.json', text))).toEqual({
      line: 4,
      index: 2,
      message: expect.stringMatching(/^item 2 \(from line 4\) is not valid JSON/) as string,
    });
  });
});

describe('refusedUnreadable', () => {
  it('reports the break as the one problem, and says nothing was written', () => {
    const report = emptyReport({
      file: 'x.json',
      format: 'bods',
      sourceId: 'src:x',
      dryRun: false,
      resumedFrom: null,
    });
    expect(refusedUnreadable(report, 'x.json', { line: 40, index: 5000, message: 'cut' })).toEqual({
      ...report,
      rejected: 1,
      problems: [
        {
          file: 'x.json',
          line: 40,
          field: '[5000]',
          message: 'cannot be read to its end, so nothing of the file was written: cut',
        },
      ],
      refused:
        'nothing was written: x.json cannot be read to its end (line 40, statement [5000]), ' +
        'found before the first write',
    });
  });
});
