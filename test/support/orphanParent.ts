/**
 * Started by the launcher test as a separate process: starts an embedded Neo4j, prints its JVM's pid,
 * then waits to be killed with SIGKILL, so the test can check the JVM does not outlive it.
 */
import { startTestNeo4j } from './testNeo4j';

void startTestNeo4j().then((neo4j) => {
  process.stdout.write(`JVM_PID ${neo4j.pid}\n`);
  setInterval(() => undefined, 1000);
});
