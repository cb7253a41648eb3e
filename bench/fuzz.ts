/**
 * `npm run bench:fuzz -- --runs 10000`: the fuzz test's property at nightly size, against an embedded Neo4j
 * of its own with the seed loaded. Exits non-zero on the first problem (the message holds the operation).
 * `--log ops.jsonl` appends each operation before it is sent, so an operation that hangs can be found.
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import fc from 'fast-check';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createApp } from '../src/app';
import { createDriver, Database } from '../src/db/database';
import { loadTypeDefs } from '../src/graphql/schema';
import { createLogger } from '../src/log';
import { seededDatabase } from '../test/support/database';
import { listen } from '../test/support/http';
import { problemIn, randomOperation } from '../test/support/randomOperations';
import { startTestNeo4j } from '../test/support/testNeo4j';
import { parseArgs } from './benchDatabase';

const args = parseArgs(process.argv.slice(2), { runs: 10000, seed: Date.now() % 1_000_000, log: '' });

async function main(): Promise<void> {
  const neo4j = await startTestNeo4j();
  const db = new Database(createDriver(neo4j.uri, neo4j.user, neo4j.password), 'neo4j', createLogger('warn'));
  const app = await createApp(
    db,
    { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true, RATE_LIMIT_PER_SECOND: 0 },
    createLogger('silent'),
  );
  try {
    await seededDatabase(db);
    const baseUrl = await listen(app);
    const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
    const counts = { requests: 0, withErrors: 0, status5xx: 0, slowestMs: 0 };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const { query, variables } = randomOperation(g, schema);
        if (args.log)
          appendFileSync(args.log, `${JSON.stringify({ n: counts.requests, query, variables })}\n`);
        const sent = performance.now();
        const res = await fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        const text = await res.text();
        counts.requests++;
        counts.slowestMs = Math.max(counts.slowestMs, Math.round(performance.now() - sent));
        if (res.status >= 500) counts.status5xx++;
        if (text.includes('"errors"')) counts.withErrors++;
        // A line every 1,000 operations: a run cut short (a deadline, a hang) still says how far it got.
        if (counts.requests % 1000 === 0)
          process.stderr.write(
            `${JSON.stringify({ ...counts, seconds: Math.round((performance.now() - started) / 1000), load: loadavg()[0] })}\n`,
          );
        const problem = problemIn(res.status, text);
        if (problem) {
          const message = `${problem} for ${query} with ${JSON.stringify(variables)}`;
          // fast-check's report names the generator's values, not this message: say it here too.
          process.stderr.write(
            `Problem at operation ${counts.requests}: ${message}\nAnswer: ${text.slice(0, 2000)}\n`,
          );
          throw new Error(message);
        }
      }),
      // Shrinking a generator's history is slow and seldom smaller; the message already holds the operation.
      { numRuns: args.runs, seed: args.seed, endOnFailure: true },
    );
    const seconds = Math.round((performance.now() - started) / 1000);
    const rssMb = Math.round(process.memoryUsage().rss / 1e6);
    const summary = {
      ...counts,
      seed: args.seed,
      seconds,
      rssMb,
      problems: 0,
      load: loadavg().map((l) => +l.toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await app.stop(1000);
    await db.close();
    await neo4j.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
