import { GraphQLError } from 'graphql';

/**
 * Who is asking, and what they may do. Roles are ordered: an admin may do what an editor may, an editor what
 * a reader may. How a request becomes a Principal (API key, JWT, or nobody) lives beside this module; every
 * resolver that needs a role calls `requireRole`.
 */
export const ROLES = ['reader', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Stable id for audit trails: the key's id or the JWT subject; `anonymous` for nobody. */
  id: string;
  /** A human-readable name (the key's label, the token's name or email claim). */
  name: string;
  /** The highest role held, or null for an anonymous client. */
  role: Role | null;
  /** How the client proved who it is. */
  via: 'api-key' | 'jwt' | 'anonymous';
}

export const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', role: null, via: 'anonymous' };

export function hasRole(principal: Principal, needed: Role): boolean {
  return principal.role !== null && ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}

/**
 * Throws UNAUTHENTICATED when an anonymous client asks for something that needs a role, FORBIDDEN when a
 * known client's role is too low; both name the role needed and what was asked (`action`).
 */
export function requireRole(principal: Principal, needed: Role, action: string): void {
  if (hasRole(principal, needed)) return;
  if (principal.role === null) {
    throw new GraphQLError(
      `${action} needs the ${needed} role: send an API key (Authorization: Bearer <key>) or a token that has it.`,
      { extensions: { code: 'UNAUTHENTICATED', requiredRole: needed } },
    );
  }
  throw new GraphQLError(`${action} needs the ${needed} role; this client has the ${principal.role} role.`, {
    extensions: { code: 'FORBIDDEN', requiredRole: needed, role: principal.role },
  });
}
