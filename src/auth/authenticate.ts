import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../log';
import { checkKey, KEY_PREFIX } from './apiKeys';
import { createJwtVerifier, type JwtSettings } from './jwtVerifier';
import { createKeyStore, type KeySources, type KeyStore } from './keyStore';
import { ANONYMOUS, type Principal } from './principal';

/**
 * From a request's headers to who is asking, once per request. Credentials arrive as
 * `Authorization: Bearer <key or JWT>` or `X-API-Key: <key>`. No credentials: anonymous (what anonymous may do
 * is for READS_REQUIRE_ROLE and the resolvers to say). Credentials that do not hold up (malformed, unknown,
 * revoked, expired, forged) are refused outright, never downgraded to anonymous: a client whose key was
 * revoked must learn it, not quietly get the public answer.
 */
export type Authentication =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      /** 401 for credentials that do not hold up, 403 for a good token without a role, 503 for an unreachable JWKS. */
      status: 401 | 403 | 503;
      code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNAVAILABLE';
      message: string;
      /** For the log: which kind of refusal, and the key's public id when there is one (never the key). */
      reason: string;
      keyId?: string;
    };

export type AuthSettings = KeySources & Partial<JwtSettings>;

export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<Authentication>;
  /** What is configured, for the start-up log. */
  describe(): { keys: number; jwt: boolean };
}

/** The realm named in `WWW-Authenticate` challenges (RFC 6750 section 3). */
export const REALM = 'ai-exposure-graph';

/** Throws (naming the variable) when a key source is invalid or the JWT settings are incomplete. */
export function createAuthenticator(settings: AuthSettings, log: Logger, store?: KeyStore): Authenticator {
  const keys = store ?? createKeyStore(settings, log);
  const jwt = jwtSettings(settings);
  const verifyToken = jwt ? createJwtVerifier(jwt) : null;

  const refuse = (reason: string, message: string, keyId?: string): Authentication => ({
    ok: false,
    status: 401,
    code: 'UNAUTHENTICATED',
    message,
    reason,
    ...(keyId ? { keyId } : {}),
  });

  return {
    describe: () => ({ keys: keys.size(), jwt: verifyToken !== null }),
    async authenticate(headers) {
      const presented = credentialOf(headers);
      if (presented === null) return { ok: true, principal: ANONYMOUS };
      if ('problem' in presented) return refuse('malformed', presented.problem);
      const credential = presented.credential;
      if (credential.startsWith(KEY_PREFIX)) {
        await keys.refresh();
        const check = checkKey(credential, (id) => keys.lookup(id));
        if (check.ok) {
          const { id, name, role } = check.record;
          return { ok: true, principal: { id: `key:${id}`, name, role, via: 'api-key' } };
        }
        switch (check.reason) {
          case 'malformed':
            return refuse(
              'malformed',
              'The API key is malformed: keys look like aeg_<24 hex digits>_<43 characters>.',
            );
          case 'unknown':
            return refuse(
              'unknown-key',
              `The API key ${check.keyId} is not known to this server.`,
              check.keyId!,
            );
          case 'revoked':
            return refuse('revoked-key', `The API key ${check.keyId} has been revoked.`, check.keyId!);
          default:
            return unreachable(check.reason);
        }
      }
      if (!looksLikeJwt(credential)) {
        return refuse('malformed', 'The credential is neither an API key (aeg_…) nor a JWT.');
      }
      if (!verifyToken) {
        return refuse('jwt-not-configured', 'This server accepts API keys only (JWT_JWKS_URL is not set).');
      }
      const check = await verifyToken(credential);
      if (check.ok) return { ok: true, principal: check.principal };
      switch (check.reason) {
        case 'invalid':
          return refuse('invalid-token', check.message);
        case 'no-role':
          return {
            ok: false,
            status: 403,
            code: 'FORBIDDEN',
            message: check.message,
            reason: 'token-without-role',
          };
        case 'unavailable':
          return {
            ok: false,
            status: 503,
            code: 'UNAVAILABLE',
            message: check.message,
            reason: 'jwks-unavailable',
          };
        default:
          return unreachable(check);
      }
    },
  };
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

function jwtSettings(settings: AuthSettings): JwtSettings | null {
  const { JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ROLE_CLAIM } = settings;
  if (!JWT_JWKS_URL) return null;
  // config.ts checks that these come together; this guards callers that build settings by hand.
  if (!JWT_ISSUER || !JWT_AUDIENCE)
    throw new Error('JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE as well.');
  return { JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ROLE_CLAIM: JWT_ROLE_CLAIM ?? 'role' };
}

/** Three base64url segments: a compact JWS. */
function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(credential);
}

/** The credential a request carries, null for none, or what is wrong with how it was sent. */
export function credentialOf(
  headers: IncomingHttpHeaders,
): { credential: string } | { problem: string } | null {
  const authorization = headers.authorization?.trim();
  if (authorization === '') return { problem: 'The Authorization header is empty.' };
  const apiKeyHeader = headers['x-api-key'];
  const apiKey = (Array.isArray(apiKeyHeader) ? apiKeyHeader.join(',') : apiKeyHeader)?.trim();
  let bearer: string | undefined;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return { problem: 'The Authorization header must be "Bearer <API key or token>".' };
    bearer = match[1];
  }
  if (bearer !== undefined && apiKey && bearer !== apiKey) {
    return {
      problem: 'The request carries two different credentials (Authorization and X-API-Key); send one.',
    };
  }
  const credential = bearer ?? apiKey;
  if (apiKey === '' && bearer === undefined) return { problem: 'The X-API-Key header is empty.' };
  return credential ? { credential } : null;
}

/** The `WWW-Authenticate` value for a 401 (RFC 6750 section 3): `invalid_token` when credentials were sent. */
export function challenge(credentialsSent: boolean): string {
  return credentialsSent ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`;
}
