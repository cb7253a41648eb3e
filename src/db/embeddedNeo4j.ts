import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { findJava, hasMaven, neo4jBuildFor, type JavaHome, type Neo4jBuild } from './java';

/**
 * Runs the launcher in `neo4j/` (Neo4j Community embedded, with Bolt) as a child process: builds it with
 * Maven on first use, starts it, waits for its ready line, and stops it. The child exits by itself when
 * this process dies (it watches its standard input and its parent), so no JVM outlives us.
 */

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
  /** Resolves with the exit code once the JVM has exited. */
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
      'Building the embedded Neo4j launcher with Maven (first run downloads about 150 MB from Maven Central)',
      {
        neo4jVersion: build.neo4jVersion,
        javaHome: java.home,
        javaMajor: java.major,
      },
    );
    const started = Date.now();
    await run(
      'mvn',
      [
        '-B',
        '-q',
        'package',
        `-Dneo4j.version=${build.neo4jVersion}`,
        `-Dmaven.compiler.release=${build.javaRelease}`,
      ],
      { cwd: launcherDir, env: { ...process.env, JAVA_HOME: java.home } },
    );
    writeFileSync(stamp, new Date().toISOString());
    log.info('Built the embedded Neo4j launcher', { ms: Date.now() - started });
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
  mkdirSync(dataDir, { recursive: true });
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
  ];
  const log = options.log;
  log.info('Starting embedded Neo4j', { neo4jVersion: build.neo4jVersion, dataDir, javaMajor: java.major });
  const child = spawn(path.join(java.home, 'bin', 'java'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
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
          `Embedded Neo4j did not become ready within ${(options.startTimeoutMs ?? 180000) / 1000}s; see ${dataDir}/logs`,
        ),
      );
    }, options.startTimeoutMs ?? 180000);
    const onExit = (code: number | null) => {
      clearTimeout(timeout);
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
          exited,
          stop: () => stop(child, exited),
        });
      }
    });
  });
}

/** SIGTERM runs Neo4j's clean shutdown; after 60 seconds without an exit, SIGKILL. */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
  await exited;
  clearTimeout(timer);
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
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
