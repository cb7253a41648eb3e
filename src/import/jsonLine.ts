import type { Rejection, Skipped } from './incoming';

/**
 * One line of a JSON-lines file, as every JSON importer reads it: the parsed value, or what the line is
 * instead: an empty line (skipped, not an error) or text that is not JSON, most often a line cut short by
 * an interrupted download (rejected with its line).
 */
export type JsonLine = { ok: true; json: unknown } | { ok: false; items: [Rejection | Skipped] };

export function parseJsonLine(row: string | Record<string, string>, line: number): JsonLine {
  const text = typeof row === 'string' ? row.trim() : '';
  if (text === '') return { ok: false, items: [{ kind: 'skipped', line, reason: 'empty line' }] };
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      items: [
        {
          kind: 'rejected',
          line,
          message: `is not valid JSON (a truncated line?): ${(error as Error).message}`,
        },
      ],
    };
  }
}
