import { serverAudits } from 'graphql-http';
import { createApp, type App } from '../src/app';
import type { Database } from '../src/db/database';
import { createLogger } from '../src/log';
import { resetDatabase, testDatabase } from './support/database';
import { listen } from './support/http';
import { TEST_CONFIG } from './support/seededApp';

/**
 * graphql-http's audit of the GraphQL-over-HTTP spec. Every MUST and SHOULD passes. The notices that stay
 * come from Apollo's CSRF prevention: it refuses GET and simple-content-type POST requests that lack an
 * `apollo-require-preflight` or `x-apollo-operation-name` header, which the audit's bare requests do not send.
 */
describe('GraphQL over HTTP: the graphql-http audit', () => {
  let db: Database;
  let app: App;
  let url: string;

  beforeAll(async () => {
    db = testDatabase();
    await resetDatabase(db);
    app = await createApp(db, TEST_CONFIG, createLogger('silent'));
    url = `${await listen(app)}/graphql`;
  });

  afterAll(async () => {
    await app?.stop(1000);
    await db?.close();
  });

  it('passes with no errors and no warnings', async () => {
    const results = await Promise.all(serverAudits({ url, fetchFn: fetch }).map((audit) => audit.fn()));
    const failed = results.filter((r) => r.status !== 'ok');
    const report = failed.map((r) => `${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(report.filter((line) => !line.startsWith('notice'))).toEqual([]);
    // The notices are CSRF prevention at work (see above), and nothing else.
    for (const line of report)
      expect(line).toMatch(/^notice .*(GET|application\/x-www-form-urlencoded|Content-Type)/i);
  });
});
