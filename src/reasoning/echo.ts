/**
 * How an error message quotes a value it received: as JSON, cut to ECHO_LIMIT characters with the full
 * length after it, so a 100 kB id is not sent back whole (nor logged whole) in the error that refuses it.
 */
export const ECHO_LIMIT = 200;

/** `"org:bytedance"`, `500`, or `"xxxx…" (100000 chars)` for a long string. */
export function echo(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= ECHO_LIMIT) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, ECHO_LIMIT)).slice(0, -1)}…" (${value.length} chars)`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= ECHO_LIMIT ? text : `${text.slice(0, ECHO_LIMIT)}… (${text.length} chars)`;
}

// A JSON string literal in a message longer than the limit (an escape counts as one character), unless
// echo() already cut it: then its length follows.
const LONG_QUOTED = new RegExp(`"((?:[^"\\\\]|\\\\.){${ECHO_LIMIT + 1},})"(?! \\(\\d+ chars\\))`, 'g');

/**
 * The same cut applied to a whole message written elsewhere (graphql-js quotes variables' values whole in
 * 'Variable "$id" got invalid value "…"'): every quoted string over the limit is shortened.
 */
export function shortenEchoes(message: string): string {
  return message.replace(LONG_QUOTED, (_match, inner: string) => {
    let value: string;
    try {
      value = JSON.parse(`"${inner}"`) as string;
    } catch {
      value = inner;
    }
    return echo(value);
  });
}
