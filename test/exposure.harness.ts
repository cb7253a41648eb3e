/** Not public API: the app, database and fixture set-up shared by test/exposure*.test.ts and test/lineageAccess*.test.ts. */
import { SEEDING_TIMEOUT_MS } from './support/seededApp';
import path from 'node:path';
import { createApp, type App } from '../src/app';
import type { Database } from '../src/db/database';
import { createLogger } from '../src/log';
import { loadFolder } from '../src/seed/loadDataSet';
import { FIXTURES, seededDatabase, testDatabase } from './support/database';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON in tests */

export const CONFIG = { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true };

/** The fixture data set loaded on top of the seed; every record it writes has an id with one of these prefixes. */
export const FIXTURE_FOLDER = path.join(FIXTURES, 'exposure-cases');
const FIXTURE_PREFIXES = ['org:exposure-', 'person:exposure-', 'src:exposure-', 'policy:exposure-'];

export interface Harness {
  db: Database;
  app: App;
}

/** The curated seed plus the exposure fixtures, and an app over them. */
export async function startHarness(): Promise<Harness> {
  const db = testDatabase();
  await seededDatabase(db);
  await loadFolder(db, FIXTURE_FOLDER);
  const app = await createApp(db, CONFIG, createLogger('silent'));
  return { db, app };
}

/** Deletes exactly what the fixtures wrote (relationships go with their nodes), then closes everything. */
export async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.db.write((query) =>
    query('MATCH (n:Record) WHERE any(p IN $prefixes WHERE n.id STARTS WITH p) DETACH DELETE n', {
      prefixes: FIXTURE_PREFIXES,
    }),
  );
  await h.app.stop(1000);
  await h.db.close();
}

/**
 * For a test file: the harness started in beforeAll and stopped in afterAll. Read `.current` inside tests
 * (it is set once beforeAll has run).
 */
export function useHarness(): { readonly current: Harness } {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, SEEDING_TIMEOUT_MS);
  afterAll(async () => {
    await stopHarness(h);
  });
  return {
    get current() {
      return h;
    },
  };
}

export interface Answer {
  data: any;
  errors: any[] | undefined;
  /** The Cypher queries the request sent, in order. */
  queries: string[];
}

export async function execute(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer> {
  const contextValue = h.app.context();
  const response = await h.app.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
  return {
    data: response.body.singleResult.data,
    errors: response.body.singleResult.errors as any[] | undefined,
    queries: contextValue.queries,
  };
}

/** A successful answer: fails the test with the errors when there are any. */
export async function answer(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer> {
  const result = await execute(h, query, variables);
  expect(result.errors).toBeUndefined();
  return result;
}

/** The first error of a failed request. */
export async function firstError(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<any> {
  const result = await execute(h, query, variables);
  expect(result.errors?.length).toBeGreaterThan(0);
  return result.errors![0];
}

export const ids = (list: Array<{ id: string }>): string[] => list.map((x) => x.id);
