/**
 * Not public API: a deterministic synthetic ownership graph for the benchmarks, in the storage format the app
 * reads (see src/seed/storage.ts), and its loader. Run alone with `npm run bench:generate -- --size 100000`.
 *
 * Shape, chosen to look like corporate registers rather than a random graph: entities come in corporate
 * groups whose sizes are Pareto-distributed (alpha 1.2: most groups are one to five companies, a few have
 * thousands); inside a group each company's main owner is picked by preferential attachment (heavy-tailed
 * out-degrees), a second in-group owner makes diamonds, and investment funds, also picked preferentially, take
 * minority stakes across groups (the hubs of real registers). On top: chains 10-15 deep, "diamond ladders"
 * (k stacked diamonds give 2^k root-to-bottom paths: the case where path enumeration explodes), 2-5 company
 * cross-holding cycles, about 10% range shares and 5% unknown shares, dated and ended stakes, a few CONTROLS
 * edges (VIE contracts), CN/RU headquarters on a few percent of groups, and a handful of designations.
 */
import type { Database } from '../src/db/database';

export const GENERATOR_VERSION = 1;
export const BENCH_POLICY_ID = 'policy:bench-50';
export const BENCH_AS_OF = '2025-06-30';
export const BENCH_TARGETS = ['CN', 'RU'];

type Props = Record<string, string | number | boolean | string[]>;
export interface NodeRow {
  label: 'Organization' | 'Person';
  props: Props;
}
export interface EdgeRow {
  from: string;
  to: string;
  props: Props;
}

export interface GeneratedGraph {
  size: number;
  seed: number;
  nodes: NodeRow[];
  owns: EdgeRow[];
  controls: EdgeRow[];
  designations: EdgeRow[];
  policy: Props;
  /** Entities worth sampling: the bottoms of diamond ladders, ends of long chains, members of cycles. */
  samples: { diamond: string[]; chain: string[]; cycle: string[] };
}

/** sfc32: small, fast, and identical on every platform, so a seed always gives the same graph. */
/**
 * Draws the next kind of line of a generated file in proportion to how many of each are left, and counts it
 * off: the kinds come out mixed, and in the end exactly as many of each as asked. `order` is the order the
 * shares are laid out in (the last one takes what rounding leaves).
 */
export function drawKind<K extends string>(
  left: Record<K, number>,
  order: readonly K[],
  random: () => number,
): K {
  let r = random() * order.reduce((sum, k) => sum + left[k], 0);
  let kind = order[order.length - 1]!;
  for (const k of order) {
    if (r < left[k]) {
      kind = k;
      break;
    }
    r -= left[k];
  }
  left[kind]--;
  return kind;
}

export function prng(seed: number): () => number {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const OTHER_COUNTRIES = [
  'US',
  'US',
  'US',
  'GB',
  'GB',
  'DE',
  'FR',
  'NL',
  'JP',
  'SG',
  'HK',
  'IN',
  'CA',
  'CH',
  'IE',
  'KR',
  'AU',
  'BR',
  'SE',
  'IL',
];
const OFFSHORE = ['KY', 'BM', 'VG', 'LU'];

export function generateOwnershipGraph(size: number, seed = 42): GeneratedGraph {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const round2 = (x: number) => Math.round(x * 100) / 100;

  const nodes: NodeRow[] = [];
  const owns: EdgeRow[] = [];
  const controls: EdgeRow[] = [];
  const samples: GeneratedGraph['samples'] = { diamond: [], chain: [], cycle: [] };
  /** Percent already attributed to owners of each entity, so shares of one entity never exceed 100%. */
  const allocated = new Map<string, number>();
  const ownerPairs = new Set<string>();

  const personCount = Math.round(size * 0.1);
  const persons: string[] = [];
  for (let i = 0; i < personCount; i++) {
    const id = `person:bench-${i}`;
    persons.push(id);
    const residence = rand() < 0.03 ? pick(BENCH_TARGETS) : pick(OTHER_COUNTRIES);
    nodes.push({
      label: 'Person',
      props: { id, name: `Person ${i}`, residence, nationality: residence, sourceIds: ['source:bench'] },
    });
  }
  let orgCount = 0;
  const newOrg = (country: string): string => {
    const id = `org:bench-${orgCount}`;
    const props: Props = {
      id,
      name: `Company ${orgCount}`,
      type: 'COMPANY',
      headquarters: country,
      sourceIds: ['source:bench'],
    };
    if (rand() < 0.06) props.incorporation = pick(OFFSHORE);
    else props.incorporation = country;
    nodes.push({ label: 'Organization', props });
    orgCount++;
    return id;
  };

  /** BODS-style share properties for a true share x (percent): exact, a band, a min/max range or unknown. */
  const shareProps = (x: number): Props => {
    const u = rand();
    if (u < 0.05) return { shareUnknown: true };
    if (u < 0.1) {
      const bands = [0, 5, 25, 50, 75, 100];
      let k = 0;
      while (k < bands.length - 2 && x > bands[k + 1]!) k++;
      return { shareExclusiveMinimum: bands[k]!, shareMaximum: bands[k + 1]! };
    }
    if (u < 0.15) {
      const lo = Math.max(0, Math.floor(x / 5) * 5 - 5);
      return { shareMinimum: lo, shareMaximum: Math.min(100, lo + 15) };
    }
    return { shareExact: round2(x) };
  };
  const dateProps = (): Props => {
    const u = rand();
    if (u < 0.04)
      return {
        startDate: `${int(2005, 2014)}-0${int(1, 9)}-15`,
        endDate: `${int(2015, 2024)}-0${int(1, 9)}-30`,
      };
    if (u < 0.05) return { startDate: `2026-0${int(1, 9)}-01` };
    if (u < 0.13) return { startDate: `${int(2005, 2024)}-0${int(1, 9)}-01` };
    return {};
  };
  /** Adds owner -> owned with at most `want` percent (less when the owned entity is nearly fully attributed). */
  const own = (owner: string, owned: string, want: number, plain = false): boolean => {
    const key = `${owner}>${owned}`;
    if (owner === owned || ownerPairs.has(key)) return false;
    const free = 100 - (allocated.get(owned) ?? 0);
    const x = Math.min(want, free);
    if (x < 0.5) return false;
    ownerPairs.add(key);
    allocated.set(owned, 100 - free + x);
    const props: Props = {
      id: `owns:bench-${owns.length}`,
      ...(plain ? { shareExact: round2(x) } : { ...shareProps(x), ...dateProps() }),
      sourceIds: ['source:bench'],
    };
    owns.push({ from: owner, to: owned, props });
    return true;
  };

  // Preferential attachment over funds: each fund appears once plus once per stake it holds.
  const fundPool: string[] = [];
  const funds: string[] = [];
  const groupTops: string[] = [];
  const country = () => {
    const u = rand();
    return u < 0.025 ? 'CN' : u < 0.035 ? 'RU' : pick(OTHER_COUNTRIES);
  };
  const ownByPersons = (org: string) => {
    const k = int(1, 3);
    let left = 100;
    for (let i = 0; i < k && left > 1; i++) {
      const x = i === k - 1 ? left : left * (0.3 + 0.6 * rand());
      if (own(pick(persons), org, x)) left -= x;
    }
  };

  const orgTarget = size - personCount;
  while (orgCount < orgTarget) {
    const kind = rand();
    const room = orgTarget - orgCount;
    if (kind < 0.006 && room >= 60) {
      // Diamond ladder: top -> rung 1 -> ... -> rung L -> bottom, each rung of 2-3 companies owning an equal
      // part of every company of the next rung: width^L paths from top to bottom.
      const levels = int(8, 16);
      const width = int(2, 3);
      const c = rand() < 0.6 ? pick(BENCH_TARGETS) : pick(OTHER_COUNTRIES);
      const top = newOrg(c);
      if (c !== 'CN' && c !== 'RU') ownByPersons(top);
      groupTops.push(top);
      let above = [top];
      for (let l = 0; l < levels; l++) {
        const rung = Array.from({ length: width }, () => newOrg(pick(OTHER_COUNTRIES)));
        for (const below of rung)
          for (const a of above) own(a, below, above.length === 1 ? 60 : 100 / width, true);
        above = rung;
      }
      const bottom = newOrg(pick(OTHER_COUNTRIES));
      for (const a of above) own(a, bottom, 100 / width, true);
      samples.diamond.push(bottom);
      // A few subsidiaries below the ladder are diamond-rich too.
      let parent = bottom;
      for (let i = int(1, 4); i > 0; i--) {
        const sub = newOrg(pick(OTHER_COUNTRIES));
        own(parent, sub, int(51, 100));
        samples.diamond.push(sub);
        parent = sub;
      }
    } else if (kind < 0.03 && room >= 20) {
      // Long chain: each link owns a majority of the next.
      const length = int(10, 15);
      const c = country();
      let prev = newOrg(c);
      ownByPersons(prev);
      groupTops.push(prev);
      for (let i = 0; i < length; i++) {
        const next = newOrg(rand() < 0.7 ? c : pick(OTHER_COUNTRIES));
        own(prev, next, int(51, 100));
        prev = next;
      }
      samples.chain.push(prev);
    } else if (kind < 0.05) {
      // Investment fund: small upstream, stakes in many groups.
      const fund = newOrg(country());
      ownByPersons(fund);
      fundPool.push(fund);
      funds.push(fund);
    } else {
      // Corporate group of Pareto size.
      const groupSize = Math.min(
        room,
        Math.min(20000, Math.max(1, Math.floor(size / 50))),
        Math.floor(1 / Math.pow(1 - rand(), 1 / 1.2)),
      );
      const c = country();
      const top = newOrg(c);
      groupTops.push(top);
      const u = rand();
      if (u < 0.7) ownByPersons(top);
      else if (u < 0.85 && funds.length > 0) {
        own(pick(funds), top, 5 + 25 * rand());
        ownByPersons(top);
      }
      const members = [top];
      const pool = [top];
      for (let j = 1; j < groupSize; j++) {
        const m = newOrg(rand() < 0.85 ? c : rand() < 0.2 ? pick(BENCH_TARGETS) : pick(OTHER_COUNTRIES));
        const primary = pool[Math.floor(rand() * pool.length)]!;
        const main = rand() < 0.6 ? 50 + 50 * rand() : 10 + 40 * rand();
        if (own(primary, m, main)) pool.push(primary);
        if (rand() < 0.6 && members.length > 1) {
          const second = pool[Math.floor(rand() * pool.length)]!;
          if (own(second, m, 5 + 40 * rand())) pool.push(second);
        }
        if (rand() < 0.55 && funds.length > 0) {
          // Half preferential, half uniform: a heavy tail without one fund owning a quarter of the graph.
          const fund = rand() < 0.5 ? fundPool[Math.floor(rand() * fundPool.length)]! : pick(funds);
          if (own(fund, m, 1 + 19 * rand())) fundPool.push(fund);
        }
        if (rand() < 0.15) own(pick(persons), m, 1 + 20 * rand());
        members.push(m);
        pool.push(m);
      }
      // Cross-holdings: rings of 2-5 members holding small stakes in each other.
      const rings = groupSize >= 3 ? Math.floor(groupSize / 60) + (rand() < 0.2 ? 1 : 0) : 0;
      for (let r = 0; r < rings; r++) {
        const k = Math.min(int(2, 5), groupSize);
        const ring = Array.from({ length: k }, () => pick(members));
        if (new Set(ring).size < k) continue;
        for (let i = 0; i < k; i++) own(ring[i]!, ring[(i + 1) % k]!, 2 + 13 * rand());
        samples.cycle.push(ring[0]!);
      }
    }
  }

  // VIE-style control contracts, from a group top into another group.
  for (let i = Math.max(3, Math.floor(orgCount * 0.003)); i > 0; i--) {
    const from = pick(groupTops);
    const to = `org:bench-${int(0, orgCount - 1)}`;
    if (from === to) continue;
    controls.push({
      from,
      to,
      props: {
        id: `controls:bench-${controls.length}`,
        basis: rand() < 0.8 ? 'VIE_CONTRACT' : 'BOARD_CONTROL',
        startDate: `${int(2010, 2022)}-01-01`,
        sourceIds: ['source:bench'],
      },
    });
  }

  const policy: Props = {
    id: BENCH_POLICY_ID,
    name: 'Bench: 50% owned by CN/RU-headquartered or designated parties',
    targets: BENCH_TARGETS,
    ruleThreshold: 50,
    ruleThresholdInclusive: true,
    ruleCountryBasis: 'HEADQUARTERS',
    ruleIncludesIndirect: true,
    ruleAggregation: 'AGGREGATE',
    ruleControlCounts: true,
    effectiveFrom: '2020-01-01',
    sourceIds: ['source:bench'],
  };
  const designations: EdgeRow[] = [];
  const designatedCount = 10 + Math.floor(size / 50000);
  for (let i = 0; i < designatedCount; i++) {
    designations.push({
      from: BENCH_POLICY_ID,
      to: pick(groupTops),
      props: { id: `designates:bench-${i}`, startDate: '2021-01-01', sourceIds: ['source:bench'] },
    });
  }
  return { size, seed, nodes, owns, controls, designations, policy, samples };
}

export interface BenchMeta {
  size: number;
  seed: number;
  version: number;
  nodes: number;
  owns: number;
  controls: number;
  generateSeconds: number;
  loadSeconds: number;
  samples: GeneratedGraph['samples'];
}

/** The graph already loaded in this database, when it was made by this generator version with this size and seed. */
export async function loadedBenchMeta(db: Database, size: number, seed: number): Promise<BenchMeta | null> {
  const rows = await db.readRows<{ m: Record<string, unknown> | null }>(
    'OPTIONAL MATCH (m:BenchMeta {id: "bench"}) RETURN m {.*} AS m',
  );
  const m = rows[0]?.m;
  if (!m || m.complete !== true || m.size !== size || m.seed !== seed || m.version !== GENERATOR_VERSION)
    return null;
  return {
    ...(m as unknown as BenchMeta),
    samples: JSON.parse(m.samplesJson as string) as BenchMeta['samples'],
  };
}

const BATCH = 10000;

/**
 * Writes the graph into an empty database (the :Record(id) constraint must exist: edges find their ends by
 * id). CREATE rather than MERGE: the loader owns the folder, and MERGE would double the index lookups.
 */
export async function writeOwnershipGraph(
  db: Database,
  graph: GeneratedGraph,
  progress: (what: string, done: number, total: number) => void = () => {},
): Promise<void> {
  const batches = async <T>(what: string, rows: T[], cypher: string) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const slice = rows.slice(i, i + BATCH);
      await db.write((query) => query(cypher, { rows: slice }));
      progress(what, Math.min(rows.length, i + BATCH), rows.length);
    }
  };
  await batches(
    'organizations',
    graph.nodes.filter((n) => n.label === 'Organization').map((n) => n.props),
    'UNWIND $rows AS r CREATE (n:Record:Organization) SET n = r',
  );
  await batches(
    'persons',
    graph.nodes.filter((n) => n.label === 'Person').map((n) => n.props),
    'UNWIND $rows AS r CREATE (n:Record:Person) SET n = r',
  );
  await db.write((query) => query('CREATE (p:Record:Policy) SET p = $policy', { policy: graph.policy }));
  const edges = (type: string) =>
    `UNWIND $rows AS r MATCH (a:Record {id: r.from}) MATCH (b:Record {id: r.to}) CREATE (a)-[e:${type}]->(b) SET e = r.props`;
  await batches('ownerships', graph.owns, edges('OWNS'));
  await batches('controls', graph.controls, edges('CONTROLS'));
  await batches('designations', graph.designations, edges('DESIGNATES'));
}

export async function recordBenchMeta(db: Database, meta: BenchMeta): Promise<void> {
  const { samples, ...rest } = meta;
  await db.write((query) =>
    query('MERGE (m:BenchMeta {id: "bench"}) SET m += $meta, m.samplesJson = $samples, m.complete = true', {
      meta: { ...rest, version: GENERATOR_VERSION },
      samples: JSON.stringify(samples),
    }),
  );
}

/** Generates and loads the graph unless this database already holds it; returns what is loaded. */
export async function ensureBenchGraph(
  db: Database,
  size: number,
  seed: number,
  say: (line: string) => void,
): Promise<BenchMeta & { reused: boolean }> {
  const existing = await loadedBenchMeta(db, size, seed);
  if (existing) return { ...existing, reused: true };
  const count = await db.readRows<{ n: number }>('MATCH (n:Record) RETURN count(n) AS n');
  if ((count[0]?.n ?? 0) > 0) {
    throw new Error(
      'The bench data folder holds another or an incomplete graph; delete it (rm -rf .data/bench-<size>) and run again.',
    );
  }
  let started = performance.now();
  const graph = generateOwnershipGraph(size, seed);
  const generateSeconds = (performance.now() - started) / 1000;
  say(
    `generated ${graph.nodes.length} entities, ${graph.owns.length} ownerships, ${graph.controls.length} controls in ${generateSeconds.toFixed(1)} s`,
  );
  started = performance.now();
  let lastSay = 0;
  await writeOwnershipGraph(db, graph, (what, done, total) => {
    const now = performance.now();
    if (done === total || now - lastSay > 10000) {
      lastSay = now;
      say(`  loading ${what}: ${done}/${total} (${((now - started) / 1000).toFixed(0)} s)`);
    }
  });
  const loadSeconds = (performance.now() - started) / 1000;
  const meta: BenchMeta = {
    size,
    seed,
    version: GENERATOR_VERSION,
    nodes: graph.nodes.length,
    owns: graph.owns.length,
    controls: graph.controls.length,
    generateSeconds,
    loadSeconds,
    samples: graph.samples,
  };
  await recordBenchMeta(db, meta);
  say(`loaded in ${loadSeconds.toFixed(1)} s`);
  return { ...meta, reused: false };
}
