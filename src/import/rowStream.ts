import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/**
 * A file read row by row with memory flat whatever its size: one chunk and one line at a time. Each row
 * carries its 1-based line number, which reports and checkpoints name.
 */
export interface Row {
  line: number;
  value: string | Record<string, string>;
  /** Bytes of the file read up to the end of this row, for progress. */
  bytes: number;
}

/** Text lines split on \n (a trailing \r dropped); a last line without a newline is still a line. */
export async function* textLines(file: string): AsyncGenerator<Row> {
  let rest: Buffer = Buffer.alloc(0);
  let line = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let from = 0;
    for (let nl = buffer.indexOf(10, from); nl !== -1; nl = buffer.indexOf(10, from)) {
      line++;
      bytes += nl + 1 - from;
      yield { line, value: buffer.toString('utf8', from, nl).replace(/\r$/, ''), bytes };
      from = nl + 1;
    }
    rest = buffer.subarray(from);
  }
  if (rest.length > 0)
    yield { line: line + 1, value: rest.toString('utf8').replace(/\r$/, ''), bytes: bytes + rest.length };
}

/**
 * CSV records keyed by the header row (csv-parse, streaming). The line is where the record starts; a row
 * with the wrong number of fields is an error of that line, raised as the row is reached.
 */
export async function* csvRows(file: string): AsyncGenerator<Row> {
  const parser = createReadStream(file).pipe(
    parse({ columns: true, bom: true, trim: true, skip_empty_lines: true, info: true, relax_quotes: false }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number; bytes: number };
  }>) {
    yield { line: info.lines, value: record, bytes: info.bytes };
  }
}
