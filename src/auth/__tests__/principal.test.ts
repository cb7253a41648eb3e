import { GraphQLError } from 'graphql';
import { ANONYMOUS, hasRole, requireRole, type Principal } from '../principal';

const editor: Principal = { id: 'key:1', name: 'alice', role: 'editor', via: 'api-key' };

function errorOf(work: () => void): GraphQLError {
  try {
    work();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

describe('roles', () => {
  it('orders reader < editor < admin', () => {
    expect(hasRole(editor, 'reader')).toBe(true);
    expect(hasRole(editor, 'editor')).toBe(true);
    expect(hasRole(editor, 'admin')).toBe(false);
    expect(hasRole(ANONYMOUS, 'reader')).toBe(false);
  });

  it('answers an anonymous client UNAUTHENTICATED, naming the role and the action', () => {
    const error = errorOf(() => requireRole(ANONYMOUS, 'editor', 'recordStake'));
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', requiredRole: 'editor' });
    expect(error.message).toContain('recordStake needs the editor role');
  });

  it('answers a client whose role is too low FORBIDDEN, naming both roles', () => {
    const error = errorOf(() => requireRole(editor, 'admin', 'createApiKey'));
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'admin', role: 'editor' });
    expect(() => requireRole(editor, 'editor', 'recordStake')).not.toThrow();
  });
});
