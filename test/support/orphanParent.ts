/**
 * Started by the launcher test as a separate process: starts an embedded Neo4j in the folder given as its
 * argument (the test deletes it), prints its JVM's pid, then waits to be killed with SIGKILL, so the test can
 * check the JVM does not outlive it.
 */
import { startTestNeo4j } from './testNeo4j';

void startTestNeo4j({ dataDir: process.argv[2]! }).then((neo4j) => {
  process.stdout.write(`JVM_PID ${neo4j.pid}\n`);
  setInterval(() => undefined, 1000);
});
