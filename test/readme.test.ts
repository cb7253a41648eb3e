import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../src/app';
import { PROJECT_ROOT } from '../src/config';
import type { Database } from '../src/db/database';
import { createLogger } from '../src/log';
import { seededDatabase, testDatabase } from './support/database';

/** Every GraphQL block the README shows runs against the curated seed and answers without errors. */
const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README queries', () => {
  let db: Database;
  let app: App;

  beforeAll(async () => {
    db = testDatabase();
    await seededDatabase(db);
    app = await createApp(db, { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true }, createLogger('silent'));
  });

  afterAll(async () => {
    await app.stop(1000);
    await db.close();
  });

  it('shows at least the six questions of the README', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  it.each(blocks.map((query, i) => ({ i, query, first: query.split('\n').find((l) => /\w/.test(l) && !/^\s*\{\s*$/.test(l))!.trim() })))(
    'answers block $i ($first) with data and no errors',
    async ({ query }) => {
      const response = await app.apollo.executeOperation({ query }, { contextValue: app.context() });
      const result = response.body.kind === 'single' ? response.body.singleResult : null;
      expect(result?.errors).toBeUndefined();
      const data = JSON.stringify(result?.data);
      // A top-level lookup that found nothing means the README names an id the seed does not have.
      expect(data).not.toMatch(/"(organization|model|policy|deepseek|alibabaCloud|anthropic)":null/);
      expect(data.length).toBeGreaterThan(200);
    },
  );
});
