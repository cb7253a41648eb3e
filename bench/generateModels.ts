/**
 * Not public API: deterministic synthetic AI models, access channels, offerings, derivations and model
 * policies added on top of a bench ownership graph (bench/generateOwnershipGraph.ts), in the storage format
 * the app reads (src/seed/storage.ts; property names as src/queries/modelAccess.ts reads them). Used by
 * bench/access.ts (issue #5).
 *
 * Shape: developers are random organizations of the ownership graph, and models per developer are heavy
 * tailed (a model's developer is developer[floor(D * u^2)]: the first developer has ~2% of all models, most
 * have a handful). The first developers also run a first-party API; cloud marketplaces and consumer apps
 * carry models of every developer; open-weight models (30%) are also offered for download. Each model has 2-5
 * offerings (some not yet started, 5% ended on asOf). About half the models derive from an earlier model
 * (a parent of lower index, so the derivations form a DAG), a tenth of those from two (merges).
 * A few PROVIDER_RESTRICTION policies cover the models of some developers and reach some channels.
 *
 * Every write is a parameterised UNWIND batch that MERGEs on id, so a re-run adds nothing twice.
 */
import type { Database } from '../src/db/database';
import { relationshipIdConstraint, relationshipIdIndex } from '../src/db/migrations';
import { prng } from './generateOwnershipGraph';

export const MODELS_VERSION = 1;
const BATCH = 10000;
const SOURCES = ['src:bench'];
type Props = Record<string, string | number | boolean | string[]>;
interface NodeRow {
  id: string;
  props: Props;
}
interface EdgeRow {
  id: string;
  from: string;
  to: string;
  props: Props;
}

export interface GeneratedModels {
  models: NodeRow[];
  channels: NodeRow[];
  policies: NodeRow[];
  developedBy: EdgeRow[];
  operatedBy: EdgeRow[];
  offers: EdgeRow[];
  derivations: EdgeRow[];
  /** Reference links a policy record is mirrored as (storage.ts): ISSUED_BY, COVERS_MODELS_OF, REACHES. */
  policyLinks: Array<EdgeRow & { type: string }>;
}

const KINDS = ['FIRST_PARTY_API', 'CLOUD_MARKETPLACE', 'CONSUMER_APP', 'OPEN_WEIGHTS_DOWNLOAD'] as const;
const METHODS = [
  'FINE_TUNE',
  'FINE_TUNE',
  'FINE_TUNE',
  'DISTILLATION',
  'QUANTIZATION',
  'CONTINUED_PRETRAINING',
  'OTHER',
];
const DAY = 86400000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * @param organizations how many `org:bench-<i>` organizations the ownership graph holds (ids 0..n-1).
 */
export function generateModels(count: number, organizations: number, seed = 42): GeneratedModels {
  const rand = prng(seed + 100);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const org = () => `org:bench-${Math.floor(rand() * organizations)}`;

  const developerCount = Math.max(20, Math.round(count / 50));
  const developers = Array.from({ length: developerCount }, org);

  // A few hundred channels: first-party APIs of the largest developers, the rest shared by all.
  const channels: NodeRow[] = [];
  const operatedBy: EdgeRow[] = [];
  const byKind: Record<(typeof KINDS)[number], string[]> = {
    FIRST_PARTY_API: [],
    CLOUD_MARKETPLACE: [],
    CONSUMER_APP: [],
    OPEN_WEIGHTS_DOWNLOAD: [],
  };
  const firstPartyOf = new Map<number, string>();
  const counts = {
    FIRST_PARTY_API: Math.min(120, developerCount),
    CLOUD_MARKETPLACE: 60,
    CONSUMER_APP: 80,
    OPEN_WEIGHTS_DOWNLOAD: 40,
  };
  for (const kind of KINDS) {
    for (let i = 0; i < counts[kind]; i++) {
      const id = `channel:bench-${kind.toLowerCase().replace(/_/g, '-')}-${i}`;
      const operator = kind === 'FIRST_PARTY_API' ? developers[i]! : org();
      if (kind === 'FIRST_PARTY_API') firstPartyOf.set(i, id);
      channels.push({
        id,
        props: {
          id,
          name: `Bench ${kind.toLowerCase().replace(/_/g, ' ')} ${i}`,
          kind,
          operator,
          sourceIds: SOURCES,
        },
      });
      operatedBy.push({ id: `${id}>${operator}`, from: id, to: operator, props: { sourceIds: SOURCES } });
      byKind[kind].push(id);
    }
  }
  const shared = [...byKind.CLOUD_MARKETPLACE, ...byKind.CONSUMER_APP];

  const models: NodeRow[] = [];
  const developedBy: EdgeRow[] = [];
  const offers: EdgeRow[] = [];
  const derivations: EdgeRow[] = [];
  const start = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  for (let i = 0; i < count; i++) {
    const id = `model:bench-${i}`;
    const d = Math.floor(developerCount * rand() ** 2);
    const developer = developers[d]!;
    const openWeights = rand() < 0.3;
    // Later index, later release: parents (lower index) are released before their children.
    const released = start + Math.floor(((i + rand()) / count) * span);
    models.push({
      id,
      props: {
        id,
        name: `Bench Model ${i}`,
        family: `bench-family-${d}-${Math.floor(i / 1000)}`,
        developer,
        openWeights,
        architecture: rand() < 0.2 ? 'MIXTURE_OF_EXPERTS' : 'DENSE',
        modalities: ['TEXT'],
        releaseDate: isoDay(released),
        sourceIds: SOURCES,
      },
    });
    developedBy.push({ id: `${id}>${developer}`, from: id, to: developer, props: { sourceIds: SOURCES } });

    const via = new Set<string>();
    if (firstPartyOf.has(d) && rand() < 0.9) via.add(firstPartyOf.get(d)!);
    if (openWeights) via.add(pick(byKind.OPEN_WEIGHTS_DOWNLOAD));
    const want = int(2, 5);
    while (via.size < want) via.add(pick(shared));
    let j = 0;
    for (const channel of via) {
      const offerId = `offer:bench-${i}-${j++}`;
      const props: Props = {
        id: offerId,
        sourceIds: SOURCES,
        startDate: isoDay(released + int(0, 120) * DAY),
      };
      if (rand() < 0.05) props.endDate = isoDay(released + int(121, 900) * DAY);
      offers.push({ id: offerId, from: channel, to: id, props });
    }

    if (i > 0 && rand() < 0.5) {
      const parents = new Set([Math.floor(rand() * i)]);
      if (rand() < 0.1) parents.add(Math.floor(rand() * i));
      let k = 0;
      for (const p of parents) {
        const derivId = `deriv:bench-${i}-${k++}`;
        const method = parents.size > 1 ? 'MERGE' : pick(METHODS);
        derivations.push({
          id: derivId,
          from: id,
          to: `model:bench-${p}`,
          props: { id: derivId, method, basis: 'DECLARED', sourceIds: SOURCES },
        });
      }
    }
  }

  // Policies: the largest developers' models, a random spread of smaller ones, one by channel kind, and one
  // not yet in force on the bench day, so that verdicts, reach and policy status all take part.
  const issuer = org();
  const topDevs = developers.slice(0, 20);
  const spread = (k: number) => [...new Set(Array.from({ length: k }, () => pick(developers)))];
  const policy = (
    n: number,
    name: string,
    covers: { developers: string[]; channels?: string[]; channelKinds?: string[] },
    extra: Props = {},
  ): NodeRow => {
    const id = `policy:bench-access-${n}`;
    const props: Props = {
      id,
      name,
      kind: 'PROVIDER_RESTRICTION',
      issuer,
      summary: `Synthetic model policy ${n} of the access benchmark.`,
      targets: ['CN', 'RU'],
      ruleThreshold: 50,
      ruleThresholdInclusive: false,
      ruleCountryBasis: 'HEADQUARTERS',
      ruleIncludesIndirect: true,
      ruleAggregation: 'AGGREGATE',
      coversDevelopers: covers.developers,
      effectiveFrom: '2024-01-01',
      sourceIds: SOURCES,
      ...extra,
    };
    if (covers.channels) props.coversChannels = covers.channels;
    if (covers.channelKinds) props.coversChannelKinds = covers.channelKinds;
    return { id, props };
  };
  const policies = [
    policy(1, 'Bench restriction of the largest developers', {
      developers: topDevs,
      channels: [...topDevs.map((_, i) => firstPartyOf.get(i)!), ...byKind.CONSUMER_APP.slice(0, 20)],
    }),
    policy(2, 'Bench restriction of a spread of developers', {
      developers: spread(200),
      channels: [...byKind.FIRST_PARTY_API.slice(20, 60), ...byKind.CLOUD_MARKETPLACE.slice(0, 10)],
    }),
    policy(
      3,
      'Bench restriction by channel kind',
      {
        developers: [...topDevs.slice(0, 5), ...spread(50)],
        channelKinds: ['FIRST_PARTY_API', 'CONSUMER_APP'],
      },
      { ruleThresholdInclusive: true },
    ),
    policy(
      4,
      'Bench restriction not yet in force',
      { developers: spread(100), channels: byKind.CLOUD_MARKETPLACE.slice(10, 40) },
      { effectiveFrom: '2026-06-01' },
    ),
  ];
  const policyLinks: GeneratedModels['policyLinks'] = [];
  for (const p of policies) {
    const link = (type: string, to: string) =>
      policyLinks.push({ type, id: `${p.id}>${type}>${to}`, from: p.id, to, props: { sourceIds: SOURCES } });
    link('ISSUED_BY', issuer);
    for (const d of new Set(p.props.coversDevelopers as string[])) link('COVERS_MODELS_OF', d);
    for (const c of (p.props.coversChannels as string[] | undefined) ?? []) link('REACHES', c);
  }
  return { models, channels, policies, developedBy, operatedBy, offers, derivations, policyLinks };
}

export interface ModelsMeta {
  models: number;
  seed: number;
  version: number;
  channels: number;
  offers: number;
  derivations: number;
  policies: number;
  loadSeconds: number;
}

async function loadedModelsMeta(db: Database, models: number, seed: number): Promise<ModelsMeta | null> {
  const rows = await db.readRows<{ m: Record<string, unknown> | null }>(
    'OPTIONAL MATCH (m:BenchMeta {id: "bench-models"}) RETURN m {.*} AS m',
  );
  const m = rows[0]?.m;
  if (!m || m.complete !== true || m.models !== models || m.seed !== seed || m.version !== MODELS_VERSION)
    return null;
  return m as unknown as ModelsMeta;
}

/** MERGEs the generated records (the :Record(id) constraint must exist: MERGE and edge ends look ids up through it). */
export async function writeModels(
  db: Database,
  g: GeneratedModels,
  progress: (what: string, done: number, total: number) => void = () => {},
): Promise<void> {
  const batches = async <T>(what: string, rows: T[], cypher: string) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await db.write((query) => query(cypher, { rows: rows.slice(i, i + BATCH) }));
      progress(what, Math.min(rows.length, i + BATCH), rows.length);
    }
  };
  const nodes = (label: string) =>
    `UNWIND $rows AS r MERGE (n:Record {id: r.id}) SET n:${label}, n = r.props`;
  // Reference links have no id of their own (storage.ts mirrors them from id properties): MERGE on the pattern.
  const links = (type: string) =>
    `UNWIND $rows AS r MATCH (a:Record {id: r.from}) MATCH (b:Record {id: r.to}) MERGE (a)-[e:${type}]->(b) SET e = r.props`;
  const records = (type: string) =>
    `UNWIND $rows AS r MATCH (a:Record {id: r.from}) MATCH (b:Record {id: r.to}) MERGE (a)-[e:${type} {id: r.id}]->(b) SET e = r.props`;
  await batches('models', g.models, nodes('AIModel'));
  await batches('channels', g.channels, nodes('AccessChannel'));
  await batches('policies', g.policies, nodes('Policy'));
  await batches('DEVELOPED_BY', g.developedBy, links('DEVELOPED_BY'));
  await batches('OPERATED_BY', g.operatedBy, links('OPERATED_BY'));
  for (const type of ['ISSUED_BY', 'COVERS_MODELS_OF', 'REACHES']) {
    await batches(
      type,
      g.policyLinks.filter((l) => l.type === type),
      links(type),
    );
  }
  await batches('offerings', g.offers, records('OFFERS'));
  await batches('derivations', g.derivations, records('DERIVED_FROM'));
}

/** Adds the models unless this database already holds this many from this seed and version; returns what is loaded. */
export async function ensureBenchModels(
  db: Database,
  options: { models: number; organizations: number; seed: number },
  say: (line: string) => void,
): Promise<ModelsMeta & { reused: boolean }> {
  const existing = await loadedModelsMeta(db, options.models, options.seed);
  if (existing) return { ...existing, reused: true };
  let started = performance.now();
  const g = generateModels(options.models, options.organizations, options.seed);
  say(
    `generated ${g.models.length} models, ${g.channels.length} channels, ${g.offers.length} offerings, ${g.derivations.length} derivations, ${g.policies.length} policies in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // A copy of a migrated graph already has the relationship id constraints (and their indexes); inside a large load transaction Neo4j
  // then looks every MERGEd OFFERS/DERIVED_FROM up through the index and its uncommitted updates (one 10,000-row
  // batch ran over 6 minutes). Without them the load is a plain MERGE; applyMigrations builds them afterwards.
  for (const type of ['OFFERS', 'DERIVED_FROM']) {
    await db.write((query) => query(`DROP INDEX ${relationshipIdIndex(type)} IF EXISTS`));
    await db.write((query) => query(`DROP CONSTRAINT ${relationshipIdConstraint(type)} IF EXISTS`));
  }
  started = performance.now();
  let lastSay = 0;
  await writeModels(db, g, (what, done, total) => {
    const now = performance.now();
    if (done === total || now - lastSay > 10000) {
      lastSay = now;
      say(`  loading ${what}: ${done}/${total} (${((now - started) / 1000).toFixed(0)} s)`);
    }
  });
  const meta: ModelsMeta = {
    models: g.models.length,
    seed: options.seed,
    version: MODELS_VERSION,
    channels: g.channels.length,
    offers: g.offers.length,
    derivations: g.derivations.length,
    policies: g.policies.length,
    loadSeconds: (performance.now() - started) / 1000,
  };
  await db.write((query) =>
    query(
      'MERGE (m:BenchMeta {id: "bench-models"}) SET m = $meta, m.id = "bench-models", m.complete = true',
      { meta },
    ),
  );
  say(`models loaded in ${meta.loadSeconds.toFixed(1)} s`);
  return { ...meta, reused: false };
}
