import type { Query } from '../db/database';
import type { EdgeRow, NodeRow } from '../records/rows';
import { NODE_PROJECTION } from '../records/projection';
import type { ChannelKind, OwnershipGraph, PolicyReach, PolicyRule } from '../reasoning';
import { GRAPH_STAMP_CALL, GRAPH_VERSION_KEY, graphStamp } from './graphVersion';
import { stampedGraph, UPSTREAM_OF_START, type EntityRow } from './ownershipSubgraph';
import { fetchPolicyRecords, toPolicyRule, type PolicyRecordRow } from './policyRules';

/** A channel offering a model, with the stored rows the GraphQL types resolve from. */
export interface Offer {
  offering: EdgeRow;
  channel: NodeRow;
}

export interface CoveringPolicy {
  rule: PolicyRule;
  reach: PolicyReach;
}

/**
 * Policies that say which models they cover: those covering the given models (by id or developer), or,
 * without models, every such policy. With their designations, as the reasoning reads them.
 */
export async function fetchCoveringPolicies(
  query: Query,
  models?: { ids: string[]; developers: string[] },
): Promise<CoveringPolicy[]> {
  const rows = await query<{ policy: PolicyRecordRow; designations: Array<Record<string, unknown>> }>(
    `MATCH (p:Policy)
     WHERE CASE WHEN $all THEN size(coalesce(p.coversModels, [])) > 0 OR size(coalesce(p.coversDevelopers, [])) > 0
                ELSE any(id IN coalesce(p.coversModels, []) WHERE id IN $ids)
                  OR any(d IN coalesce(p.coversDevelopers, []) WHERE d IN $developers) END
     OPTIONAL MATCH (p)-[d:DESIGNATES]->(e)
     RETURN p {.*} AS policy, collect(CASE WHEN d IS NULL THEN null ELSE d {.*, entityId: e.id} END) AS designations
     ORDER BY policy.id`,
    { all: models === undefined, ids: models?.ids ?? [], developers: models?.developers ?? [] },
  );
  return rows.map(({ policy, designations }) => toCoveringPolicy(policy, designations));
}

/** What `accessCheck` reads about a model. */
export interface ModelAccess {
  /** Its offers, by channel id, then offering id. */
  offers: Offer[];
  /** The ids of the policies covering it by id or by its developer, in id order. */
  policyIds: string[];
  /**
   * The graph version stamp (src/queries/graphVersion.ts), read after the rows: policies kept at this stamp
   * (src/cache/sweepCache.ts) answer for them without a read.
   */
  stamp: string;
}

/** What one access check reads: the customer's upstream graph, and the model's access (null: no such model). */
export interface AccessReads {
  /** Everything upstream of the customer; it holds the customer exactly when that is an organization or a person. */
  graph: OwnershipGraph;
  access: ModelAccess | null;
}

/**
 * For each (customer, model) pair, in order, everything an access check reads, in one statement: the
 * customer's upstream graph (fetchUpstream's read), the model's offers and the ids of the policies covering it
 * by id or by its developer, and the graph stamp after them. A check was four queries in three rounds, then two
 * statements in one transaction (issue 15 item 3); as one statement it costs Neo4j one query's fixed cost, and,
 * when it is the request's only read, one transaction's without a BEGIN/COMMIT. Each customer and each model is
 * read once whatever the number of pairs naming it (aliased checks of one customer against several models share
 * its graph), and every result carries its index, so nothing depends on the order rows come back in. The
 * developer is read from the model itself, so the read need not wait for the model's record. The policies
 * themselves (their model, developer and channel lists are most of a check's bytes) come from
 * fetchCoveringPoliciesById, or from those kept per graph version.
 */
export async function fetchAccessReads(
  query: Query,
  pairs: ReadonlyArray<{ customer: string; model: string }>,
): Promise<AccessReads[]> {
  const customers = [...new Set(pairs.map((p) => p.customer))];
  const models = [...new Set(pairs.map((p) => p.model))];
  const [read] = await query<{
    upstreams: Array<{ i: number; rows: EntityRow[] }>;
    models: Array<{ i: number; found: boolean; offers: Offer[]; policyIds: string[] }>;
    version: number | null;
    changedAt: string | null;
  }>(
    `CALL () {
       UNWIND range(0, size($customers) - 1) AS i
       CALL (i) {
         OPTIONAL MATCH (start:Record {id: $customers[i]}) WHERE start:Organization OR start:Person
         ${UPSTREAM_OF_START}
         RETURN rows
       }
       RETURN collect({i: i, rows: rows}) AS upstreams
     }
     CALL () {
       UNWIND range(0, size($models) - 1) AS i
       OPTIONAL MATCH (m:Record:AIModel {id: $models[i]})
       CALL (m) {
         OPTIONAL MATCH (n:AccessChannel)-[o:OFFERS]->(m)
         WITH m, n, o ORDER BY n.id, o.id
         RETURN collect(CASE WHEN o IS NULL THEN null
                             ELSE {offering: o {.*, _from: n.id, _to: m.id}, channel: ${NODE_PROJECTION}} END) AS offers
       }
       CALL (m) {
         MATCH (p:Policy)
         WHERE m.id IN coalesce(p.coversModels, []) OR m.developer IN coalesce(p.coversDevelopers, [])
         WITH p.id AS policyId ORDER BY policyId
         RETURN collect(policyId) AS policyIds
       }
       RETURN collect({i: i, found: m IS NOT NULL, offers: offers, policyIds: policyIds}) AS models
     }
     ${GRAPH_STAMP_CALL}
     RETURN upstreams, models, version, changedAt`,
    { customers, models, versionKey: GRAPH_VERSION_KEY },
  );
  const stamp = graphStamp(read?.version ?? null, read?.changedAt ?? null);
  const graphs = new Map<string, OwnershipGraph>();
  for (const { i, rows } of read?.upstreams ?? [])
    graphs.set(customers[i]!, stampedGraph([{ chunk: rows }], stamp));
  const access = new Map<string, ModelAccess | null>();
  for (const { i, found, offers, policyIds } of read?.models ?? [])
    access.set(models[i]!, found ? { offers, policyIds, stamp } : null);
  return pairs.map((p) => ({ graph: graphs.get(p.customer)!, access: access.get(p.model) ?? null }));
}

/** Policies by id with their designations, as the access reasoning reads them; an id that is no policy is left out. */
export async function fetchCoveringPoliciesById(
  query: Query,
  policyIds: readonly string[],
): Promise<Map<string, CoveringPolicy>> {
  const rows = await fetchPolicyRecords(query, policyIds);
  return new Map(rows.map((r) => [r.policy.id, toCoveringPolicy(r.policy, r.designations)]));
}

/** A stored policy and its designations as the access reasoning reads them. */
export function toCoveringPolicy(
  policy: PolicyRecordRow,
  designations: Array<Record<string, unknown>>,
): CoveringPolicy {
  return {
    rule: toPolicyRule(policy, designations),
    reach: {
      policyId: policy.id,
      policyName: policy.name,
      coversModels: (policy.coversModels as string[] | undefined) ?? [],
      coversDevelopers: (policy.coversDevelopers as string[] | undefined) ?? [],
      reachesChannels: (policy.coversChannels as string[] | undefined) ?? [],
      reachesChannelKinds: (policy.coversChannelKinds as ChannelKind[] | undefined) ?? [],
      unsettledChannels: unsettledChannels(policy),
    },
  };
}

/** The channels a policy's sources leave open (stored as JSON beside their ids, seed/storage.ts). */
export function unsettledChannels(policy: PolicyRecordRow): Array<{ channelId: string; note: string }> {
  const json = policy.coversChannelsUnsettledJson;
  if (typeof json !== 'string') return [];
  return (JSON.parse(json) as Array<{ channel: string; note: string }>).map((u) => ({
    channelId: u.channel,
    note: u.note,
  }));
}

/**
 * Models each policy covers (by id or by developer), with every offering of them (whatever its dates: the
 * reasoning decides which are in force), for many policies in one round trip, keyed by policy id.
 */
export async function fetchModelsCovered(
  query: Query,
  reaches: readonly PolicyReach[],
): Promise<Map<string, { models: NodeRow[]; offerings: EdgeRow[] }>> {
  const rows = await query<{ policyId: string; models: NodeRow[]; offerings: EdgeRow[][] }>(
    `UNWIND $reaches AS reach
     CALL (reach) {
       CALL (reach) {
         MATCH (n:Record:AIModel) WHERE n.id IN reach.ids RETURN n
         UNION
         MATCH (n:AIModel) WHERE n.developer IN reach.developers RETURN n
       }
       WITH n ORDER BY n.id
       RETURN collect(${NODE_PROJECTION}) AS models,
              collect([(c:AccessChannel)-[o:OFFERS]->(n) | o {.*, _from: c.id, _to: n.id}]) AS offerings
     }
     RETURN reach.policyId AS policyId, models, offerings`,
    {
      reaches: reaches.map((r) => ({
        policyId: r.policyId,
        ids: r.coversModels,
        developers: r.coversDevelopers,
      })),
    },
  );
  return new Map(rows.map((r) => [r.policyId, { models: r.models, offerings: r.offerings.flat() }]));
}

/** Open-weight models offered for download on a day. */
export async function fetchOpenWeightsAvailable(query: Query, asOf: string): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(
    `MATCH (:AccessChannel {kind: 'OPEN_WEIGHTS_DOWNLOAD'})-[o:OFFERS]->(n:AIModel)
     WHERE (o.startDate IS NULL OR o.startDate <= $asOf) AND (o.endDate IS NULL OR $asOf <= o.endDate)
     WITH DISTINCT n
     RETURN ${NODE_PROJECTION} AS row ORDER BY n.id`,
    { asOf },
  );
  return rows.map((r) => r.row);
}
