/**
 * Not public API: where a benchmark's CPU goes (issue 15 item 3). With 8 closed-loop clients on 2 cores a
 * request's latency is about clients / throughput, so what decides it is the CPU a request costs, in this
 * process (JavaScript, the driver's I/O, garbage collection) and in the Neo4j JVM. `meterCpu` reads both over a
 * stretch of a run (from /proc; the JVM's as bench/peer.ts reads it); `profileJs` samples this process's
 * JavaScript (the inspector's profiler) and summarises it by package, and `profileJvm` records the JVM with
 * JFR and keeps its hot methods, both while a task runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { round, summary } from './stats';

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null where there is none. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), the 12th and 13th after the command's closing bracket.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU per request over a stretch of a run, this process and the JVM apart. */
export interface CpuPerRequest {
  /** Milliseconds of this process's CPU per request (all its threads). */
  nodeMs: number;
  /** Milliseconds of the Neo4j JVM's CPU per request; null without /proc. */
  jvmMs: number | null;
  /** The 1-minute load average at the end of the stretch (2 shared cores). */
  load: number;
}

/** Starts counting; the function returned ends the stretch and divides by the requests it served. */
export function meterCpu(jvmPid: number): (requests: number) => CpuPerRequest {
  const node0 = process.cpuUsage();
  const jvm0 = cpuSecondsOf(jvmPid);
  return (requests) => {
    const node = process.cpuUsage(node0);
    const jvm1 = cpuSecondsOf(jvmPid);
    const n = Math.max(1, requests);
    return {
      nodeMs: round((node.user + node.system) / 1000 / n, 2),
      jvmMs: jvm0 === null || jvm1 === null ? null : round(((jvm1 - jvm0) * 1000) / n, 2),
      load: round(os.loadavg()[0]!, 2),
    };
  };
}

/** What a sampled profile of this process's JavaScript spent its time in. */
export interface JsProfile {
  sampledMs: number;
  /** Self time by where the code comes from (a package, our folders, the engine), share of `sampledMs`. */
  byOrigin: Array<{ origin: string; percent: number }>;
  /** The functions with the most self time. */
  top: Array<{ fn: string; percent: number }>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function originOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = /\/(src|bench)\/([^/]+)/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]!.replace(/\.ts$/, '')}`;
  if (url.startsWith('node:')) return 'node internals';
  return 'other';
}

/** Runs `task` under the inspector's sampling profiler (100 µs interval) and summarises the samples. */
export async function profileJs(task: () => Promise<unknown>, keep?: string): Promise<JsProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  let stopped: { profile: { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number } };
  try {
    await task();
  } finally {
    stopped = (await session.post('Profiler.stop')) as typeof stopped;
    session.disconnect();
  }
  const { profile } = stopped;
  if (keep) writeFileSync(keep, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfSamples = new Map<number, number>();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byOrigin = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, count] of selfSamples) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + count);
    const fn =
      `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + count);
  }
  const ranked = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, count]) => [name, round((100 * count) / total, 1)] as const);
  return {
    sampledMs: round((profile.endTime - profile.startTime) / 1000, 0),
    byOrigin: ranked(byOrigin, 20).map(([origin, percent]) => ({ origin, percent })),
    top: ranked(byFn, 25).map(([fn, percent]) => ({ fn, percent })),
  };
}

/**
 * Runs `task` while JFR records the JVM (its `profile` settings), then keeps `jfr view hot-methods` and the
 * hottest stack frames grouped by package; null when the JDK's tools are not found next to its `java`.
 */
export async function profileJvm(
  jvmPid: number,
  task: () => Promise<unknown>,
  file: string,
): Promise<{ hotMethods: string; byPackage: Array<{ pkg: string; percent: number }> } | null> {
  let bin: string;
  try {
    bin = path.dirname(readlinkSync(`/proc/${jvmPid}/exe`));
  } catch {
    await task();
    return null;
  }
  const jcmd = path.join(bin, 'jcmd');
  const jfr = path.join(bin, 'jfr');
  rmSync(file, { force: true });
  execFileSync(jcmd, [String(jvmPid), 'JFR.start', 'name=bench', 'settings=profile', `filename=${file}`], {
    stdio: 'ignore',
  });
  try {
    await task();
  } finally {
    execFileSync(jcmd, [String(jvmPid), 'JFR.stop', 'name=bench'], { stdio: 'ignore' });
  }
  const hotMethods = execFileSync(jfr, ['view', '--width', '160', 'hot-methods', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // Each execution sample's top frame, by package (three levels), for a coarser view than single methods.
  const samples = execFileSync(
    jfr,
    ['print', '--events', 'jdk.ExecutionSample', '--stack-depth', '1', file],
    {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  const counts = new Map<string, number>();
  let total = 0;
  for (const match of samples.matchAll(/stackTrace = \[\s*\n\s*([\w.$]+)\./g)) {
    const pkg = match[1]!.split('.').slice(0, 4).join('.');
    counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
    total++;
  }
  const byPackage = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([pkg, n]) => ({ pkg, percent: round((100 * n) / Math.max(1, total), 1) }));
  return { hotMethods, byPackage };
}

/** Calls made from several clients at once in rounds, pooled: every call's latency, and the rounds' CPU. */
export interface PooledRounds {
  clients: number;
  count: number;
  totalMs: ReturnType<typeof summary>;
  perSecond: number;
  /** CPU per call over all rounds (each round's CPU weighted by its calls). */
  cpu: CpuPerRequest;
  rounds: Array<{ totalMs: ReturnType<typeof summary>; perSecond: number; cpu: CpuPerRequest }>;
}

/** Accumulates rounds of `concurrently` into one PooledRounds. */
export function poolRounds(clients: number) {
  const ms: number[] = [];
  let wallMs = 0;
  const rounds: PooledRounds['rounds'] = [];
  const weighted = { node: 0, jvm: 0 as number | null, n: 0 };
  return {
    add(run: { ms: number[]; wallMs: number }, cpu: CpuPerRequest) {
      ms.push(...run.ms);
      wallMs += run.wallMs;
      rounds.push({
        totalMs: summary(run.ms),
        perSecond: round(run.ms.length / (run.wallMs / 1000)),
        cpu,
      });
      weighted.node += cpu.nodeMs * run.ms.length;
      weighted.jvm =
        weighted.jvm === null || cpu.jvmMs === null ? null : weighted.jvm + cpu.jvmMs * run.ms.length;
      weighted.n += run.ms.length;
      return rounds.at(-1)!;
    },
    result(): PooledRounds | null {
      if (ms.length === 0) return null;
      return {
        clients,
        count: ms.length,
        totalMs: summary(ms),
        perSecond: round(ms.length / (wallMs / 1000)),
        cpu: {
          nodeMs: round(weighted.node / weighted.n, 2),
          jvmMs: weighted.jvm === null ? null : round(weighted.jvm / weighted.n, 2),
          load: rounds.at(-1)!.cpu.load,
        },
        rounds,
      };
    },
  };
}
