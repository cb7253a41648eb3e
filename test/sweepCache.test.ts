import { createSweepCache, DERIVED_PER_GRAPH } from '../src/cache/sweepCache';
import type { Query } from '../src/db/database';
import { bumpGraphVersion } from '../src/queries/graphVersion';
import { fetchDownstream, type DownstreamRoots } from '../src/queries/ownershipSubgraph';
import type { OwnershipGraph } from '../src/reasoning';
import { useSeededApp } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * The sweep cache (src/cache/sweepCache.ts) keeps the downstream subgraph of `coveredEntities` between
 * requests, keyed by the graph version: it may save the fetch, never change an answer. Each case writes
 * records with its own ids (prefix `org:sweep-cache-`) on top of the curated seed and bumps the version
 * as every write path does.
 */

const OFAC_50 = 'policy:ofac-50-percent-rule';
const DAY = '2026-03-01';
const PREFIX = 'org:sweep-cache-';

const SWEEP = `query Sweep($policy: ID!, $asOf: Date, $after: String, $first: Int = 100) {
  coveredEntities(policy: $policy, asOf: $asOf, first: $first, after: $after) {
    totalCount
    edges { node { party { id } verdict share { lower upper } reason } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// Registered before the seeded app's own afterAll, which closes the database: hooks run in this order.
afterAll(async () => {
  await seeded.db?.write((query) =>
    query('MATCH (n:Record) WHERE n.id STARTS WITH $prefix DETACH DELETE n', { prefix: PREFIX }),
  );
});

const seeded = useSeededApp();

let serial = 0;
/** A new organization wholly owned by `ownerId`, written as a write path would: records and the version. */
async function addSubsidiary(ownerId: string): Promise<string> {
  const id = `${PREFIX}${++serial}`;
  await seeded.db.write(async (query) => {
    await query(
      `MATCH (x:Record {id: $ownerId})
       CREATE (o:Record:Organization {id: $id, name: $id, type: 'COMPANY'})
       CREATE (x)-[:OWNS {id: $edge, shareExact: 100.0, sourceIds: []}]->(o)`,
      { ownerId, id, edge: `own:${id.slice(4)}` },
    );
    await bumpGraphVersion(query);
  });
  return id;
}

const summarize = (node: any) => `${node.verdict} ${node.share.lower}-${node.share.upper}: ${node.reason}`;

/** Every page of a sweep, with the Cypher each page's request sent. */
async function sweep(first = 100): Promise<{ verdicts: Map<string, string>; queries: string[][] }> {
  const verdicts = new Map<string, string>();
  const queries: string[][] = [];
  let after: string | null = null;
  do {
    const answer = await seeded.execute(SWEEP, { policy: OFAC_50, asOf: DAY, after, first });
    expect(answer.errors).toBeUndefined();
    const page: any = answer.data.coveredEntities;
    for (const edge of page.edges) verdicts.set(edge.node.party.id, summarize(edge.node));
    queries.push(answer.queries);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { verdicts, queries };
}

const sentDownstreamFetch = (queries: string[]) => queries.some((q) => q.includes('[:OWNS|CONTROLS*0..]->'));

/** A fetch that counts its calls and, if asked, takes a while (so that concurrent misses overlap). */
function countingFetch(delayMs = 0) {
  const calls: DownstreamRoots[] = [];
  const fetch = async (query: Query, roots: DownstreamRoots) => {
    calls.push(roots);
    const graph = await fetchDownstream(query, roots);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return graph;
  };
  return { calls, fetch };
}

/** Roots every case starts from: a designated seed entity of its own, so no other case's write shares them. */
async function designatedRoot(): Promise<DownstreamRoots> {
  const id = `${PREFIX}root-${++serial}`;
  await seeded.db.write(async (query) => {
    await query(`CREATE (:Record:Organization {id: $id, name: $id, type: 'COMPANY'})`, { id });
    await bumpGraphVersion(query);
  });
  return { designated: [id], targets: [], basis: 'HEADQUARTERS' };
}

/** A stand-in transaction that knows only the graph version (for cases whose fetch is a stand-in too). */
const stampOnly = ((cypher: string) =>
  Promise.resolve(
    cypher.includes(':GraphVersion') ? [{ version: 7, changedAt: 'then' }] : [],
  )) as unknown as Query;

describe('Sweep cache: the downstream subgraph kept per graph version', () => {
  it('fetches a subgraph once while the graph version stays the same, and answers the same graph', async () => {
    const roots = await designatedRoot();
    const { calls, fetch } = countingFetch();
    const cache = createSweepCache(1_000_000, fetch)!;
    const first = await seeded.db.read((query) => cache.downstream(query, roots));
    const second = await seeded.db.read((query) => cache.downstream(query, roots));
    expect(calls).toHaveLength(1);
    expect(second).toBe(first);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it('takes the same roots in another order, or repeated, as the same question', async () => {
    const a = await designatedRoot();
    const b = await designatedRoot();
    const { calls, fetch } = countingFetch();
    const cache = createSweepCache(1_000_000, fetch)!;
    const roots = (designated: string[]): DownstreamRoots => ({
      designated,
      targets: ['CN', 'RU'],
      basis: 'EITHER',
    });
    await seeded.db.read((query) => cache.downstream(query, roots([a.designated[0]!, b.designated[0]!])));
    await seeded.db.read((query) =>
      cache.downstream(query, {
        ...roots([b.designated[0]!, a.designated[0]!, b.designated[0]!]),
        targets: ['RU', 'CN'],
      }),
    );
    expect(calls).toHaveLength(1);
  });

  it('reads again after a write bumps the version, and the new graph holds the write', async () => {
    const roots = await designatedRoot();
    const { calls, fetch } = countingFetch();
    const cache = createSweepCache(1_000_000, fetch)!;
    const before = await seeded.db.read((query) => cache.downstream(query, roots));
    const sub = await addSubsidiary(roots.designated[0]!);
    const after = await seeded.db.read((query) => cache.downstream(query, roots));
    expect(calls).toHaveLength(2);
    expect(before.entities.has(sub)).toBe(false);
    expect(after.entities.has(sub)).toBe(true);
    expect(after.ownerships.find((e) => e.ownedId === sub)?.share).toMatchObject({ min: 1, max: 1 });
  });

  it('keeps only the newest version: older graphs are dropped when a newer one is stored', async () => {
    const a = await designatedRoot();
    const b = await designatedRoot();
    const { fetch } = countingFetch();
    const cache = createSweepCache(1_000_000, fetch)!;
    await seeded.db.read((query) => cache.downstream(query, a));
    const one = cache.weight();
    expect(one).toBeGreaterThan(0);
    await addSubsidiary(b.designated[0]!);
    await seeded.db.read((query) => cache.downstream(query, b));
    // b's graph is its root and the new subsidiary; a's graph (of the older version) is gone.
    expect(cache.weight()).toBe(3);
  });

  it('shares one fetch between requests that miss on the same graph at once', async () => {
    // A stand-in transaction and fetch, so that the three requests surely overlap: the fetch waits until all
    // three have asked.
    const query = stampOnly;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const graph: OwnershipGraph = { entities: new Map(), ownerships: [], controls: [] };
    const calls: DownstreamRoots[] = [];
    const cache = createSweepCache(1_000_000, async (_query, roots) => {
      calls.push(roots);
      await gate;
      return graph;
    })!;
    const roots: DownstreamRoots = { designated: ['org:x'], targets: [], basis: 'HEADQUARTERS' };
    const asked = [1, 2, 3].map(() => cache.downstream(query, roots));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const graphs = await Promise.all(asked);
    expect(calls).toHaveLength(1);
    expect(graphs.every((g) => g === graph)).toBe(true);
    expect(cache.stats).toMatchObject({ misses: 3, shared: 2, hits: 0 });
  });

  it('fetches in its own transaction when the fetch it waited for failed', async () => {
    const query = stampOnly;
    const graph: OwnershipGraph = { entities: new Map(), ownerships: [], controls: [] };
    let n = 0;
    const cache = createSweepCache(1_000_000, async () => {
      n++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (n === 1) throw new Error('the first request ran out of time');
      return graph;
    })!;
    const roots: DownstreamRoots = { designated: ['org:x'], targets: [], basis: 'HEADQUARTERS' };
    const [first, second] = await Promise.allSettled([
      cache.downstream(query, roots),
      cache.downstream(query, roots),
    ]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({ status: 'fulfilled', value: graph });
    expect(n).toBe(2);
  });

  it('answers a graph heavier than its bound without keeping it', async () => {
    const roots = await designatedRoot();
    await addSubsidiary(roots.designated[0]!);
    const { calls, fetch } = countingFetch();
    const cache = createSweepCache(2, fetch)!;
    const graph = await seeded.db.read((query) => cache.downstream(query, roots));
    await seeded.db.read((query) => cache.downstream(query, roots));
    expect(graph.entities.size + graph.ownerships.length).toBe(3);
    expect(calls).toHaveLength(2);
    expect(cache.weight()).toBe(0);
    expect(cache.stats.tooLarge).toBe(2);
  });

  it('tells a graph whose version counter restarted (wiped and reloaded) from the one it cached', async () => {
    const roots = await designatedRoot();
    const { calls, fetch } = countingFetch();
    const cache = createSweepCache(1_000_000, fetch)!;
    await seeded.db.read((query) => cache.downstream(query, roots));
    const [row] = await seeded.db.readRows<{ counter: number }>(
      'MATCH (g:GraphVersion) RETURN g.counter AS counter',
    );
    const counter = row!.counter;
    // The same count again, reached after a reload: only the instant of the last bump tells them apart.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const sub = await addSubsidiary(roots.designated[0]!);
    await seeded.db.write((query) => query('MATCH (g:GraphVersion) SET g.counter = $counter', { counter }));
    const graph = await seeded.db.read((query) => cache.downstream(query, roots));
    expect(calls).toHaveLength(2);
    expect(graph.entities.has(sub)).toBe(true);
  });

  it('is off at 0 records', () => {
    expect(createSweepCache(0)).toBeNull();
  });
});

describe('Sweep cache: results derived from a held graph', () => {
  it('keeps a result per key while it holds the graph, and computes it again for another key', async () => {
    const roots = await designatedRoot();
    const cache = createSweepCache(1_000_000)!;
    const graph = await seeded.db.read((query) => cache.downstream(query, roots));
    let computed = 0;
    const compute = (tag: string) => () => ({ tag, n: ++computed });
    const first = cache.derived(graph, 'a', compute('a'));
    expect(cache.derived(graph, 'a', compute('a'))).toBe(first);
    expect(cache.derived(graph, 'b', compute('b'))).toEqual({ tag: 'b', n: 2 });
    expect(cache.stats).toMatchObject({ derivedHits: 1, derivedMisses: 2 });
  });

  it('computes every time for a graph it does not hold, and forgets results with their graph', async () => {
    const roots = await designatedRoot();
    const cache = createSweepCache(1_000_000)!;
    const old = await seeded.db.read((query) => cache.downstream(query, roots));
    let computed = 0;
    cache.derived(old, 'a', () => ++computed);
    await addSubsidiary(roots.designated[0]!);
    const newer = await seeded.db.read((query) => cache.downstream(query, roots));
    expect(newer).not.toBe(old);
    // The older graph is no longer held: asking about it computes, and the newer graph starts empty.
    cache.derived(old, 'a', () => ++computed);
    cache.derived(old, 'a', () => ++computed);
    expect(cache.derived(newer, 'a', () => ++computed)).toBe(4);
    const stranger = { entities: new Map(), ownerships: [], controls: [] };
    expect(cache.derived(stranger, 'a', () => ++computed)).toBe(5);
    expect(cache.stats).toMatchObject({ derivedHits: 0, derivedMisses: 5 });
  });

  it(`keeps at most ${DERIVED_PER_GRAPH} results per graph, the most recently used`, async () => {
    const roots = await designatedRoot();
    const cache = createSweepCache(1_000_000)!;
    const graph = await seeded.db.read((query) => cache.downstream(query, roots));
    for (let i = 0; i <= DERIVED_PER_GRAPH; i++) cache.derived(graph, `k${i}`, () => i);
    // k0 was the least recently used of DERIVED_PER_GRAPH + 1 keys: gone; k1 is still there.
    expect(cache.derived(graph, 'k1', () => -1)).toBe(1);
    expect(cache.derived(graph, 'k0', () => -1)).toBe(-1);
  });
});

describe('coveredEntities through the sweep cache', () => {
  it('reads the subgraph once for every page of a sweep, and answers as the uncached read does', async () => {
    const cached = await sweep();
    expect(cached.verdicts.size).toBeGreaterThan(0);
    // Pages after the first (and the first, if an earlier case left the graph cached) reuse the subgraph.
    for (const queries of cached.queries.slice(1)) expect(sentDownstreamFetch(queries)).toBe(false);

    const uncached = new Map<string, string>();
    const ctx = { ...seeded.app.context(), sweepCache: null };
    let after: string | null = null;
    do {
      const response = await seeded.app.apollo.executeOperation(
        { query: SWEEP, variables: { policy: OFAC_50, asOf: DAY, after } },
        { contextValue: { ...ctx, queries: [] } },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
      const page: any = response.body.singleResult.data!.coveredEntities;
      for (const edge of page.edges) uncached.set(edge.node.party.id, summarize(edge.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect([...cached.verdicts].sort()).toEqual([...uncached].sort());
  });

  it('reasons once per graph version for all pages of a sweep, and again for a what-if or another date', async () => {
    const cache = seeded.app.context().sweepCache!;
    // At least two listed entities, so that a sweep one entity per page has several pages.
    const first = await sweep();
    const [coveredId] = [...first.verdicts].find(([, v]) => v.startsWith('COVERED')) ?? [];
    await addSubsidiary(coveredId!);
    await sweep(); // fills the cache with this version's graph and sweep
    const before = { ...cache.stats };
    const again = await sweep(1);
    expect(again.queries.length).toBe(again.verdicts.size);
    expect(again.queries.length).toBeGreaterThan(1);
    expect(cache.stats.derivedHits - before.derivedHits).toBe(again.queries.length);
    expect(cache.stats.derivedMisses).toBe(before.derivedMisses);

    // A lower threshold, asked at the same graph version, is another question with another answer.
    const lower = await seeded.execute(
      `query($policy: ID!, $asOf: Date) {
        coveredEntities(policy: $policy, asOf: $asOf, first: 1, threshold: 0.01) { totalCount }
      }`,
      { policy: OFAC_50, asOf: DAY },
    );
    expect(lower.errors).toBeUndefined();
    expect(lower.data.coveredEntities.totalCount).toBeGreaterThan(again.verdicts.size);
    const earlier = await seeded.execute(SWEEP, { policy: OFAC_50, asOf: '2019-01-01', after: null });
    expect(earlier.errors).toBeUndefined();
    expect(cache.stats.derivedMisses - before.derivedMisses).toBe(2);
  });

  it('answers a write at once: a new subsidiary of a covered entity is covered in the next sweep', async () => {
    const before = await sweep();
    const [coveredId] = [...before.verdicts].find(([, v]) => v.startsWith('COVERED')) ?? [];
    expect(coveredId).toBeDefined();
    const sub = await addSubsidiary(coveredId!);
    const after = await sweep();
    expect(sentDownstreamFetch(after.queries[0]!)).toBe(true);
    expect(after.verdicts.get(sub)).toMatch(/^COVERED 100-100: /);
    expect(after.verdicts.size).toBe(before.verdicts.size + 1);
  });
});
