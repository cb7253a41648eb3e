import path from 'node:path';
import { z } from 'zod';

/**
 * The server's settings, read from the environment and validated once at start-up. This module is the only
 * reader of process.env; a wrong value stops the start with a message naming the variable.
 */
const BOLT_SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'];

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const Size = z.string().regex(/^\d+[kmg]$/i, 'must be a size such as 512m or 2g');

const Bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const Port = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const WholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

const Count = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, WholeNumber(min, max).default(fallback));

/** A count whose default depends on other settings (worked out in ConfigSchema's transform). */
const CountOrUnset = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, WholeNumber(min, max).optional());

/** Answers the response cache keeps when RESPONSE_CACHE_ENTRIES is unset and the URI names one server. */
export const RESPONSE_CACHE_DEFAULT_ENTRIES = 10_000;

/**
 * The response cache is on by default against one server (the embedded Neo4j, `bolt://`): there it is exact.
 * Through a routing URI (`neo4j://`, a cluster) it is off unless asked for: the version counter and the
 * request's data may be read on two members, and a lagging one could store an older answer under the newer
 * version (docs/scaling.md).
 */
export function defaultResponseCacheEntries(uri: string | undefined): number {
  return uri?.startsWith('neo4j') ? 0 : RESPONSE_CACHE_DEFAULT_ENTRIES;
}

/** Origins a browser page may call the API from by default: local front-ends and Apollo's hosted Sandbox. */
export const LOCAL_ORIGINS =
  'http://localhost:*,http://127.0.0.1:*,http://[::1]:*,https://studio.apollographql.com,https://sandbox.embed.apollographql.com';

const Settings = z.object({
  NEO4J_URI: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((uri) => BOLT_SCHEMES.some((s) => uri.startsWith(`${s}://`)), {
        message: `must be a Neo4j URI starting with one of ${BOLT_SCHEMES.map((s) => `${s}://`).join(', ')}`,
      })
      .optional(),
  ),
  NEO4J_USER: z.preprocess(emptyToUndefined, z.string().default('neo4j')),
  NEO4J_PASSWORD: z.preprocess(emptyToUndefined, z.string().optional()),
  NEO4J_DATABASE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9.-]{2,62}$/, 'must be a Neo4j database name such as "neo4j"')
      .default('neo4j'),
  ),
  NODE_ENV: z.preprocess(emptyToUndefined, z.string().default('development')),
  // Loopback unless told otherwise: the Docker image sets 0.0.0.0, a laptop should not serve its network.
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyToUndefined, Port.default(4000)),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['auto', 'pretty', 'json']).default('auto')),
  LANDING_PAGE_SANDBOX: z.preprocess(emptyToUndefined, Bool.optional()),
  SEED_ON_EMPTY: z.preprocess(emptyToUndefined, Bool.default(true)),
  SEED_FOLDER: z.preprocess(emptyToUndefined, z.string().default('seed')),
  // Unset: on in development, off in production (NODE_ENV=production).
  GRAPHQL_INTROSPECTION: z.preprocess(emptyToUndefined, Bool.optional()),
  GRAPHQL_SUGGESTIONS: z.preprocess(emptyToUndefined, Bool.optional()),
  CORS_ORIGINS: z.preprocess(emptyToUndefined, z.string().default(LOCAL_ORIGINS)),
  MAX_QUERY_TOKENS: Count(10, 1_000_000, 3000),
  MAX_QUERY_DEPTH: Count(1, 1000, 15),
  MAX_QUERY_ALIASES: Count(0, 100_000, 30),
  MAX_QUERY_DIRECTIVES: Count(0, 100_000, 50),
  MAX_QUERY_COST: Count(1, 100_000_000, 200_000),
  MAX_BODY_BYTES: Count(1024, 1024 ** 3, 1024 * 1024),
  MAX_RESPONSE_BYTES: Count(1024, 1024 ** 3, 8 * 1024 * 1024),
  REQUEST_TIMEOUT_MS: Count(100, 3_600_000, 15_000),
  MAX_SESSIONS_PER_REQUEST: Count(1, 1000, 4),
  READINESS_TIMEOUT_MS: Count(50, 60_000, 2000),
  RATE_LIMIT_PER_SECOND: Count(0, 1_000_000, 50),
  RATE_LIMIT_BURST: Count(1, 1_000_000, 100),
  // Response cache keyed by the graph version counter (src/cache/responseCache.ts): 0 entries turns it off. Unset:
  // on (RESPONSE_CACHE_DEFAULT_ENTRIES) against one server, off through a routing URI (see the transform below).
  RESPONSE_CACHE_ENTRIES: CountOrUnset(0, 10_000_000),
  // Opt-in: reuse the counter read for this long (answers up to this old after another instance's write).
  RESPONSE_CACHE_VERSION_TTL_MS: Count(0, 60_000, 0),
  // Root fields read the levels their selection asks for in one query (src/graphql/lookahead.ts); off: level by level.
  READ_AHEAD: z.preprocess(emptyToUndefined, Bool.default(true)),
  // Read ahead (and search) only the stored properties the fields read (src/graphql/selectedProperties.ts); off: whole.
  READ_AHEAD_PROJECTION: z.preprocess(emptyToUndefined, Bool.default(true)),
  // Sweep cache (src/cache/sweepCache.ts): downstream subgraphs of `coveredEntities`, keyed by the graph version,
  // bounded by records held (entities + edges; ~2M is ~1 GB of heap); 0 turns it off.
  SWEEP_CACHE_MAX_RECORDS: Count(0, 100_000_000, 2_000_000),
  MAX_PAGE_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
  MAX_DEPTH: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(25)),
  // Subgraph exports (npm run export --entity, GET /export/subgraph.*): the deepest walk and the most parties.
  EXPORT_MAX_DEPTH: Count(0, 1000, 10),
  EXPORT_MAX_PARTIES: Count(1, 10_000_000, 10_000),
  SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(10000)),
  EMBEDDED_NEO4J_DATA: z.preprocess(emptyToUndefined, z.string().default('.data/neo4j')),
  EMBEDDED_NEO4J_PORT: z.preprocess(emptyToUndefined, Port.default(7687)),
  EMBEDDED_NEO4J_HEAP: z.preprocess(emptyToUndefined, Size.default('2g')),
  EMBEDDED_NEO4J_PAGECACHE: z.preprocess(emptyToUndefined, Size.default('1g')),
  // Seconds the embedded Neo4j may take to accept connections (a first start on a slow disk, a busy machine).
  EMBEDDED_NEO4J_START_TIMEOUT: Count(10, 86_400, 180),
  NEO4J_JAVA_HOME: z.preprocess(emptyToUndefined, z.string().optional()),
  JAVA_HOME: z.preprocess(emptyToUndefined, z.string().optional()),
  // Keys and roles (src/auth/): hashed keys from a file and/or the environment, optional JWTs, read access.
  API_KEYS_FILE: z.preprocess(emptyToUndefined, z.string().optional()),
  API_KEYS: z.preprocess(emptyToUndefined, z.string().optional()),
  READS_REQUIRE_ROLE: z.preprocess(
    emptyToUndefined,
    z.enum(['none', 'reader'], { message: 'must be none or reader' }).default('none'),
  ),
  JWT_JWKS_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be the URL of a JWKS' }).optional()),
  JWT_ISSUER: z.preprocess(emptyToUndefined, z.string().optional()),
  JWT_AUDIENCE: z.preprocess(emptyToUndefined, z.string().optional()),
  JWT_ROLE_CLAIM: z.preprocess(emptyToUndefined, z.string().default('role')),
  // CSV customer-list upload for screening (POST /screen, src/http/screenUpload.ts): who, and how much.
  SCREEN_UPLOAD_ROLE: z.preprocess(
    emptyToUndefined,
    z.enum(['reader', 'editor'], { message: 'must be reader or editor' }).default('reader'),
  ),
  SCREEN_UPLOAD_MAX_BYTES: Count(1024, 1024 ** 3, 2 * 1024 * 1024),
  SCREEN_UPLOAD_MAX_ROWS: Count(1, 5000, 5000),
  // Watchlists and verdictChanges (src/watch/): sizes of a list, and the work one question may do.
  WATCHLIST_MAX_ENTITIES: Count(1, 100_000, 100),
  WATCHLIST_MAX_POLICIES: Count(1, 1000, 20),
  VERDICT_CHANGES_MAX_CHANGE_SETS: Count(1, 100_000, 200),
  // (change set x watched pair) verdicts computed by one verdictChanges question or one webhook scan.
  VERDICT_CHANGES_MAX_EVALUATIONS: Count(1, 10_000_000, 2000),
  // Webhook delivery (src/watch/webhookWorker.ts): on or off, attempts, back-off base, timeout, polling.
  WEBHOOKS_ENABLED: z.preprocess(emptyToUndefined, Bool.default(true)),
  WEBHOOK_MAX_ATTEMPTS: Count(1, 100, 8),
  WEBHOOK_BASE_DELAY_MS: Count(1, 3_600_000, 2000),
  WEBHOOK_TIMEOUT_MS: Count(100, 120_000, 10_000),
  WEBHOOK_POLL_MS: Count(50, 3_600_000, 10_000),
});

export const ConfigSchema = Settings.superRefine((settings, ctx) => {
  if (!settings.JWT_JWKS_URL) return;
  for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const)
    if (!settings[name])
      ctx.addIssue({ code: 'custom', path: [name], message: 'must be set when JWT_JWKS_URL is' });
}).transform((settings) => {
  const production = settings.NODE_ENV === 'production';
  return {
    ...settings,
    RESPONSE_CACHE_ENTRIES:
      settings.RESPONSE_CACHE_ENTRIES ?? defaultResponseCacheEntries(settings.NEO4J_URI),
    GRAPHQL_INTROSPECTION: settings.GRAPHQL_INTROSPECTION ?? !production,
    GRAPHQL_SUGGESTIONS: settings.GRAPHQL_SUGGESTIONS ?? !production,
  };
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates an environment; throws ConfigError listing every wrong variable and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name} ${issue.message}, got ${JSON.stringify(env[name])}`;
      }),
    );
  }
  return result.data;
}

/** LOG_FORMAT alone, for the logger, which is made before (and even without) the rest of the settings. */
export function logFormatSetting(env: NodeJS.ProcessEnv = process.env): 'auto' | 'pretty' | 'json' {
  const parsed = Settings.shape.LOG_FORMAT.safeParse(env.LOG_FORMAT);
  return parsed.success ? parsed.data : 'auto';
}

/** The project's root folder (where package.json is), for project-local paths. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
