/**
 * The browser pages this server serves itself: /graphiql, /explore and their bundle under /assets/. Nothing
 * they load comes from another origin (the Content-Security-Policy says so to the browser as well). The
 * bundle is built on first use when missing or stale, so a fresh clone works without a separate step.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../log';
import { BUNDLE_DIR, buildExplorer, bundleIsStale } from './explorerBundle';

const PAGES: Record<string, string> = { '/graphiql': 'graphiql.html', '/explore': 'explore.html' };
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
// GraphiQL and Cytoscape set inline styles; scripts, styles, images and fonts come from here only.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'";

/** True for the paths this module answers; the app routes them to `handleExplorerRoute`. */
export function isExplorerRoute(pathname: string | undefined): pathname is string {
  return pathname !== undefined && (pathname in PAGES || pathname.startsWith('/assets/'));
}

let ready: Promise<void> | null = null;

/** Builds the bundle once per process when it is missing or older than its sources; later calls wait for it. */
export function ensureExplorerBundle(log: Logger): Promise<void> {
  ready ??= (async () => {
    let stale: boolean;
    try {
      stale = bundleIsStale();
    } catch {
      stale = !existsSync(path.join(BUNDLE_DIR, 'explore.js'));
    }
    if (!stale) return;
    log.info('Building the explorer and GraphiQL bundle (esbuild)');
    const { ms, bytes } = await buildExplorer();
    log.info('Built the explorer bundle', { ms, megabytes: Number((bytes / 1e6).toFixed(1)) });
  })().catch((error: unknown) => {
    ready = null;
    throw error;
  });
  return ready;
}

export async function handleExplorerRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  log: Logger,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed');
    return;
  }
  try {
    await ensureExplorerBundle(log);
  } catch (error) {
    log.error('The explorer bundle could not be built', { error: (error as Error).message });
    res
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end('The explorer bundle is not built and building it failed; run `npm run build:explorer`.\n');
    return;
  }
  const name = PAGES[pathname] ?? pathname.slice('/assets/'.length);
  const file = path.join(BUNDLE_DIR, name);
  // Only plain file names of the bundle folder: no sub-folders, no dot files, no way out of it.
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)+$/.test(name) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`No asset ${pathname}`);
    return;
  }
  const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'content-length': statSync(file).size,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    // Pages are small and name the bundle without a hash, so both are revalidated rather than cached blind.
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

/**
 * Once the server listens: builds the bundle if it is stale (so the first visit does not wait) and logs the
 * addresses a person opens, as the last line of the start.
 */
export function announceWhenListening(server: Server, log: Logger): void {
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const base = `http://localhost:${port}`;
    void ensureExplorerBundle(log).then(
      () =>
        log.info(
          `Open ${base}/explore (explorer), ${base}/graphiql (GraphiQL) or ${base}/ (Apollo Sandbox); ` +
            `GraphQL at ${base}/graphql`,
          {
            explore: `${base}/explore`,
            graphiql: `${base}/graphiql`,
            landing: `${base}/`,
            graphql: `${base}/graphql`,
          },
        ),
      (error: unknown) =>
        log.warn(`The explorer bundle could not be built; GraphQL still answers at ${base}/graphql`, {
          error: (error as Error).message,
        }),
    );
  });
}
