import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** A JDK found on this machine, with its major version. */
export interface JavaHome {
  home: string;
  major: number;
}

/** The Neo4j release to run on a JDK: the newest needs Java 25; Java 17 to 24 gets the 5.26 LTS. */
export interface Neo4jBuild {
  neo4jVersion: string;
  javaRelease: number;
}

export const NEO4J_CURRENT: Neo4jBuild = { neo4jVersion: '2026.08.1', javaRelease: 25 };
export const NEO4J_LTS: Neo4jBuild = { neo4jVersion: '5.26.30', javaRelease: 17 };

export function neo4jBuildFor(java: JavaHome): Neo4jBuild {
  return java.major >= NEO4J_CURRENT.javaRelease ? NEO4J_CURRENT : NEO4J_LTS;
}

/** Reads a JDK's major version from `java -version` ("17.0.15" → 17, "1.8.0_402" → 8), or null. */
export function javaMajor(home: string): number | null {
  const bin = path.join(home, 'bin', 'java');
  if (!existsSync(bin)) return null;
  const out = spawnSync(bin, ['-version'], { encoding: 'utf8', timeout: 15000 });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!match) return null;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/**
 * Picks the JDK for the embedded Neo4j: the one named by `preferred` (NEO4J_JAVA_HOME) if given, otherwise
 * the newest of JAVA_HOME, the JDKs under the usual install folders and the `java` on PATH, as long as it
 * is 17 or newer. Machines often carry a default Java 17 beside a newer one; the newer one runs the newer Neo4j.
 */
export function findJava(preferred?: string, javaHomeEnv?: string): JavaHome | null {
  if (preferred) {
    const major = javaMajor(preferred);
    return major !== null && major >= 17 ? { home: preferred, major } : null;
  }
  const candidates = new Set<string>();
  if (javaHomeEnv) candidates.add(javaHomeEnv);
  for (const root of ['/usr/lib/jvm', '/usr/java', '/opt/java', '/Library/Java/JavaVirtualMachines']) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root)) {
      const home = path.join(root, name);
      candidates.add(
        existsSync(path.join(home, 'Contents', 'Home')) ? path.join(home, 'Contents', 'Home') : home,
      );
    }
  }
  const onPath = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.add(path.dirname(path.dirname(realpathSync(onPath))));

  let best: JavaHome | null = null;
  for (const home of candidates) {
    const major = javaMajor(home);
    if (major !== null && major >= 17 && (!best || major > best.major)) best = { home, major };
  }
  return best;
}

export function hasMaven(javaHome: string): boolean {
  const out = spawnSync('mvn', ['-v'], {
    encoding: 'utf8',
    env: { ...process.env, JAVA_HOME: javaHome },
    timeout: 30000,
  });
  return out.status === 0;
}
