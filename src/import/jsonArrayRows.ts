import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/parser.js';
import { none } from 'stream-chain/defs.js';

type Token = parser.Token;
import { textLines, type Row } from './rowStream';

/**
 * The items of a file holding one JSON array, however it is laid out: pretty-printed over many lines (as
 * BODS publishes its examples), or on one line. Streaming, with memory flat whatever the file's size: the
 * text goes through stream-json's tokenizer and assembler, and each item is taken out of the array as soon
 * as it is whole, so only one item is ever held. The text is fed a line (or a 1 MB chunk of a long line) at
 * a time, so each item knows the line where it starts: errors name that line and the item's index.
 *
 * A file whose first character is not `[` is JSON lines, read line by line as before (`textLines`): there
 * a truncated line is one rejected line, whereas in an array a syntax error ends what can be read.
 */

export type JsonItemRow = Row & { index: number };

/**
 * An error that stops the reading of an array: `lines` is where the broken item starts (runImport reads it),
 * `index` that item's index in the array.
 */
export class JsonArrayError extends Error {
  constructor(
    message: string,
    readonly lines: number,
    readonly index: number,
  ) {
    super(message);
  }
}

/** Whether the file's first non-blank character (after a byte-order mark) opens an array. */
export async function startsWithArray(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return false;
      const text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
      const first = /\S/.exec(text);
      if (first) return first[0] === '[';
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** JSON lines, or the items of one array: each item a row whose value is its JSON text. */
export async function* jsonRows(file: string): AsyncGenerator<Row & { index?: number }> {
  if (await startsWithArray(file)) yield* jsonArrayItems(file);
  else yield* textLines(file);
}

export async function* jsonArrayItems(file: string): AsyncGenerator<JsonItemRow> {
  // Packed tokens only (keys, strings and numbers whole): the assembler reads nothing else.
  const tokens = parser({ streamValues: false });
  const assembler = new Assembler();
  let line = 1;
  let bytes = 0;
  let index = 0;
  let start = 0;
  let topLevelSeen = false;
  const items: JsonItemRow[] = [];

  const feed = async (text: string | typeof none) => {
    try {
      for await (const token of tokens(text as string) as unknown as AsyncIterable<Token>) {
        const wasInItem = assembler.depth >= 2;
        if (assembler.depth === 0 && token.name !== 'startArray') {
          throw new Error(`expected one JSON array, found ${token.name} at the top level`);
        }
        if (!wasInItem && assembler.depth === 1) start = line;
        assembler.consume(token);
        if (assembler.depth === 0) topLevelSeen = true;
        // An item is whole when the assembler is back in the array with the item appended: take it out, so
        // the array never grows.
        const array = assembler.current as unknown;
        if (assembler.depth === 1 && Array.isArray(array) && array.length > 0) {
          items.push({ line: start, value: JSON.stringify(array.pop()), bytes, index: index++ });
        }
      }
    } catch (error) {
      const at = assembler.depth >= 2 ? start : line;
      throw new JsonArrayError(
        `item ${index} (from line ${at}) is not valid JSON (a truncated file?): ${(error as Error).message}`,
        at,
        index,
      );
    }
  };

  let first = true;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = first ? (chunk as string).replace(/^\uFEFF/, '') : (chunk as string);
    first = false;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const segment = text.slice(from, nl + 1);
      bytes += Buffer.byteLength(segment);
      await feed(segment);
      from = nl + 1;
      line++;
      yield* items.splice(0);
    }
    if (from < text.length) {
      const segment = text.slice(from);
      bytes += Buffer.byteLength(segment);
      await feed(segment);
      yield* items.splice(0);
    }
  }
  await feed(none);
  yield* items.splice(0);
  if (!topLevelSeen || assembler.depth > 0) {
    const at = assembler.depth >= 2 ? start : line;
    throw new JsonArrayError(
      `item ${index} (from line ${at}) is cut short: the array is not closed`,
      at,
      index,
    );
  }
}
