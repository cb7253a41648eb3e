import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createApp, type App, type AppConfig } from '../src/app';
import { generateKey, type ApiKeyRecord } from '../src/auth/apiKeys';
import { runKeysCli } from '../src/auth/cli';
import type { Principal, Role } from '../src/auth/principal';
import type { Database } from '../src/db/database';
import type { Context } from '../src/graphql/context';
import { capturingLogger } from './support/capturingLogger';
import { testDatabase } from './support/database';
import { listen } from './support/http';
import { TEST_CONFIG } from './support/seededApp';

/**
 * Who is asking, over real HTTP: each request's principal comes from its key (or nobody), a key that does not
 * hold up is refused with 401 rather than served as anonymous, READS_REQUIRE_ROLE closes reads, the rate
 * limit counts per principal, and no key reaches the log. A tiny plugin records `context.principal` as the
 * resolvers see it (the mutations that need roles arrive with the write path).
 */
const keys = Object.fromEntries(
  (['reader', 'editor', 'admin'] as const).map((role) => [role, generateKey(`${role}-client`, role)]),
) as Record<Role, { key: string; record: ApiKeyRecord }>;
const revoked = generateKey('former-employee', 'editor');
const API_KEYS = JSON.stringify({
  keys: [
    ...Object.values(keys).map((k) => k.record),
    { ...revoked.record, revokedAt: '2026-01-01T00:00:00.000Z' },
  ],
});

let db: Database;
const apps: App[] = [];
beforeAll(() => {
  db = testDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.stop(1000);
  await db.close();
});

/** An app on a free port, with a plugin that records each operation's principal. */
async function serve(config: Partial<AppConfig> = {}) {
  const seen: Principal[] = [];
  const recorder: ApolloServerPlugin<Context> = {
    requestDidStart: ({ contextValue }) => {
      seen.push(contextValue.principal);
      return Promise.resolve();
    },
  };
  const log = capturingLogger();
  const app = await createApp(db, { ...TEST_CONFIG, API_KEYS, ...config }, log, { plugins: [recorder] });
  apps.push(app);
  const baseUrl = await listen(app);
  const ask = async (headers: Record<string, string> = {}, query = '{ __typename }') => {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    };
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body };
  };
  return { baseUrl, seen, log, ask };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('Auth: the principal of each request', () => {
  it('is anonymous without credentials, and reads stay open by default', async () => {
    const { ask, seen } = await serve();
    const answer = await ask();
    expect(answer).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });
    expect(seen).toEqual([{ id: 'anonymous', name: 'anonymous', role: null, via: 'anonymous' }]);
  });

  it.each(['reader', 'editor', 'admin'] as const)(
    'is the %s key’s holder, by Authorization: Bearer and by X-API-Key',
    async (role) => {
      const { ask, seen } = await serve();
      const { key, record } = keys[role];
      expect((await ask(bearer(key))).status).toBe(200);
      expect((await ask({ 'x-api-key': key })).status).toBe(200);
      const expected = { id: `key:${record.id}`, name: `${role}-client`, role, via: 'api-key' };
      expect(seen).toEqual([expected, expected]);
    },
  );

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['a revoked key', bearer(revoked.key), new RegExp(`API key ${revoked.record.id} has been revoked`)],
    ['an unknown key', bearer(generateKey('stranger', 'admin').key), /is not known to this server/],
    [
      'a known key id with the wrong secret',
      bearer(`${keys.admin.key.slice(0, -4)}AAAA`),
      new RegExp(`API key ${keys.admin.record.id} is not known`),
    ],
    ['a key cut short', bearer(keys.reader.key.slice(0, 30)), /API key is malformed/],
    ['something that is neither key nor JWT', bearer('hunter2'), /neither an API key/],
    ['a JWT when no identity provider is configured', bearer('eyJhbGciOi.eyJzdWIi.c2ln'), /API keys only/],
    ['Basic credentials', { authorization: 'Basic YWxpY2U6cw==' }, /must be "Bearer <API key or token>"/],
    [
      'two different credentials',
      { ...bearer(keys.reader.key), 'x-api-key': keys.admin.key },
      /two different credentials/,
    ],
  ];
  it.each(refusals)(
    'refuses %s with 401 and a Bearer challenge, never as anonymous',
    async (_, headers, message) => {
      const { ask, seen } = await serve();
      const answer = await ask(headers);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe('Bearer realm="ai-exposure-graph", error="invalid_token"');
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(answer.body.errors![0]!.message).toMatch(message);
      expect(seen).toEqual([]);
    },
  );
});

describe('Auth: READS_REQUIRE_ROLE', () => {
  it('with reader, answers an anonymous read 401 UNAUTHENTICATED naming the role, and a reader key 200', async () => {
    const { ask } = await serve({ READS_REQUIRE_ROLE: 'reader' });
    const anonymous = await ask({}, 'query Who { __typename }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.challenge).toBe('Bearer realm="ai-exposure-graph"');
    expect(anonymous.body.errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      requiredRole: 'reader',
    });
    expect(anonymous.body.errors![0]!.message).toContain('The query Who needs the reader role');
    for (const role of ['reader', 'editor', 'admin'] as const) {
      expect(await ask(bearer(keys[role].key), 'query Who { __typename }')).toMatchObject({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    }
  });

  it('with reader, closes introspection to anonymous clients too', async () => {
    const { ask } = await serve({ READS_REQUIRE_ROLE: 'reader' });
    expect((await ask({}, '{ __schema { queryType { name } } }')).status).toBe(401);
    expect((await ask(bearer(keys.reader.key), '{ __schema { queryType { name } } }')).status).toBe(200);
  });
});

describe('Auth: keys from a file', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'aeg-keys-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runKeysCli(argv, { out: (t) => out.push(t), err: () => undefined, env: {} });
    return { code, out: out.join('') };
  };

  it('takes a key created with the CLI, then refuses it once revoked, without a restart', async () => {
    const file = path.join(folder, 'keys.json');
    const { ask, seen } = await serve({ API_KEYS: undefined, API_KEYS_FILE: file });
    const created = await cli('create', '--name', 'alice', '--role', 'editor', '--file', file);
    expect(created.code).toBe(0);
    const key = created.out.trim();
    // The server re-reads the file at most once a second.
    let answer = await ask(bearer(key));
    for (let i = 0; answer.status !== 200 && i < 30; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await ask(bearer(key));
    }
    expect(answer.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ name: 'alice', role: 'editor', via: 'api-key' });

    expect((await cli('revoke', 'alice', '--file', file)).code).toBe(0);
    for (let i = 0; answer.status !== 401 && i < 30; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await ask(bearer(key));
    }
    expect(answer.status).toBe(401);
    expect(answer.body.errors![0]!.message).toMatch(/has been revoked/);
  });

  it('refuses to start on an invalid key file, naming the file and the field', async () => {
    const file = path.join(folder, 'bad.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...keys.reader.record, role: 'owner' }] }));
    await expect(createApp(db, { ...TEST_CONFIG, API_KEYS_FILE: file }, capturingLogger())).rejects.toThrow(
      /API_KEYS_FILE .*bad\.json: keys\.0\.role must be one of reader, editor, admin/,
    );
  });
});

describe('Auth: the rate limit and the log', () => {
  it('gives each principal its own bucket, and anonymous clients their address’s', async () => {
    const { ask } = await serve({ RATE_LIMIT_PER_SECOND: 1, RATE_LIMIT_BURST: 2 });
    // Three at once: one after another, a loaded machine can take long enough between them to refill a token.
    const statuses = async (headers: Record<string, string>) =>
      (await Promise.all([1, 2, 3].map(() => ask(headers)))).map((answer) => answer.status).sort();
    expect(await statuses(bearer(keys.reader.key))).toEqual([200, 200, 429]);
    // Same address, another key: a bucket of its own.
    expect(await statuses(bearer(keys.editor.key))).toEqual([200, 200, 429]);
    expect(await statuses({})).toEqual([200, 200, 429]);
  });

  it('logs who asked by key id, and never a key or the secret part of one', async () => {
    const { ask, log } = await serve();
    await ask(bearer(keys.editor.key));
    await ask({ 'x-api-key': revoked.key });
    await ask(bearer(keys.admin.key.slice(0, 40)));
    const requests = log.lines.filter((line) => line.msg === 'request');
    expect(requests.map((line) => [line.status, line.principal ?? null, line.authFailure ?? null])).toEqual([
      [200, `key:${keys.editor.record.id}`, null],
      [401, null, 'revoked-key'],
      [401, null, 'malformed'],
    ]);
    const everything = JSON.stringify(log.lines);
    for (const secret of [keys.editor.key, revoked.key, keys.admin.key.slice(0, 40)]) {
      expect(everything).not.toContain(secret.slice(29));
    }
  });
});

describe('Auth: tokens from an identity provider', () => {
  it('takes a JWT verified against the provider’s JWKS, and answers one without a role 403', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256' }] });
    const idp = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
    );
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    try {
      const { ask, seen } = await serve({
        JWT_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks`,
        JWT_ISSUER: 'https://idp.example.test/',
        JWT_AUDIENCE: 'ai-exposure-graph',
        JWT_ROLE_CLAIM: 'role',
        READS_REQUIRE_ROLE: 'reader',
      });
      const token = (claims: Record<string, unknown>) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
          .setSubject('dana')
          .setIssuer('https://idp.example.test/')
          .setAudience('ai-exposure-graph')
          .setExpirationTime('5m')
          .sign(privateKey);
      expect((await ask(bearer(await token({ role: 'reader', email: 'dana@example.test' })))).status).toBe(
        200,
      );
      expect(seen).toEqual([{ id: 'jwt:dana', name: 'dana@example.test', role: 'reader', via: 'jwt' }]);
      const roleless = await ask(bearer(await token({})));
      expect(roleless.status).toBe(403);
      expect(roleless.body.errors![0]!).toMatchObject({
        extensions: { code: 'FORBIDDEN' },
        message: expect.stringContaining('claim "role"') as string,
      });
    } finally {
      await new Promise((resolve) => idp.close(resolve));
    }
  });
});
