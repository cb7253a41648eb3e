import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { EmbeddedNeo4jUnavailable, startEmbeddedNeo4j } from '../src/db/embeddedNeo4j';
import { createLogger } from '../src/log';
import { startTestNeo4j } from './support/testNeo4j';

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
    const parent = spawn(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/support/orphanParent.ts'],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const jvmPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
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
    parent.kill('SIGKILL');
  });

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
