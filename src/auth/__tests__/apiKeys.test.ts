import { checkKey, generateKey, hashKey, keyIdOf, parseKeyList, type ApiKeyRecord } from '../apiKeys';
import { credentialOf } from '../authenticate';
import { hasRole, requireRole, ROLES, type Principal, type Role } from '../principal';

const alice = generateKey('alice', 'editor', new Date('2026-11-30T10:00:00Z'));
const lookup = (records: ApiKeyRecord[]) => (id: string) => records.find((r) => r.id === id);

describe('API keys', () => {
  it('are aeg_<24 hex>_<43 base64url> and stored as the SHA-256 of the whole key, never the key', () => {
    expect(alice.key).toMatch(/^aeg_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(alice.record).toEqual({
      id: alice.key.slice(4, 28),
      name: 'alice',
      role: 'editor',
      hash: hashKey(alice.key),
      createdAt: '2026-11-30T10:00:00.000Z',
    });
    expect(JSON.stringify(alice.record)).not.toContain(alice.key.slice(29));
    expect(alice.record.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('are checked by their id, then by hash', () => {
    expect(checkKey(alice.key, lookup([alice.record]))).toEqual({ ok: true, record: alice.record });
    const forged = `${alice.key.slice(0, 29)}${'A'.repeat(43)}`;
    expect(checkKey(forged, lookup([alice.record]))).toEqual({
      ok: false,
      reason: 'unknown',
      keyId: alice.record.id,
    });
    expect(checkKey(generateKey('bob', 'admin').key, lookup([alice.record]))).toMatchObject({
      reason: 'unknown',
    });
  });

  it('are refused once revoked, and when malformed', () => {
    const revoked = { ...alice.record, revokedAt: '2026-12-01T00:00:00Z' };
    expect(checkKey(alice.key, lookup([revoked]))).toEqual({
      ok: false,
      reason: 'revoked',
      keyId: revoked.id,
    });
    for (const bad of ['', 'aeg_', alice.key.slice(0, -1), `${alice.key}x`, alice.key.toUpperCase()]) {
      expect(checkKey(bad, lookup([alice.record]))).toEqual({ ok: false, reason: 'malformed', keyId: null });
    }
    expect(keyIdOf(alice.key)).toBe(alice.record.id);
  });

  it('come from a list whose every problem is named with its path', () => {
    const text = JSON.stringify({
      keys: [
        { ...alice.record, role: 'owner' },
        { ...alice.record, hash: 'md5:abc', extra: true },
      ],
    });
    expect(() => parseKeyList(text, 'API_KEYS')).toThrow(
      'API_KEYS: keys.0.role must be one of reader, editor, admin; ' +
        'keys.1.hash must be "sha256:" followed by 64 hex digits; keys.1 Unrecognized key: "extra"',
    );
    expect(() => parseKeyList(JSON.stringify({ keys: [alice.record, alice.record] }), 'f')).toThrow(
      `keys.1.id repeats key id ${alice.record.id}`,
    );
    expect(() => parseKeyList('{', 'API_KEYS')).toThrow(/^API_KEYS: is not valid JSON/);
  });
});

describe('credentials in headers', () => {
  it.each([
    ['no header', {}, null],
    ['a bearer credential', { authorization: 'Bearer abc' }, { credential: 'abc' }],
    ['a lower-case scheme', { authorization: 'bearer abc' }, { credential: 'abc' }],
    ['an X-API-Key', { 'x-api-key': 'abc' }, { credential: 'abc' }],
    ['the same credential twice', { authorization: 'Bearer abc', 'x-api-key': 'abc' }, { credential: 'abc' }],
    [
      'two different ones',
      { authorization: 'Bearer abc', 'x-api-key': 'xyz' },
      { problem: expect.stringMatching(/two different/) },
    ],
    ['another scheme', { authorization: 'Basic abc' }, { problem: expect.stringMatching(/must be "Bearer/) }],
    ['an empty Authorization', { authorization: ' ' }, { problem: 'The Authorization header is empty.' }],
    ['an empty X-API-Key', { 'x-api-key': '' }, { problem: 'The X-API-Key header is empty.' }],
  ])('reads %s', (_, headers, expected) => {
    expect(credentialOf(headers)).toEqual(expected);
  });
});

describe('requireRole, for every role held and needed', () => {
  const principal = (role: Role | null): Principal =>
    role === null
      ? { id: 'anonymous', name: 'anonymous', role: null, via: 'anonymous' }
      : { id: `key:${role}`, name: role, role, via: 'api-key' };
  const cases = [null, ...ROLES].flatMap((held) =>
    ROLES.map((needed) => ({
      held,
      needed,
      outcome:
        held === null
          ? 'UNAUTHENTICATED'
          : ROLES.indexOf(held) >= ROLES.indexOf(needed)
            ? 'allowed'
            : 'FORBIDDEN',
    })),
  );
  it.each(cases)('$held asking for $needed: $outcome', ({ held, needed, outcome }) => {
    const who = principal(held);
    expect(hasRole(who, needed)).toBe(outcome === 'allowed');
    let code = 'allowed';
    try {
      requireRole(who, needed, 'recordStake');
    } catch (error) {
      code = String((error as { extensions: { code: string } }).extensions.code);
      expect((error as Error).message).toContain(`recordStake needs the ${needed} role`);
    }
    expect(code).toBe(outcome);
  });
});
