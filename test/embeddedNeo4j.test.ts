import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config';
import { passwordFile } from '../src/db/dataFolder';
import { createDriver } from '../src/db/database';
import { EmbeddedNeo4jUnavailable, startEmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { createLogger } from '../src/log';
import { startTestNeo4j, testFolder } from './support/testNeo4j';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return condition();
}

describe('Embedded Neo4j launcher', () => {
  it('starts on a free port, answers Bolt, and exits cleanly on stop', async () => {
    const neo4j = await startTestNeo4j();
    expect(neo4j.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    expect(alive(neo4j.pid)).toBe(true);
    await neo4j.dispose();
    expect(alive(neo4j.pid)).toBe(false);
    // The JVM runs its shutdown hook and exits with 143 (128 + SIGTERM); null would mean it was killed.
    expect([0, 143]).toContain(await neo4j.exited);
  });

  it('leaves no JVM behind when the process that started it is killed', async () => {
    const dataDir = testFolder('orphan');
    const parent = spawn(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/support/orphanParent.ts', dataDir],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await expectJvmToOutliveNoParent(parent);
    } finally {
      parent.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('asks for the data folder password, kept in a file only its owner can read', async () => {
    const uri = process.env.TEST_NEO4J_URI!;
    const dataDir = process.env.TEST_NEO4J_DATA!;
    expect(statSync(passwordFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const wrong = createDriver(uri, 'neo4j', 'not-the-password');
    await expect(wrong.verifyConnectivity()).rejects.toThrow(/authentication failure|unauthorized/i);
    await wrong.close();
    const right = createDriver(uri, 'neo4j', readFileSync(passwordFile(dataDir), 'utf8').trim());
    await expect(right.verifyConnectivity()).resolves.not.toThrow();
    await right.close();
  });

  it('makes `npm run seed` next to a running server load through it, with the folder password', async () => {
    const dataDir = process.env.TEST_NEO4J_DATA!;
    // An empty data set: the load proves the connection (and the password) without adding records.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'aeg-empty-dataset-'));
    writeFileSync(path.join(folder, '00-empty.json'), JSON.stringify({ sources: [] }));
    try {
      const started = Date.now();
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/seed/cli.ts', folder],
        {
          cwd: PROJECT_ROOT,
          env: { ...process.env, NEO4J_URI: '', EMBEDDED_NEO4J_DATA: dataDir, LOG_LEVEL: 'warn' },
        },
      );
      expect(stderr).toContain(`Loading through the running embedded Neo4j at ${process.env.TEST_NEO4J_URI}`);
      expect(stdout).toContain('No changes');
      // No second JVM was started on the locked folder: that would take Neo4j's start time and then fail.
      expect(Date.now() - started).toBeLessThan(30000);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  async function expectJvmToOutliveNoParent(parent: ReturnType<typeof spawn>): Promise<void> {
    const jvmPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /JVM_PID (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      parent.once('exit', () => reject(new Error(`parent exited early: ${out}`)));
    });
    expect(alive(jvmPid)).toBe(true);
    // tsx runs the script in a child node process: that one started the JVM. Kill it as a crash would,
    // giving it no chance to clean up; the JVM must notice on its own.
    const starter = Number(readFileSync(`/proc/${jvmPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    expect(starter).not.toBe(process.pid);
    process.kill(starter, 'SIGKILL');
    expect(await waitUntil(() => !alive(jvmPid), 30000)).toBe(true);
  }

  it('says how to get a database when no JDK can be used', async () => {
    const attempt = startEmbeddedNeo4j({
      projectRoot: PROJECT_ROOT,
      dataDir: '/tmp/never-used',
      port: 0,
      heap: '256m',
      pageCache: '64m',
      javaHome: '/nonexistent/jdk',
      log: createLogger('silent'),
    });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedNeo4jUnavailable);
    await expect(attempt).rejects.toThrow(/NEO4J_JAVA_HOME=\/nonexistent\/jdk is not a JDK 17 or newer/);
    await expect(attempt).rejects.toThrow(/JDK 17 or newer .* and Apache Maven/);
    await expect(attempt).rejects.toThrow(/docker compose up/);
    await expect(attempt).rejects.toThrow(/set NEO4J_URI/);
  });
});
