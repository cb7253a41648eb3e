import { Worker } from 'node:worker_threads';

/**
 * A watchdog on its own thread, for what the main thread cannot do while its event loop is blocked or gone:
 *
 * - it notices that the process that started us (npm, a shell, a supervisor) has died, even by SIGKILL, and
 *   asks the main thread to stop (npm forwards only SIGINT and SIGTERM; a SIGHUP or a crash of npm would
 *   otherwise leave the server and its JVM running as orphans);
 * - once a stop has begun, it enforces its bound: past `stopBoundMs` it stops the embedded Neo4j's JVM
 *   (SIGTERM, which runs Neo4j's clean shutdown) and kills this process;
 * - once serving, it treats an event loop blocked longer than `stallLimitMs` as a hang. Node delivers
 *   signals to JavaScript on the main thread only, so a blocked loop would hold a SIGTERM back for as long as
 *   it is blocked (27.6 s was measured); no thread can see that signal, so a stall past the bound a stop is
 *   allowed is itself the reason to end the process.
 *
 * The thread writes its last words with a synchronous write to stderr: the main thread may never run again.
 */

export interface StopWatchdogOptions {
  stopBoundMs: number;
  stallLimitMs: number;
  /** Called on the main thread when the parent process has died. */
  onParentGone(): void;
}

export interface StopWatchdog {
  /** A stop has begun (signal, parent gone, Neo4j stopped): from now on, `stopBoundMs` is the limit. */
  stopping(reason: string): void;
  /** The embedded Neo4j's JVM, to be stopped if this process has to be killed; null when none runs. */
  setNeo4jPid(pid: number | null): void;
  /** Start checking the event loop for stalls (after start-up, whose work may legitimately block). */
  serving(): void;
}

// Plain JavaScript, evaluated in the worker: it must not depend on the TypeScript loader of the main thread.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync, writeSync } = require('node:fs');
const { beat, parentPid, stopBoundMs, stallLimitMs } = workerData;
const lastBeat = new BigInt64Array(beat);
let neo4jPid = null;
let deadline = Infinity;
let stopReason = null;
let parentGone = false;

function currentParent() {
  try {
    // Field 4 of /proc/self/stat is the live parent pid (process.ppid is read once at start-up).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try { process.kill(parentPid, 0); return parentPid; } catch { return 1; }
  }
}
function say(level, msg, fields) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  try { writeSync(2, line + '\\n'); } catch {}
}
function end(msg, fields) {
  say('error', msg, fields);
  if (neo4jPid) { try { process.kill(neo4jPid, 'SIGTERM'); } catch {} }
  process.kill(process.pid, 'SIGKILL');
}
parentPort.on('message', (m) => {
  if (m.type === 'neo4jPid') neo4jPid = m.pid;
  if (m.type === 'stopping' && deadline === Infinity) {
    stopReason = m.reason;
    deadline = Date.now() + stopBoundMs;
  }
});
setInterval(() => {
  const now = Date.now();
  if (!parentGone && currentParent() !== parentPid) {
    parentGone = true;
    say('warn', 'The parent process is gone; stopping', { parentPid });
    parentPort.postMessage({ type: 'parentGone' });
    if (deadline === Infinity) { stopReason = 'parent gone'; deadline = now + stopBoundMs; }
  }
  if (now > deadline) {
    end('The stop took longer than its bound; killing the process', { reason: stopReason, boundMs: stopBoundMs });
  }
  const last = Number(Atomics.load(lastBeat, 0));
  if (stallLimitMs > 0 && last > 0 && now - last > stallLimitMs) {
    end('The event loop has been blocked too long to honour a stop within its bound; killing the process', {
      blockedMs: Math.round(now - last), limitMs: stallLimitMs,
    });
  }
}, 100);
`;

/** Starts the watchdog thread. It holds no reference that keeps the process alive. */
export function startStopWatchdog(options: StopWatchdogOptions): StopWatchdog {
  const beat = new SharedArrayBuffer(8);
  const lastBeat = new BigInt64Array(beat);
  const { stopBoundMs, stallLimitMs } = options;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { beat, parentPid: process.ppid, stopBoundMs, stallLimitMs },
    // The worker needs no loader: keep tsx's --import out of its start.
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  worker.on('message', (m: { type: string }) => {
    if (m.type === 'parentGone') options.onParentGone();
  });
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    stopping(reason) {
      // A stop may legitimately keep the loop busy (closing sockets); the deadline bounds it from now on.
      if (heartbeat) clearInterval(heartbeat);
      Atomics.store(lastBeat, 0, 0n);
      worker.postMessage({ type: 'stopping', reason });
    },
    setNeo4jPid(pid) {
      worker.postMessage({ type: 'neo4jPid', pid });
    },
    serving() {
      const now = () => Atomics.store(lastBeat, 0, BigInt(Date.now()));
      now();
      heartbeat = setInterval(now, 200);
      heartbeat.unref();
    },
  };
}
