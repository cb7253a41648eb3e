/**
 * Keeps credentials out of the logs. The logger (src/log.ts) drops credential headers by path (pino's
 * `redact`) and passes every message and field through `scrubSecrets`, which cuts the secret out of anything
 * that looks like one of our keys, a bearer credential or a JWT wherever it appears (an error message quoting a
 * header, a URL with a token in it): a key's public id is kept, since it names the key without opening it.
 */
export const REDACTED = '[redacted]';

/** Header paths pino removes from any logged object, at the top level or one level down (`req.headers`). */
export const REDACTED_PATHS = [
  'authorization',
  '["x-api-key"]',
  'cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers.cookie',
];

const PATTERNS: Array<[RegExp, string]> = [
  // Our keys, whole or cut short: keep `aeg_<id>_`, drop the secret.
  [/\b(aeg_[0-9a-f]{24}_)[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
  // A compact JWS: header.payload.signature, each base64url (headers start with `eyJ`, i.e. `{"`).
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // Any other bearer credential written out.
  [/\b(Bearer\s+)(?!\[redacted\])\S+/gi, `$1${REDACTED}`],
];

export function scrubSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** `scrubSecrets` over every string of a log line's fields (objects and arrays walked, up to a depth). */
export function scrubFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => scrubFields(item, depth + 1));
  if (value instanceof Error) return scrubSecrets(value.message);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = scrubFields(item, depth + 1);
  return copy;
}
