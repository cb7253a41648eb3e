import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, loadConfig } from '../../src/config';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { createLogger } from '../../src/log';

/**
 * Temporary folders of the tests are named `exposure-graph-<what>-<pid of the owner>-<random>`, so a run
 * can tell the folders of a run that was interrupted (owner gone) from those of a run still going.
 */
export function testFolder(what: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `exposure-graph-${what}-${process.pid}-`));
}

/** Deletes the temporary folders left by interrupted runs (Ctrl-C skips the global teardown). */
export function removeAbandonedTestFolders(): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(os.tmpdir())) {
    const owner = /^exposure-graph-[a-z0-9]+-(\d+)-[A-Za-z0-9]{6}$/.exec(name)?.[1];
    if (!owner || processExists(Number(owner))) continue;
    rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An embedded Neo4j in a fresh temporary folder, sized for tests; `dispose` also deletes the folder. */
export async function startTestNeo4j(
  options: { port?: number; dataDir?: string } = {},
): Promise<EmbeddedNeo4j & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = options.dataDir ?? testFolder('neo4j');
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir,
    port: options.port ?? 0,
    heap: '1g',
    pageCache: '256m',
    txMemory: '512m',
    // A busy machine may need longer than the default 180 s for a first start: EMBEDDED_NEO4J_START_TIMEOUT.
    startTimeoutMs: loadConfig().EMBEDDED_NEO4J_START_TIMEOUT * 1000,
    // NEO4J_JAVA_HOME=<a JDK 17-24> runs the whole suite on the 5.26 LTS instead of the current release.
    ...(process.env.NEO4J_JAVA_HOME ? { javaHome: process.env.NEO4J_JAVA_HOME } : {}),
    log: createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'warn'),
  }).catch((error: unknown) => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...neo4j,
    dataDir,
    async dispose() {
      await neo4j.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
