import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { createLogger } from '../../src/log';

/** An embedded Neo4j in a fresh temporary folder, sized for tests; `stop` also deletes the folder. */
export async function startTestNeo4j(
  options: { port?: number; dataDir?: string } = {},
): Promise<EmbeddedNeo4j & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'exposure-graph-neo4j-'));
  const neo4j = await startEmbeddedNeo4j({
    projectRoot: PROJECT_ROOT,
    dataDir,
    port: options.port ?? 0,
    heap: '1g',
    pageCache: '256m',
    txMemory: '512m',
    // NEO4J_JAVA_HOME=<a JDK 17-24> runs the whole suite on the 5.26 LTS instead of the current release.
    ...(process.env.NEO4J_JAVA_HOME ? { javaHome: process.env.NEO4J_JAVA_HOME } : {}),
    log: createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'warn'),
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
