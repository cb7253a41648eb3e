/**
 * Writing an export as it is computed: rows go out as they come, and a writer waits when the client reads
 * slower than we produce (backpressure), so memory stays bounded by a page whatever the export's size.
 *
 * CSV with csv-stringify (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, as OWASP's "CSV Injection" page
 * recommends: a name such as `=HYPERLINK(…)` in the data must open as text. Every CSV row repeats what the
 * export was computed for (policy, asOf, knownAsOf, exportedAt, graphVersion), so a row copied out of the file
 * still carries it. JSON is one object: `{"export": {…}, "rows": [ … ], …trailer}`.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify';

export type Cell = string | number | boolean | null | undefined;
/** A CSV row is flat (cells); a JSON row may be any JSON object. */
export type Row = Record<string, unknown>;

export interface ExportWriter {
  row(row: Row): Promise<void>;
  /** Ends the file; `trailer` (JSON only) adds fields after the rows, such as a summary. */
  end(trailer?: Record<string, unknown>): Promise<void>;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** OWASP: neutralise a cell a spreadsheet would evaluate, by making it text. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Waits for `drain` unless the client is gone (then the write is pointless and the export is stopped). */
async function drained(stream: NodeJS.EventEmitter, signal: AbortSignal): Promise<void> {
  await once(stream, 'drain', { signal });
}

export function csvWriter(
  res: ServerResponse,
  columns: readonly string[],
  meta: Row,
  signal: AbortSignal,
): ExportWriter {
  const allColumns = [...columns, ...Object.keys(meta)];
  const csv = stringify({
    // A byte-order mark, so that spreadsheets (Excel) read the UTF-8 of non-Latin names correctly.
    bom: true,
    header: true,
    columns: allColumns,
    cast: {
      string: neutraliseFormula,
      boolean: (value) => (value ? 'true' : 'false'),
      // Full precision rather than a locale's rounding: these are evidence.
      number: (value) => String(value),
    },
  });
  csv.pipe(res);
  return {
    async row(row) {
      if (!csv.write({ ...row, ...meta })) await drained(csv, signal);
    },
    async end() {
      csv.end();
      await once(res, 'finish', { signal });
    },
  };
}

export function jsonWriter(
  res: ServerResponse,
  meta: Record<string, unknown>,
  signal: AbortSignal,
): ExportWriter {
  let first = true;
  const write = async (text: string) => {
    if (!res.write(text)) await drained(res, signal);
  };
  const opening = write(`{"export":${JSON.stringify(meta)},"rows":[`);
  return {
    async row(row) {
      await opening;
      await write(`${first ? '\n' : ',\n'}${JSON.stringify(row)}`);
      first = false;
    },
    async end(trailer = {}) {
      await opening;
      const rest = Object.entries(trailer)
        .map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`)
        .join('');
      res.end(`\n]${rest}}\n`);
      await once(res, 'finish', { signal });
    },
  };
}
