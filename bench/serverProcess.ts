/**
 * Not public API: starting our API server (or the peer's) as its own process for a bench, the same way for
 * every bench that loads one (instances.ts, load.ts, peer.ts): node itself with tsx as a loader (so the pid
 * whose RSS or CPU time a bench reads is the server's), on a random port in 41000-49000, pointed at the bench's
 * embedded Neo4j, rate limit off, and waited for until it answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import type { EmbeddedNeo4j } from '../src/db/embeddedNeo4j';

export interface ServerProcess {
  url: string;
  process: ChildProcess;
}

export interface ServerOptions {
  neo4j: EmbeddedNeo4j;
  /** Settings beside the common ones (they override them). */
  env?: Record<string, string>;
  /** The entry to run: our server by default. */
  entry?: string;
  /** Node options before the entry (`--cpu-prof`, …). */
  nodeArgs?: string[];
  /** Another checkout of the project to run (`at:<folder>` sides); this one by default. */
  cwd?: string;
  /** How the server is named in errors. */
  name?: string;
  /** `pipe` (drained) by default; `inherit` shows the server's log. */
  stdout?: 'pipe' | 'inherit';
  /** How readiness is probed: a `{ __typename }` query (default), or GET /readyz (waits for the seed too). */
  ready?: 'graphql' | 'readyz';
  /** The port the entry reads (`PORT`; the peer's server reads `PEER_PORT`). */
  portVariable?: string;
}

export const randomPort = () => 41000 + Math.floor(Math.random() * 8000);

export async function startServerProcess(options: ServerOptions): Promise<ServerProcess> {
  const port = randomPort();
  const name = options.name ?? 'server';
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.entry ?? 'src/server.ts'],
    {
      cwd: options.cwd ? path.resolve(options.cwd) : PROJECT_ROOT,
      env: {
        ...process.env,
        NEO4J_URI: options.neo4j.uri,
        // The embedded Neo4j has authentication on, with its data folder's own password.
        NEO4J_USER: options.neo4j.user,
        NEO4J_PASSWORD: options.neo4j.password,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        [options.portVariable ?? 'PORT']: String(port),
        HOST: '127.0.0.1',
        SEED_ON_EMPTY: 'false',
        RATE_LIMIT_PER_SECOND: '0',
        ...options.env,
      },
      stdio: ['ignore', options.stdout ?? 'pipe', 'inherit'],
    },
  );
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}/graphql`;
  const probe =
    options.ready === 'readyz'
      ? async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok
      : async () => {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          return ((await res.json()) as { data?: unknown }).data !== undefined;
        };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (await probe().catch(() => false)) return { url, process: child };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error(`${name} did not answer in 300 s`);
}
