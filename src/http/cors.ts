import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/**
 * CORS for the GraphQL endpoint, from an allow-list (CORS_ORIGINS: comma-separated origins, `*` in a port
 * or host part as a wildcard, or `*` alone for any origin). Preflight `OPTIONS` requests are answered here
 * (204). Apollo's CSRF prevention stays on regardless: it is what stops simple cross-site requests that a
 * browser sends without asking.
 */
export function createCors(
  allowList: string,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const patterns = allowList
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(originPattern);
  const middleware = cors({
    origin: (origin, callback) =>
      callback(null, origin !== undefined && patterns.some((p) => p.test(origin))),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: [
      'content-type',
      'accept',
      'authorization',
      'x-api-key',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
      'apollographql-client-version',
    ],
    // What a page downloading an export may read: what the file was computed on, and its name.
    exposedHeaders: ['content-disposition', 'x-graph-version', 'x-as-of', 'x-known-as-of', 'retry-after'],
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  /** Resolves true when the request was a preflight and has been answered. */
  return (req, res) =>
    new Promise((resolve, reject) => {
      const preflight = req.method === 'OPTIONS';
      middleware(req, res, (error?: unknown) =>
        error
          ? reject(error instanceof Error ? error : new Error('CORS check failed', { cause: error }))
          : resolve(false),
      );
      // cors() ends preflights itself without calling next.
      if (preflight && res.writableEnded) resolve(true);
    });
}

function originPattern(origin: string): RegExp {
  if (origin === '*') return /^.*$/;
  const escaped = origin.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`, 'i');
}
