import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import {
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  BREAK,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import type { Context } from '../graphql/context';
import { readGraphVersion } from '../queries/graphVersion';

/**
 * A response cache that is exact because it is keyed by the graph version counter
 * (src/queries/graphVersion.ts), which every write bumps in its own transaction: an answer is stored under the
 * version read before it was computed, so once a write commits, every request that starts afterwards reads a
 * newer version and can no longer find an answer computed before the write. Any number of API instances may
 * keep their own cache over one Neo4j: none needs to hear of another's writes.
 *
 * What it costs: one small read of the counter per query (the counter node, one index seek), instead of the
 * request's own reads; requests that arrive together share it (SharedVersionReads), staying exact. With RESPONSE_CACHE_VERSION_TTL_MS > 0 (opt-in) an instance reuses the counter it read
 * for that long, saving that round trip too, at the price of answers up to that old after a write through
 * another instance (a mutation through this instance forgets the counter at once, so its own client reads its
 * write).
 *
 * The key is the version, the query text, the operation name, the variables, the day a question without
 * `asOf` is answered for, and who asks (role and id: what a principal may see can differ). Only whole
 * successful answers are stored: an answer with errors (a budget that ran out, bad input) is never cached.
 *
 * A few fields read state that changes without a write of records, so without a new version: those
 * questions are never cached (UNVERSIONED_FIELDS).
 */

/**
 * Fields whose answers change without the graph version moving: webhook deliveries are written by the
 * delivery worker after each attempt, and the import review list by imports and by an editor's decision. Bumping
 * the version for those would throw away every cached answer (and the sweep cache) for no change of a fact.
 */
export const UNVERSIONED_FIELDS: ReadonlySet<string> = new Set([
  'Watchlist.deliveries',
  'Query.importReview',
]);

/** Whether an operation's document selects one of UNVERSIONED_FIELDS (anywhere, fragments included). */
export function selectsUnversionedField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && UNVERSIONED_FIELDS.has(`${parent.name}.${node.name.value}`)) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return found;
}

/**
 * Stored answers are weighed by their JSON length; the whole cache stays under this many characters (a few
 * hundred MB of heap at most, since the cache is on by default), and an answer over an eighth of it (a sweep
 * of a large graph) is not stored, so one answer cannot push out hundreds of small ones.
 */
const MAX_CACHED_CHARS = 64 * 1024 * 1024;
const MAX_ENTRY_CHARS = MAX_CACHED_CHARS / 8;

type CacheSettings = Pick<Config, 'RESPONSE_CACHE_ENTRIES' | 'RESPONSE_CACHE_VERSION_TTL_MS'>;

interface Stored {
  data: Record<string, unknown>;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stored: number;
}

/**
 * Reads of the version counter shared by requests that arrive together, exactly: a request that arrives while
 * no read is in flight starts one; one that arrives while a read is in flight does not join it (it may have
 * begun before a write this request must see) but joins the next, which starts as soon as that one ends. Every
 * request is then answered by a read that began after it arrived, so it sees every write committed before it
 * arrived, and however many hits arrive at once, at most two reads are in flight or waiting: 32 concurrent
 * hits share two round trips instead of sending 32.
 *
 * The next read runs through the session of the first request that joined it; if that read fails (that
 * request's time ran out, the database is down), every request that joined it is answered uncached.
 */
export class SharedVersionReads {
  private inFlight = false;
  private next: {
    read: () => Promise<number>;
    answer: Promise<number>;
    settle: (read: Promise<number>) => void;
  } | null = null;

  /** The version as read by a read that begins now, or as soon as the read in flight ends. */
  read(read: () => Promise<number>): Promise<number> {
    if (!this.inFlight) return this.start(read);
    if (!this.next) {
      let settle!: (read: Promise<number>) => void;
      const answer = new Promise<number>((resolve) => (settle = resolve));
      this.next = { read, answer, settle };
    }
    return this.next.answer;
  }

  private start(read: () => Promise<number>): Promise<number> {
    this.inFlight = true;
    // A read that throws instead of returning a promise still ends, so the next can start.
    const version = new Promise<number>((resolve) => resolve(read()));
    const ended = () => {
      this.inFlight = false;
      const next = this.next;
      this.next = null;
      if (next) next.settle(this.start(next.read));
    };
    version.then(ended, ended);
    return version;
  }
}

export function responseCachePlugin(
  settings: Partial<CacheSettings>,
): ApolloServerPlugin<Context> & { stats: ResponseCacheStats } {
  const entries = settings.RESPONSE_CACHE_ENTRIES ?? 0;
  const ttlMs = settings.RESPONSE_CACHE_VERSION_TTL_MS ?? 0;
  const stats: ResponseCacheStats = { hits: 0, misses: 0, stored: 0 };
  if (entries === 0) return { stats };

  const cache = new LRUCache<string, Stored>({
    max: entries,
    maxSize: MAX_CACHED_CHARS,
    maxEntrySize: MAX_ENTRY_CHARS,
    sizeCalculation: (_value, key) => key.length,
  });
  // The last version read, for the opt-in TTL; a read in flight is shared only in TTL mode (without it, a read
  // that began before a request began could predate a write that request must see).
  let remembered: { version: Promise<number>; readAt: number } | null = null;
  // Whether each query text selects an unversioned field, so a document is walked once, not per request.
  const unversioned = new LRUCache<string, boolean>({ max: 1000 });
  const isUnversioned = (
    queryHash: string | undefined,
    schema: GraphQLSchema,
    document: DocumentNode,
  ): boolean => {
    if (queryHash === undefined) return selectsUnversionedField(schema, document);
    let known = unversioned.get(queryHash);
    if (known === undefined) {
      known = selectsUnversionedField(schema, document);
      unversioned.set(queryHash, known);
    }
    return known;
  };

  const versionReads = new SharedVersionReads();
  const versionFor = (ctx: Context): Promise<number> => {
    if (ttlMs <= 0) return versionReads.read(() => ctx.db.readAlone(readGraphVersion));
    const now = performance.now();
    if (remembered && now - remembered.readAt < ttlMs) return remembered.version;
    const version = ctx.db.readAlone(readGraphVersion);
    remembered = { version, readAt: now };
    version.catch(() => (remembered = null));
    return version;
  };

  return {
    stats,
    requestDidStart(): Promise<GraphQLRequestListener<Context>> {
      let key: string | null = null;
      let mutation = false;
      return Promise.resolve({
        async responseForOperation(rc) {
          if (rc.operation.operation !== OperationTypeNode.QUERY) {
            mutation = rc.operation.operation === OperationTypeNode.MUTATION;
            return null;
          }
          if (isUnversioned(rc.queryHash, rc.schema, rc.document)) return null;
          const ctx = rc.contextValue;
          // An operation run without a request's context (Apollo's executeOperation with none) has no database
          // to read the version from: it is answered uncached.
          if (!(ctx as Partial<Context> | undefined)?.db) return null;
          // A counter that cannot be read (the database is down, the budget ended) leaves the answer uncached:
          // the request's own reads then meet the same problem and report it as they always do.
          const version = await versionFor(ctx).catch(() => null);
          if (version === null) return null;
          key = JSON.stringify([
            version,
            rc.queryHash,
            rc.operationName ?? null,
            rc.request.variables ?? {},
            ctx.today,
            ctx.principal.role,
            ctx.principal.id,
          ]);
          const hit = cache.get(key);
          if (!hit) {
            stats.misses++;
            return null;
          }
          stats.hits++;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: hit },
          };
        },
        willSendResponse(rc) {
          if (mutation) remembered = null;
          if (key === null || rc.response.body.kind !== 'single') return Promise.resolve();
          const result = rc.response.body.singleResult;
          if (!result.errors && result.data && !cache.has(key)) {
            const size = key.length + JSON.stringify(result.data).length;
            if (size <= MAX_ENTRY_CHARS) {
              cache.set(key, { data: result.data }, { size });
              stats.stored++;
            }
          }
          return Promise.resolve();
        },
      });
    },
  };
}
