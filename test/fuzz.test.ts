import fc from 'fast-check';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { loadTypeDefs } from '../src/graphql/schema';
import { createLogger } from '../src/log';
import { createApp, type App } from '../src/app';
import type { Database } from '../src/db/database';
import { seededDatabase, testDatabase } from './support/database';
import { listen } from './support/http';
import { problemIn, randomOperation } from './support/randomOperations';
import { TEST_CONFIG } from './support/seededApp';

/**
 * Random operations generated from the schema (fast-check), sent over HTTP to the seeded server: none may
 * get a 5xx, an unmasked internal message or an internal error. A bounded number here; `npm run bench:fuzz`
 * sends 10,000 or more.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

describe('Fuzzing: random operations from the schema', () => {
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
  let db: Database;
  let app: App;
  let baseUrl: string;

  beforeAll(async () => {
    db = testDatabase();
    await seededDatabase(db);
    // A short budget: a random sweep may be slow, and an UNAVAILABLE for it is a fine answer here.
    app = await createApp(
      db,
      { ...TEST_CONFIG, RATE_LIMIT_PER_SECOND: 0, REQUEST_TIMEOUT_MS: 3000 },
      createLogger('silent'),
    );
    baseUrl = await listen(app);
  });

  afterAll(async () => {
    await app?.stop(1000);
    await db?.close();
  });

  it(`answers ${RUNS} random operations with no 5xx, no unmasked message and no internal error`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const { query, variables } = randomOperation(g, schema);
        const res = await fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        const problem = problemIn(res.status, await res.text());
        if (problem) throw new Error(`${problem} for ${query} with ${JSON.stringify(variables)}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 42) },
    );
  });
});
