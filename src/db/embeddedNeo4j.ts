import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { NEO4J_USER, ensurePassword, passwordFile, runningNeo4j } from './dataFolder';
import { findJava, hasMaven, neo4jBuildFor, type JavaHome, type Neo4jBuild } from './java';

/**
 * Runs the launcher in `neo4j/` (Neo4j Community embedded, with Bolt) as a child process: builds it with
 * Maven on first use, starts it, waits for its ready line, and stops it. The child exits by itself when
 * this process dies (it watches its standard input and its parent), so no JVM outlives us. Bolt asks for the
 * data folder's password (see dataFolder.ts).
 */

/** A clean Neo4j stop takes 2 to 4 s; past this bound the JVM is killed (the store recovers at next start). */
export const NEO4J_STOP_TIMEOUT_MS = 20000;

export interface EmbeddedNeo4jOptions {
  projectRoot: string;
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  heap: string;
  pageCache: string;
  txMemory?: string;
  javaHome?: string;
  javaHomeEnv?: string;
  log: Logger;
  startTimeoutMs?: number;
}

export interface EmbeddedNeo4j {
  uri: string;
  version: string;
  pid: number;
  user: string;
  password: string;
  /** The file holding the password (mode 0600), for other clients. */
  passwordFile: string;
  /**
   * Resolves with the exit code once the JVM has exited: 129, 130 or 143 when it was told to stop by SIGHUP,
   * SIGINT or SIGTERM (it ran its clean shutdown), null when it was killed.
   */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** No way to run Neo4j here; the message names the ways out. */
export class EmbeddedNeo4jUnavailable extends Error {
  constructor(reason: string) {
    super(
      `${reason}\nThe server needs a Neo4j database. Any one of these will do:\n` +
        '  1. install a JDK 17 or newer (25+ runs the newest Neo4j) and Apache Maven, then run npm start again;\n' +
        '  2. run `docker compose up` (Neo4j and this server in containers);\n' +
        '  3. set NEO4J_URI (with NEO4J_USER and NEO4J_PASSWORD) to a Neo4j server, cluster or Aura instance.',
    );
    this.name = 'EmbeddedNeo4jUnavailable';
  }
}

/** The data folder is served by a running embedded Neo4j (of `npm start` or `npm run neo4j`). */
export class EmbeddedNeo4jInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly bolt: string,
  ) {
    super(
      `The data folder ${dataDir} is in use by a running Neo4j (pid ${pid}, ${bolt}), started by \`npm start\` ` +
        'or `npm run neo4j`. Either stop it first, or use it:\n' +
        `  NEO4J_URI=${bolt} NEO4J_PASSWORD="$(cat ${passwordFile(dataDir)})" npm run seed`,
    );
    this.name = 'EmbeddedNeo4jInUse';
  }
}

const READY = 'NEO4J_READY ';

export async function startEmbeddedNeo4j(options: EmbeddedNeo4jOptions): Promise<EmbeddedNeo4j> {
  const java = findJava(options.javaHome, options.javaHomeEnv);
  if (!java) {
    throw new EmbeddedNeo4jUnavailable(
      options.javaHome
        ? `NEO4J_JAVA_HOME=${options.javaHome} is not a JDK 17 or newer.`
        : 'No JDK 17 or newer was found (looked at JAVA_HOME, /usr/lib/jvm and the java on PATH).',
    );
  }
  const build = neo4jBuildFor(java);
  const classpath = await ensureLauncherBuilt(options.projectRoot, java, build, options.log);
  return launch(options, java, build, classpath);
}

/** target/<version>/classes plus its lib/ folder; builds with Maven when missing or older than the sources. */
export async function ensureLauncherBuilt(
  projectRoot: string,
  java: JavaHome,
  build: Neo4jBuild,
  log: Logger,
): Promise<string> {
  const launcherDir = path.join(projectRoot, 'neo4j');
  const target = path.join(launcherDir, 'target', build.neo4jVersion);
  const stamp = path.join(target, '.built');
  const sources = [
    path.join(launcherDir, 'pom.xml'),
    path.join(launcherDir, 'src/main/java/graph/launcher/EmbeddedNeo4j.java'),
  ];
  const upToDate = existsSync(stamp) && sources.every((s) => statSync(s).mtimeMs <= statSync(stamp).mtimeMs);
  if (!upToDate) {
    if (!hasMaven(java.home)) {
      throw new EmbeddedNeo4jUnavailable(
        'Apache Maven (mvn) was not found on PATH; it builds the embedded Neo4j launcher.',
      );
    }
    log.info(
      'Building the embedded Neo4j launcher with Maven (first run downloads about 150 MB from Maven Central; ' +
        'later starts reuse it)',
      {
        neo4jVersion: build.neo4jVersion,
        javaHome: java.home,
        javaMajor: java.major,
      },
    );
    const started = Date.now();
    const progress = mavenProgress(log, started);
    try {
      await run(
        'mvn',
        [
          '-B',
          // No -q: its "Downloaded from" lines are counted for the progress lines; the transfer meter is off.
          '--no-transfer-progress',
          'package',
          `-Dneo4j.version=${build.neo4jVersion}`,
          `-Dmaven.compiler.release=${build.javaRelease}`,
        ],
        { cwd: launcherDir, env: { ...process.env, JAVA_HOME: java.home } },
        progress.line,
      );
    } finally {
      progress.stop();
    }
    writeFileSync(stamp, new Date().toISOString());
    log.info('Built the embedded Neo4j launcher', {
      ms: Date.now() - started,
      artifactsDownloaded: progress.downloaded(),
    });
  }
  return [path.join(target, 'classes'), path.join(target, 'lib', '*')].join(path.delimiter);
}

function launch(
  options: EmbeddedNeo4jOptions,
  java: JavaHome,
  build: Neo4jBuild,
  classpath: string,
): Promise<EmbeddedNeo4j> {
  const dataDir = path.resolve(options.projectRoot, options.dataDir);
  // Fail at once rather than after a JVM start and a store-lock error (about 40 s).
  const running = runningNeo4j(dataDir);
  if (running) throw new EmbeddedNeo4jInUse(dataDir, running.pid, running.bolt);
  const password = ensurePassword(dataDir);
  const jvmFlags = [
    `-Xms${options.heap}`,
    `-Xmx${options.heap}`,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
  ];
  if (java.major >= 22) jvmFlags.push('--enable-native-access=ALL-UNNAMED');
  if (java.major >= 24) jvmFlags.push('--sun-misc-unsafe-memory-access=allow');
  const args = [
    ...jvmFlags,
    '-cp',
    classpath,
    'graph.launcher.EmbeddedNeo4j',
    `--data=${dataDir}`,
    `--host=${options.host ?? '127.0.0.1'}`,
    `--port=${options.port}`,
    `--pagecache=${options.pageCache}`,
    `--tx-memory=${options.txMemory ?? '1g'}`,
    // A file, not the password: command lines are visible to every local user.
    `--password-file=${passwordFile(dataDir)}`,
  ];
  const log = options.log;
  log.info('Starting embedded Neo4j', { neo4jVersion: build.neo4jVersion, dataDir, javaMajor: java.major });
  const launched = Date.now();
  // The JVM says nothing until it is ready (20 s to a few minutes on a busy machine): say that it is alive.
  const ticker = setInterval(
    () => log.info(`Neo4j is still starting (${Math.round((Date.now() - launched) / 1000)} s)`),
    15000,
  );
  ticker.unref();
  const child = spawn(path.join(java.home, 'bin', 'java'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => clearInterval(ticker));
  // A crash of this process closes the pipe, and the JVM exits on end of input; this covers a normal exit.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  const stderrTail: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line.trim() || line.startsWith('WARNING:')) continue;
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      log.debug('neo4j stderr', { line });
    }
  });

  return new Promise<EmbeddedNeo4j>((resolve, reject) => {
    let buffer = '';
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `Embedded Neo4j did not become ready within ${(options.startTimeoutMs ?? 180000) / 1000}s ` +
            `(EMBEDDED_NEO4J_START_TIMEOUT, in seconds); see ${dataDir}/logs`,
        ),
      );
    }, options.startTimeoutMs ?? 180000);
    const onExit = (code: number | null) => {
      clearTimeout(timeout);
      clearInterval(ticker);
      const lock = stderrTail.some((l) => /lock|FileLockException/i.test(l));
      const why = lock
        ? `its data folder ${dataDir} is in use by another Neo4j (stop it, or set EMBEDDED_NEO4J_DATA)`
        : `exit code ${code}: ${stderrTail.slice(-5).join(' | ') || 'no output'}`;
      reject(new Error(`Embedded Neo4j stopped before it was ready (${why}); see ${dataDir}/logs`));
    };
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith(READY)) continue;
        clearTimeout(timeout);
        clearInterval(ticker);
        child.removeListener('exit', onExit);
        const ready = JSON.parse(line.slice(READY.length)) as {
          bolt: string;
          version: string;
          startMillis: number;
        };
        log.info('Embedded Neo4j is ready', {
          uri: ready.bolt,
          version: ready.version,
          ms: ready.startMillis,
        });
        resolve({
          uri: ready.bolt,
          version: ready.version,
          pid: child.pid!,
          user: NEO4J_USER,
          password,
          passwordFile: passwordFile(dataDir),
          exited,
          stop: () => stop(child, exited),
        });
      }
    });
  });
}

/** SIGTERM runs Neo4j's clean shutdown; past NEO4J_STOP_TIMEOUT_MS without an exit, SIGKILL. */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), NEO4J_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Progress of a Maven build from its output: artifacts downloaded so far (and their size), the phase it is in,
 * logged every 10 seconds while something changed. Maven does not announce how many artifacts a resolution
 * will fetch, so the total shown is the count of artifacts asked for so far ("Downloading from").
 */
function mavenProgress(log: Logger, started: number) {
  let asked = 0;
  let downloaded = 0;
  let kilobytes = 0;
  let phase = 'resolving dependencies';
  let reported = '';
  const SIZE = /\((\d+(?:\.\d+)?) (B|kB|MB)/;
  const timer = setInterval(() => {
    const now = `${downloaded}/${asked} ${phase}`;
    if (now === reported) return;
    reported = now;
    log.info(
      `Maven: ${downloaded} of ${asked} artifacts downloaded (${(kilobytes / 1024).toFixed(1)} MB), ${phase}`,
      {
        seconds: Math.round((Date.now() - started) / 1000),
      },
    );
  }, 10000);
  timer.unref();
  return {
    line: (text: string) => {
      if (text.includes('Downloading from')) asked++;
      else if (text.includes('Downloaded from')) {
        downloaded++;
        const size = SIZE.exec(text);
        if (size) kilobytes += Number(size[1]) * (size[2] === 'MB' ? 1024 : size[2] === 'B' ? 1 / 1024 : 1);
      } else if (/--- (maven-)?compiler/.test(text)) phase = 'compiling the launcher';
      else if (/--- (maven-)?dependency/.test(text)) phase = 'copying the Neo4j libraries';
    },
    downloaded: () => downloaded,
    stop: () => clearInterval(timer),
  };
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  onLine: (line: string) => void = () => undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}
