import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { PROJECT_ROOT } from '../../src/config';

/**
 * `npm start` as an operator runs it, in a child process, on a given data folder, with free ports; and what
 * a test needs to check it stopped: the pids of the whole process tree (npm, node, the JVM, tsx's esbuild
 * service) taken while it runs, and its ports. Linux only (it reads /proc).
 */

export interface ServerProcess {
  npm: ChildProcess;
  nodePid: number;
  javaPid: number;
  /** Every process of the tree, npm first. */
  pids: number[];
  baseUrl: string;
  httpPort: number;
  bolt: string;
  boltPort: number;
  /** Everything the tree wrote so far (stdout and stderr). */
  output(): string;
}

/**
 * The default: it is also the event-loop stall limit, and building an answer of 10 MB blocks the loop for
 * several seconds on a busy machine.
 */
export const SHUTDOWN_TIMEOUT_MS = 10000;

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const npm = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NEO4J_URI: '',
      NEO4J_PASSWORD: '',
      HOST: '127.0.0.1',
      PORT: '0',
      EMBEDDED_NEO4J_PORT: '0',
      EMBEDDED_NEO4J_DATA: dataDir,
      EMBEDDED_NEO4J_HEAP: '512m',
      EMBEDDED_NEO4J_PAGECACHE: '128m',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = await new Promise<{ port: number; pid: number; bolt: string }>((resolve, reject) => {
    const onData = () => {
      const line = output.split('\n').find((l) => l.includes('GraphQL server ready at'));
      if (!line) return;
      const fields = JSON.parse(line) as { msg: string; pid: number; embeddedNeo4j: string };
      npm.stdout.off('data', onData);
      npm.off('exit', onExit);
      resolve({ port: Number(/:(\d+)\//.exec(fields.msg)![1]), pid: fields.pid, bolt: fields.embeddedNeo4j });
    };
    const onExit = (code: number | null) =>
      reject(new Error(`npm start exited (${code}) before ready:\n${output}`));
    npm.stdout.on('data', onData);
    npm.once('exit', onExit);
  });
  const pids = [npm.pid!, ...descendants(npm.pid!)];
  const javaPid = pids.find(isEmbeddedNeo4j);
  if (!javaPid) throw new Error(`no JVM among the processes of npm start: ${pids.join(', ')}`);
  return {
    npm,
    nodePid: ready.pid,
    javaPid,
    pids,
    baseUrl: `http://127.0.0.1:${ready.port}`,
    httpPort: ready.port,
    bolt: ready.bolt,
    boltPort: Number(new URL(ready.bolt.replace(/^bolt:/, 'http:')).port),
    output: () => output,
  };
}

/** The embedded Neo4j JVMs running under `root` now (a killed one is replaced by a restarted one). */
export function embeddedNeo4jPids(root: number): number[] {
  return descendants(root).filter((pid) => alive(pid) && isEmbeddedNeo4j(pid));
}

function isEmbeddedNeo4j(pid: number): boolean {
  return cmdline(pid).includes('graph.launcher.EmbeddedNeo4j');
}

/** Alive and not a zombie (an exited child its parent has not reaped yet holds nothing). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until every pid is gone; resolves with the milliseconds it took, or null past `ms`. */
export async function waitGone(pids: number[], ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (pids.every((pid) => !alive(pid))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pids.every((pid) => !alive(pid)) ? Date.now() - started : null;
}

/** True when nothing listens on the loopback port any more. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Kills what is left of a tree (a failed test must not leave JVMs behind). */
export function killTree(pids: number[]): void {
  for (const pid of [...pids].reverse()) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while we listed.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function cmdline(pid: number): string {
  const file = `/proc/${pid}/cmdline`;
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
