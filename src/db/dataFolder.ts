import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What an embedded Neo4j data folder holds besides Neo4j's own store: the password of its user `neo4j`
 * (generated on first use, readable by its owner alone) and `running.json`, which the launcher writes while a
 * JVM serves the folder, so a second start can fail at once instead of waiting on Neo4j's store lock.
 */

export const NEO4J_USER = 'neo4j';

export function passwordFile(dataDir: string): string {
  return path.join(dataDir, 'password');
}

/**
 * The folder's password, created with 32 random bytes on first use. The folder is made private (0700) and the
 * file 0600: on a shared machine, loopback alone lets any local user reach Bolt.
 */
export function ensurePassword(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ((statSync(dataDir).mode & 0o077) !== 0) chmodSync(dataDir, 0o700);
  const file = passwordFile(dataDir);
  if (!existsSync(file)) {
    // 'wx': if two starts race, one creates the file and the other reads it below.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const password = readFileSync(file, 'utf8').trim();
  if (password.length === 0)
    throw new Error(`The password file ${file} is empty; delete it to get a new one.`);
  return password;
}

/** The password of a folder that has one, for clients of an already running embedded Neo4j; else null. */
export function readPassword(dataDir: string): string | null {
  const file = passwordFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

export interface RunningNeo4j {
  pid: number;
  bolt: string;
}

/**
 * The launcher that serves this folder now, or null. A `running.json` left by a JVM that was killed names a
 * dead pid (or, after a reboot, a pid now used by something else) and counts as absent.
 */
export function runningNeo4j(dataDir: string): RunningNeo4j | null {
  const file = path.join(dataDir, 'running.json');
  if (!existsSync(file)) return null;
  let running: RunningNeo4j;
  try {
    running = JSON.parse(readFileSync(file, 'utf8')) as RunningNeo4j;
  } catch {
    return null;
  }
  return isLauncher(running.pid) ? running : null;
}

function isLauncher(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's; that is still a JVM holding the folder.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  // Where /proc exists, make sure the pid was not reused by an unrelated process.
  return existsSync('/proc/self') ? readCmdline(cmdline).includes('graph.launcher.EmbeddedNeo4j') : true;
}

function readCmdline(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
