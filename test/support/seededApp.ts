import type { GraphQLFormattedError } from 'graphql';
import { createApp, type App, type AppConfig } from '../../src/app';
import type { Principal } from '../../src/auth/principal';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/log';
import { seededDatabase, testDatabase } from './database';

/** Loading the curated seed takes seconds, but minutes on a machine shared with other test runs. */
export const SEEDING_TIMEOUT_MS = 600_000;

export const TEST_CONFIG = { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true };

export interface Answer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON
  data: any;
  errors: readonly GraphQLFormattedError[] | undefined;
  /** The Cypher queries the request sent. */
  queries: string[];
}

export interface SeededApp {
  readonly db: Database;
  readonly app: App;
  /** Runs an operation (as `principal`, anonymous when none) and gives its answer and the Cypher it sent. */
  execute: (query: string, variables?: Record<string, unknown>, principal?: Principal) => Promise<Answer>;
}

/**
 * For a test file: a test database prepared by `prepare` and one app over it per entry of `configs` (each
 * overriding TEST_CONFIG; registered in beforeAll, closed in afterAll), and a way to run an operation on each
 * and see what it answered and which Cypher it sent. Two apps differing in one setting compare its answers.
 */
export function useAppsOver<K extends string>(
  prepare: (db: Database) => Promise<unknown>,
  configs: Record<K, Partial<AppConfig>>,
): Record<K, SeededApp> {
  let db: Database;
  const apps = new Map<K, App>();
  const names = Object.keys(configs) as K[];
  beforeAll(async () => {
    db = testDatabase();
    await prepare(db);
    for (const name of names)
      apps.set(name, await createApp(db, { ...TEST_CONFIG, ...configs[name] }, createLogger('silent')));
  }, SEEDING_TIMEOUT_MS);
  afterAll(async () => {
    for (const app of apps.values()) await app.stop(1000);
    await db?.close();
  });
  const harness = (name: K): SeededApp => ({
    get db() {
      return db;
    },
    get app() {
      return apps.get(name)!;
    },
    execute: async (query, variables = {}, principal) => {
      const contextValue = apps.get(name)!.context(undefined, principal);
      const response = await apps.get(name)!.apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
      return {
        data: response.body.singleResult.data,
        errors: response.body.singleResult.errors,
        queries: contextValue.queries,
      };
    },
  });
  return Object.fromEntries(names.map((name) => [name, harness(name)])) as Record<K, SeededApp>;
}

/** One app over a test database prepared by `prepare` (see `useAppsOver`); `config` overrides TEST_CONFIG. */
export function useAppOver(
  prepare: (db: Database) => Promise<unknown>,
  config: Partial<AppConfig> = {},
): SeededApp {
  return useAppsOver(prepare, { only: config }).only;
}

/**
 * The curated seed freshly loaded and an app over it (see `useAppOver`); `config` overrides TEST_CONFIG (e.g.
 * a higher MAX_QUERY_COST for a test that reads the whole seed in big pages).
 */
export function useSeededApp(config: Partial<AppConfig> = {}): SeededApp {
  return useAppOver(seededDatabase, config);
}
