import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { ROLES, type Principal, type Role } from './principal';

/**
 * JSON Web Tokens from an identity provider, verified with `jose` against the provider's JWKS (fetched on
 * first use, cached, re-fetched when a token names a key id not in the cached set, so key rotation needs no
 * restart). A token must be signed by a key of that set, name the configured issuer and audience, and carry
 * `sub` and `exp`; the role comes from one claim (a dotted path such as `realm_access.roles` reaches a nested
 * one), a string or a list, of which the highest role this server knows counts.
 */
export interface JwtSettings {
  JWT_JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_ROLE_CLAIM: string;
}

export type TokenCheck =
  | { ok: true; principal: Principal }
  /** `invalid`: the token is not good (expired, forged, for another audience); `no-role`: good, no role. */
  | { ok: false; reason: 'invalid' | 'no-role'; message: string }
  /** The JWKS could not be fetched: the server's problem, not the client's. */
  | { ok: false; reason: 'unavailable'; message: string };

/** Tolerated clock difference with the identity provider, for `exp` and `nbf`. */
const CLOCK_TOLERANCE_S = 5;

export function createJwtVerifier(settings: JwtSettings): (token: string) => Promise<TokenCheck> {
  const keys = createRemoteJWKSet(new URL(settings.JWT_JWKS_URL), { timeoutDuration: 3000 });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.JWT_ISSUER,
        audience: settings.JWT_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (error) {
      return failure(error);
    }
    const role = highestRole(claimAt(payload, settings.JWT_ROLE_CLAIM));
    if (role === null) {
      return {
        ok: false,
        reason: 'no-role',
        message: `The token's claim "${settings.JWT_ROLE_CLAIM}" names none of the roles ${ROLES.join(', ')}.`,
      };
    }
    const name = [payload.name, payload.email, payload.preferred_username].find(
      (v): v is string => typeof v === 'string',
    );
    return {
      ok: true,
      principal: {
        id: `jwt:${payload.sub}`,
        name: name ?? payload.sub!,
        role,
        via: 'jwt',
      },
    };
  };
}

function failure(error: unknown): TokenCheck {
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return {
      ok: false,
      reason: 'unavailable',
      message: 'The identity provider’s keys (JWKS) could not be fetched.',
    };
  }
  if (error instanceof errors.JWTExpired)
    return { ok: false, reason: 'invalid', message: 'The token has expired.' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    return {
      ok: false,
      reason: 'invalid',
      message: `The token's "${error.claim}" claim is not accepted here.`,
    };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return {
      ok: false,
      reason: 'invalid',
      message: 'The token is not signed by a key of the identity provider.',
    };
  }
  // Unreadable tokens, unsupported algorithms and other refusals: the message says no more than "invalid".
  return { ok: false, reason: 'invalid', message: 'The token is not a valid JWT for this server.' };
}

function claimAt(payload: JWTPayload, dottedPath: string): unknown {
  let value: unknown = payload;
  for (const part of dottedPath.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The highest known role in a claim: a role name, a space-separated list (OAuth `scope` style) or an array. */
export function highestRole(claim: unknown): Role | null {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/\s+/) : [];
  let best = -1;
  for (const value of values) best = Math.max(best, ROLES.indexOf(value as Role));
  return best >= 0 ? ROLES[best]! : null;
}
