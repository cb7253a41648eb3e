import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonArrayError, jsonRows } from '../jsonArrayRows';

/**
 * A JSON array read item by item, whatever its layout, each item knowing the line it starts on and its index;
 * a file that does not open an array is read as JSON lines.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'json-array-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

async function read(at: string) {
  const rows: Array<{ line: number; index?: number; value: unknown }> = [];
  for await (const row of jsonRows(at)) {
    rows.push({ line: row.line, index: row.index, value: JSON.parse(row.value as string) as unknown });
  }
  return rows;
}

async function failure(at: string): Promise<JsonArrayError> {
  try {
    await read(at);
  } catch (error) {
    return error as JsonArrayError;
  }
  throw new Error('expected the read to fail');
}

describe('jsonRows: one JSON array, however laid out, or JSON lines', () => {
  it('gives each item of a pretty-printed array with the line it starts on and its index', async () => {
    const text = JSON.stringify([{ a: 1, nested: { b: [1, 2] } }, 'text', { c: 'é ü' }], null, 2);
    expect(await read(file('pretty.json', `\uFEFF${text}\n`))).toEqual([
      { line: 2, index: 0, value: { a: 1, nested: { b: [1, 2] } } },
      { line: 11, index: 1, value: 'text' },
      { line: 12, index: 2, value: { c: 'é ü' } },
    ]);
  });

  it('gives the items of a one-line array all on line 1, told apart by index', async () => {
    expect(await read(file('one-line.json', '  [{"a":1},{"b":2}]'))).toEqual([
      { line: 1, index: 0, value: { a: 1 } },
      { line: 1, index: 1, value: { b: 2 } },
    ]);
  });

  it('reads JSON lines line by line when the file does not open an array', async () => {
    const rows = [];
    for await (const row of jsonRows(file('lines.jsonl', '{"a":1}\n\n{"b":2}\n'))) rows.push(row);
    expect(rows.map(({ line, index, value }) => ({ line, index, value }))).toEqual([
      { line: 1, index: undefined, value: '{"a":1}' },
      { line: 2, index: undefined, value: '' },
      { line: 3, index: undefined, value: '{"b":2}' },
    ]);
  });

  it('names the line where a broken item starts and its index, after giving the items before it', async () => {
    const at = file('broken.json', '[\n  {"a": 1},\n  {\n    "b" 2\n  }\n]\n');
    const error = await failure(at);
    expect(error).toBeInstanceOf(JsonArrayError);
    expect(error.lines).toBe(3);
    expect(error.message).toMatch(/^item 1 \(from line 3\) is not valid JSON/);
  });

  it('says an array that is never closed is cut short', async () => {
    const error = await failure(file('cut.json', '[\n  {"a": 1},\n  {"b": 2}\n'));
    // The items before the cut were given; the error names where the missing end was expected.
    expect(error.lines).toBe(4);
    expect(error.message).toMatch(/^item 2 \(from line 4\) is not valid JSON \(a truncated file\?\)/);
  });

  it('refuses a second value after the array', async () => {
    const error = await failure(file('two.json', '[{"a": 1}]\n{"b": 2}\n'));
    expect(error.message).toMatch(/expected one JSON array|not valid JSON/);
  });
});
