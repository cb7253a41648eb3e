import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from './principal';

/**
 * API keys: what a key looks like, how it is stored (its hash only) and how a presented key is checked.
 *
 * A key is `aeg_<id>_<secret>`: `id` is 12 random bytes in hex (public, names the key in logs, audit trails and
 * the key file), `secret` 32 random bytes in base64url. The server stores SHA-256 of the whole key, not scrypt:
 * scrypt's cost protects guessable passwords, but a 256-bit random secret cannot be guessed from its hash at
 * any cost, while scrypt would spend ~50 ms of CPU on every request (a denial-of-service lever on 2 cores).
 * The id makes the lookup O(1) (one map access, no scan over hashes) and the hashes are compared with
 * `timingSafeEqual`, so the time taken says nothing about how much of a forged key was right.
 */
export const KEY_PREFIX = 'aeg_';
const KEY_PATTERN = /^aeg_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

export const ApiKeyRecord = z
  .object({
    /** The public part of the key: `aeg_<id>_…`. */
    id: z.string().regex(/^[0-9a-f]{24}$/, 'must be the 24 hex digits of a key id'),
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
    /** `sha256:<hex>` of the whole key. */
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" followed by 64 hex digits'),
    createdAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
    /** Set by `npm run keys -- revoke`: the key is refused from then on, its record kept for the audit trail. */
    revokedAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
  })
  .strict();
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;

/** The key file (API_KEYS_FILE) and the API_KEYS variable hold the same JSON: `{"keys": [...]}`. */
export const ApiKeyList = z
  .object({ keys: z.array(ApiKeyRecord) })
  .strict()
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.keys.forEach((key, index) => {
      if (seen.has(key.id))
        ctx.addIssue({ code: 'custom', path: ['keys', index, 'id'], message: `repeats key id ${key.id}` });
      seen.add(key.id);
    });
  });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** A new key and the record to store for it; the key itself is shown once and kept nowhere. */
export function generateKey(
  name: string,
  role: ApiKeyRecord['role'],
  now = new Date(),
): { key: string; record: ApiKeyRecord } {
  const id = randomBytes(12).toString('hex');
  const key = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  const record = ApiKeyRecord.parse({ id, name, role, hash: hashKey(key), createdAt: now.toISOString() });
  return { key, record };
}

/** The id of a well-formed key, or null for anything else (a JWT, a typo, a key cut short). */
export function keyIdOf(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export type KeyCheck =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked'; keyId: string | null };

/** Checks a presented key against the stored records (by id, then a constant-time hash comparison). */
export function checkKey(key: string, lookup: (id: string) => ApiKeyRecord | undefined): KeyCheck {
  const keyId = keyIdOf(key);
  if (keyId === null) return { ok: false, reason: 'malformed', keyId: null };
  const record = lookup(keyId);
  if (!record) return { ok: false, reason: 'unknown', keyId };
  const presented = Buffer.from(hashKey(key));
  const stored = Buffer.from(record.hash);
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored))
    return { ok: false, reason: 'unknown', keyId };
  if (record.revokedAt !== undefined) return { ok: false, reason: 'revoked', keyId };
  return { ok: true, record };
}

/** Parses the JSON of a key file or of API_KEYS; the error lists every problem with its path. */
export function parseKeyList(text: string, origin: string): ApiKeyList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeyListError(origin, [`is not valid JSON (${(error as Error).message})`]);
  }
  const parsed = ApiKeyList.safeParse(json);
  if (!parsed.success) {
    throw new KeyListError(
      origin,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'} ${issue.message}`),
    );
  }
  return parsed.data;
}

export class KeyListError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`${origin}: ${problems.join('; ')}`);
    this.name = 'KeyListError';
  }
}
