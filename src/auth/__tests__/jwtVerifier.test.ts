import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createLogger } from '../../log';
import { createAuthenticator, type Authenticator } from '../authenticate';
import { highestRole } from '../jwtVerifier';

/**
 * Tokens from an identity provider, checked against its JWKS: served here by a local HTTP server with a key
 * pair made by jose, as a real provider serves its `/.well-known/jwks.json`.
 */
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'ai-exposure-graph';

let server: Server;
let signingKey: KeyLike;
let otherKey: KeyLike;
let authenticator: Authenticator;
let jwksFetches = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  authenticator = createAuthenticator(
    {
      JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_ROLE_CLAIM: 'realm_access.roles',
    },
    createLogger('silent'),
  );
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

interface TokenOptions {
  claims?: Record<string, unknown>;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
  key?: KeyLike;
}

function token({
  claims = {},
  audience = AUDIENCE,
  issuer = ISSUER,
  expiresIn = '5m',
  key,
}: TokenOptions = {}) {
  return new SignJWT({
    realm_access: { roles: ['offline_access', 'editor'] },
    name: 'Dana Analyst',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('user-42')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key ?? signingKey);
}

const authenticate = async (jwt: string) => authenticator.authenticate({ authorization: `Bearer ${jwt}` });

describe('JWTs verified against the identity provider’s JWKS', () => {
  it('makes a principal of a good token: its subject, its name and the highest role in the claim', async () => {
    expect(await authenticate(await token())).toEqual({
      ok: true,
      principal: { id: 'jwt:user-42', name: 'Dana Analyst', role: 'editor', via: 'jwt' },
    });
    expect(jwksFetches).toBe(1);
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['an expired token', () => token({ expiresIn: Math.floor(Date.now() / 1000) - 60 }), /has expired/],
    ['a token for another audience', () => token({ audience: 'another-api' }), /"aud" claim/],
    ['a token from another issuer', () => token({ issuer: 'https://evil.example/' }), /"iss" claim/],
    ['a token signed by another key', () => token({ key: otherKey }), /not signed by a key of the identity/],
    [
      'a token whose signature was altered',
      async () => {
        const good = await token();
        return `${good.slice(0, -6)}${good.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
      },
      /not signed by a key|not a valid JWT/,
    ],
    [
      'an unsigned token (alg none)',
      async () => {
        const [, payload] = (await token()).split('.');
        return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      },
      /not a valid JWT/,
    ],
  ];
  it.each(refused)('refuses %s with 401 UNAUTHENTICATED', async (_, make, message) => {
    const answer = await authenticate(await make());
    expect(answer).toMatchObject({
      ok: false,
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'invalid-token',
    });
    expect(answer.ok ? '' : answer.message).toMatch(message);
  });

  it('answers a good token without a known role 403 FORBIDDEN, naming the claim', async () => {
    const answer = await authenticate(
      await token({ claims: { realm_access: { roles: ['offline_access'] } } }),
    );
    expect(answer).toMatchObject({ ok: false, status: 403, code: 'FORBIDDEN' });
    expect(answer.ok ? '' : answer.message).toContain('"realm_access.roles"');
  });
});

describe('highestRole', () => {
  it.each([
    ['a role name', 'reader', 'reader'],
    ['a space-separated scope', 'openid editor reader', 'editor'],
    ['a list', ['reader', 'admin', 'editor'], 'admin'],
    ['a list without a known role', ['owner'], null],
    ['no claim', undefined, null],
    ['a number', 3, null],
  ])('reads %s', (_, claim, role) => {
    expect(highestRole(claim)).toBe(role);
  });
});
