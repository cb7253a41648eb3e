import type { Query } from '../db/database';
import type { ControlBasis, OwnershipGraph, PolicyRule } from '../reasoning';
import { knownAt, RECORD_VERSION_LABEL, VERSION_OF } from '../records/recordTime';
import type { NodeRow } from '../records/rows';
import { storedShareToFraction } from '../records/share';
import type { EdgeRow } from '../records/rows';
import {
  isRelationshipType,
  LABELS,
  RECORD_RELATIONSHIPS,
  type Direction,
  type Label,
  type RecordRelationshipType,
  type ReferenceRelationshipType,
  type RelationshipType,
} from '../records/vocabulary';
import { int } from '../db/database';
import { suspensionOn, type SuspensionWindow } from '../reasoning/policyInForce';
import type { CountryBasis } from './ownershipSubgraph';
import { toPolicyRule, type PolicyRecordRow } from './policyRules';
import type { RecordFilter } from './recordPages';
import { toDerivation, type LineageData } from './lineageSubgraph';
import { toCoveringPolicy, type CoveringPolicy, type Offer } from './modelAccess';
import type { PolicyReach } from '../reasoning';
import { identifierPhrase } from './identifiers';
import { foundStep, type FoundStep } from './connections';

/**
 * The graph as this database knew it at an instant (`knownAsOf`, issue 12): each record in the version that
 * was current then, whether it is still current (a `:Record`) or was since superseded or retracted (a
 * `:RecordVersion`), both matched by the one filter `knownAt`. Questions without `knownAsOf` never come here:
 * they read the current graph with the queries they always used, at the speed they always had.
 *
 * Past versions are nodes, not relationships, so the ownership graph is walked level by level (one round
 * trip per level of owners, current and past edges together) rather than with one variable-length pattern.
 */

const PARTY_KINDS = ['Organization', 'Person'];

/** Records by id as known at `knownAsOf`; a record unknown then (not yet written, or retracted) is absent. */
export async function fetchRecordsKnownAt(
  query: Query,
  ids: readonly string[],
  knownAsOf: string,
): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(`CALL () { ${RECORDS_KNOWN_AT} } RETURN row`, {
    ids: [...ids],
    knownAsOf,
  });
  return rows.map((r) => r.row);
}

/** The records of `$ids` as known at `$knownAsOf`, current or past, each as `row`. */
const RECORDS_KNOWN_AT = `
  MATCH (n:Record) WHERE n.id IN $ids AND ${knownAt('n')}
  RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row
  UNION ALL
  MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.id IN $ids AND ${knownAt('v')}
  RETURN v {.*, _label: v.${VERSION_OF}} AS row`;

type Edge = Record<string, unknown>;

/** Parties by id as known then, as the reasoning's entities. */
async function entitiesAt(query: Query, ids: readonly string[], knownAsOf: string, graph: OwnershipGraph) {
  addEntities(graph, await fetchRecordsKnownAt(query, ids, knownAsOf));
}

function addEntities(graph: OwnershipGraph, records: readonly NodeRow[]): void {
  for (const p of records) {
    if (!PARTY_KINDS.includes(p._label)) continue;
    const person = p._label === 'Person';
    graph.entities.set(p.id, {
      id: p.id,
      name: (p.name as string | undefined) ?? p.id,
      kind: person ? 'PERSON' : 'ORGANIZATION',
      headquartersCountry: ((person ? p.residence : p.headquarters) as string | undefined) ?? null,
      incorporationCountry: ((person ? p.nationality : p.incorporation) as string | undefined) ?? null,
    });
  }
}

/** OWNS and CONTROLS records known then, arriving at (IN) or leaving (OUT) the given parties. */
async function edgesAt(query: Query, ids: readonly string[], knownAsOf: string, direction: 'IN' | 'OUT') {
  const rows = await query<{ e: Edge }>(`CALL () { ${edgesKnownAt(direction)} } RETURN e`, {
    ids: [...ids],
    knownAsOf,
  });
  return rows.map((r) => r.e);
}

/** OWNS and CONTROLS records known at `$knownAsOf`, arriving at (IN) or leaving (OUT) `$ids`, each as `e`. */
function edgesKnownAt(direction: 'IN' | 'OUT'): string {
  const [pattern, end] =
    direction === 'IN'
      ? ['(x:Record)<-[r:OWNS|CONTROLS]-(o:Record)', '_to']
      : ['(x:Record)-[r:OWNS|CONTROLS]->(o:Record)', '_from'];
  const ends = direction === 'IN' ? '_from: o.id, _to: x.id' : '_from: x.id, _to: o.id';
  return `
    MATCH ${pattern} WHERE x.id IN $ids AND ${knownAt('r')}
    RETURN r {.*, ${ends}, kind: type(r)} AS e
    UNION ALL
    MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${end} IN $ids AND v.${VERSION_OF} IN ['OWNS', 'CONTROLS'] AND ${knownAt('v')}
    RETURN v {.*, kind: v.${VERSION_OF}} AS e`;
}

/**
 * Parties by id as known then (added to `graph`), and the edges known then arriving at any of them (returned),
 * in one round trip: one level of an upstream walk.
 */
async function addPartiesGetOwnersAt(
  query: Query,
  ids: readonly string[],
  knownAsOf: string,
  graph: OwnershipGraph,
): Promise<Edge[]> {
  const [row] = await query<{ parties: NodeRow[]; edges: Edge[] }>(
    `CALL () { CALL () { ${RECORDS_KNOWN_AT} } RETURN collect(row) AS parties }
     CALL () { CALL () { ${edgesKnownAt('IN')} } RETURN collect(e) AS edges }
     RETURN parties, edges`,
    { ids: [...ids], knownAsOf },
  );
  addEntities(graph, row?.parties ?? []);
  return row?.edges ?? [];
}

function addEdge(graph: OwnershipGraph, e: Edge): void {
  const dated = {
    id: e.id as string,
    startDate: (e.startDate as string | undefined) ?? null,
    endDate: (e.endDate as string | undefined) ?? null,
    sourceIds: (e.sourceIds as string[] | undefined) ?? [],
  };
  if (e.kind === 'OWNS') {
    graph.ownerships.push({
      ...dated,
      ownerId: e._from as string,
      ownedId: e._to as string,
      share: storedShareToFraction(e),
    });
  } else {
    const basis = (e.basis ?? undefined) as ControlBasis;
    graph.controls.push({ ...dated, controllerId: e._from as string, controlledId: e._to as string, basis });
  }
}

/** Same order as the current reads (by start date, then id), so explanations list paths alike. */
function sortEdges(graph: OwnershipGraph): OwnershipGraph {
  const order = (a: { startDate: string | null; id: string }, b: { startDate: string | null; id: string }) =>
    (a.startDate ?? '').localeCompare(b.startDate ?? '') || a.id.localeCompare(b.id);
  graph.ownerships.sort(order);
  graph.controls.sort(order);
  return graph;
}

/** Everything upstream of the given entities as known at `knownAsOf`: what `fetchUpstream` reads today. */
export async function fetchUpstreamKnownAt(
  query: Query,
  entityIds: readonly string[],
  knownAsOf: string,
): Promise<OwnershipGraph> {
  const graph: OwnershipGraph = { entities: new Map(), ownerships: [], controls: [] };
  const seen = new Set<string>();
  let frontier = [...new Set(entityIds)];
  while (frontier.length > 0) {
    for (const id of frontier) seen.add(id);
    const next = new Set<string>();
    for (const e of await addPartiesGetOwnersAt(query, frontier, knownAsOf, graph)) {
      // Owners of a party known then only, as a walk reading the party first would find them.
      if (!graph.entities.has(e._to as string)) continue;
      addEdge(graph, e);
      if (!seen.has(e._from as string)) next.add(e._from as string);
    }
    frontier = [...next];
  }
  return sortEdges(graph);
}

/**
 * Everything downstream of a policy's starting points as known at `knownAsOf`, with every owner of what is
 * reached: what `fetchDownstream` reads today. Starting points are found among current records and past
 * versions alike (a party based in a targeted country then, whatever it is now).
 */
export async function fetchDownstreamKnownAt(
  query: Query,
  roots: { designated: readonly string[]; targets: readonly string[]; basis: CountryBasis },
  knownAsOf: string,
): Promise<OwnershipGraph> {
  const where = (n: string) =>
    ({
      HEADQUARTERS: `${n}.headquarters IN $targets OR ${n}.residence IN $targets`,
      INCORPORATION: `${n}.incorporation IN $targets OR ${n}.nationality IN $targets`,
      EITHER: `${n}.headquarters IN $targets OR ${n}.incorporation IN $targets OR ${n}.residence IN $targets OR ${n}.nationality IN $targets`,
    })[roots.basis];
  const starts = await query<{ id: string }>(
    `CALL () {
       MATCH (n:Organization) WHERE (${where('n')}) AND ${knownAt('n')} RETURN n.id AS id
       UNION
       MATCH (n:Person) WHERE (${where('n')}) AND ${knownAt('n')} RETURN n.id AS id
       UNION
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} IN $kinds AND (${where('v')}) AND ${knownAt('v')} RETURN v.id AS id
     }
     RETURN id`,
    { targets: [...roots.targets], kinds: PARTY_KINDS, knownAsOf },
  );
  const graph: OwnershipGraph = { entities: new Map(), ownerships: [], controls: [] };
  const reached = new Set<string>();
  let frontier = [...new Set([...roots.designated, ...starts.map((s) => s.id)])];
  while (frontier.length > 0) {
    for (const id of frontier) reached.add(id);
    const next = new Set<string>();
    for (const e of await edgesAt(query, frontier, knownAsOf, 'OUT')) {
      if (!reached.has(e._to as string)) next.add(e._to as string);
    }
    frontier = [...next];
  }
  const ids = [...reached];
  for (const e of await addPartiesGetOwnersAt(query, ids, knownAsOf, graph)) addEdge(graph, e);
  // Owners outside the sweep are not covered; they only need to exist for their edges to count.
  const owners = [...graph.ownerships.map((o) => o.ownerId), ...graph.controls.map((c) => c.controllerId)];
  const outside = [...new Set(owners)].filter((id) => !graph.entities.has(id));
  if (outside.length > 0) await entitiesAt(query, outside, knownAsOf, graph);
  for (const id of outside) {
    if (graph.entities.has(id)) continue;
    const kind = id.startsWith('person:') ? 'PERSON' : 'ORGANIZATION';
    graph.entities.set(id, { id, name: id, kind, headquartersCountry: null, incorporationCountry: null });
  }
  return sortEdges(graph);
}

/** Policies as the reasoning reads them, as known at `knownAsOf` (their designations too). */
export async function fetchPolicyRulesKnownAt(
  query: Query,
  policyIds: readonly string[],
  knownAsOf: string,
): Promise<Map<string, PolicyRule>> {
  const policies = (await fetchRecordsKnownAt(query, policyIds, knownAsOf)).filter(
    (p) => p._label === 'Policy',
  );
  const designations = await designationsKnownAt(query, policyIds, knownAsOf);
  return new Map(
    policies.map((p) => [
      p.id,
      toPolicyRule(
        p as unknown as PolicyRecordRow,
        designations.filter((d) => d._from === p.id),
      ),
    ]),
  );
}

/** The designations of the given policies as known at `knownAsOf`, as the policy rules read them. */
async function designationsKnownAt(
  query: Query,
  policyIds: readonly string[],
  knownAsOf: string,
): Promise<Array<Record<string, unknown>>> {
  const rows = await query<{ d: Record<string, unknown> }>(
    `CALL () {
       MATCH (p:Record)-[r:DESIGNATES]->(e:Record) WHERE p.id IN $ids AND ${knownAt('r')}
       RETURN r {.*, _from: p.id, entityId: e.id} AS d
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._from IN $ids AND v.${VERSION_OF} = 'DESIGNATES' AND ${knownAt('v')}
       RETURN v {.*, entityId: v._to} AS d
     }
     RETURN d ORDER BY d.id`,
    { ids: [...policyIds], knownAsOf },
  );
  return rows.map((r) => r.d);
}

/**
 * Records of one kind as known then: current records known at that instant and past versions of that kind,
 * each as `n` (a map with the node's stored properties and `_label`), for a query to filter further. Filters
 * written on `n` (queries/recordFilters.ts) read maps as they read nodes.
 */
function recordsOfKindKnownAt(label: Label): string {
  return `CALL () {
       MATCH (n:${label}) WHERE ${knownAt('n')}
       RETURN n {.*, _label: '${label}'} AS n
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} = '${label}' AND ${knownAt('v')}
       RETURN v {.*, _label: '${label}'} AS n
     }`;
}

const whereClause = (filter: RecordFilter) =>
  filter.where.length > 0 ? `WHERE ${filter.where.join(' AND ')}` : '';

/** `fetchRecordPage` as known at `knownAsOf`: up to `limit` records of `label` matching `filter`, after `after`. */
export async function fetchRecordPageKnownAt(
  query: Query,
  label: Label,
  filter: RecordFilter,
  after: string | null,
  limit: number,
  knownAsOf: string,
): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(
    `${recordsOfKindKnownAt(label)}
     WITH n ${whereClause(filter)}
     WITH n WHERE $after IS NULL OR n.id > $after
     RETURN n AS row ORDER BY n.id LIMIT $limit`,
    { ...filter.params, after, limit: int(limit), knownAsOf },
  );
  return rows.map((r) => r.row);
}

/** `countRecords` as known at `knownAsOf`. */
export async function countRecordsKnownAt(
  query: Query,
  label: Label,
  filter: RecordFilter,
  knownAsOf: string,
): Promise<number> {
  const rows = await query<{ total: number }>(
    `${recordsOfKindKnownAt(label)}
     WITH n ${whereClause(filter)} RETURN count(n) AS total`,
    { ...filter.params, knownAsOf },
  );
  return rows[0]?.total ?? 0;
}

function recordRelationship(type: RelationshipType): RecordRelationshipType {
  if (!isRelationshipType(type) || !(type in RECORD_RELATIONSHIPS))
    throw new Error(`Not a relationship record type: ${String(type)}`);
  return type as RecordRelationshipType;
}

/**
 * `fetchRelationships` as known at `knownAsOf`: relationship records of one type at each of `ids` (`key`),
 * current ones known then and past versions, ordered as the current read orders them (start date, then id).
 * The record at the other end is left to the caller, to be read as known then too.
 */
export async function fetchRelationshipsKnownAt(
  query: Query,
  type: RelationshipType,
  direction: Direction,
  ids: readonly string[],
  knownAsOf: string,
): Promise<Array<{ key: string; edge: EdgeRow }>> {
  const rel = recordRelationship(type);
  const [pattern, key] =
    direction === 'OUT'
      ? [`(k:Record)-[r:${rel}]->(n:Record)`, '_from']
      : [`(k:Record)<-[r:${rel}]-(n:Record)`, '_to'];
  const ends = direction === 'OUT' ? '_from: k.id, _to: n.id' : '_from: n.id, _to: k.id';
  const rows = await query<{ key: string; edge: EdgeRow }>(
    `CALL () {
       MATCH ${pattern} WHERE k.id IN $ids AND ${knownAt('r')}
       RETURN k.id AS key, r {.*, ${ends}} AS edge
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${key} IN $ids AND v.${VERSION_OF} = $type AND ${knownAt('v')}
       RETURN v.${key} AS key, properties(v) AS edge
     }
     RETURN key, edge ORDER BY edge.startDate, edge.id`,
    { ids: [...ids], type: rel, knownAsOf },
  );
  return rows;
}

/** DERIVED_FROM records by the allegation they rest on, as known at `knownAsOf`. */
export async function fetchDerivationsByAllegationKnownAt(
  query: Query,
  allegationIds: readonly string[],
  knownAsOf: string,
): Promise<Array<{ key: string; edge: EdgeRow }>> {
  return query(
    `CALL () {
       MATCH (c:Record)-[r:DERIVED_FROM]->(p:Record) WHERE r.allegation IN $ids AND ${knownAt('r')}
       RETURN r.allegation AS key, r {.*, _from: c.id, _to: p.id} AS edge
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} = 'DERIVED_FROM' AND v.allegation IN $ids AND ${knownAt('v')}
       RETURN v.allegation AS key, properties(v) AS edge
     }
     RETURN key, edge ORDER BY edge.startDate, edge.id`,
    { ids: [...allegationIds], knownAsOf },
  );
}

/**
 * Which stored property each reference relationship mirrors (seed/storage.ts writes the links from these
 * properties; test/knownAsOf.reads.test.ts checks the two agree on every type). A past version keeps its
 * properties, not its links, so a link as known then is read from the property.
 */
export const REFERENCE_PROPERTIES: Record<
  ReferenceRelationshipType,
  { label: Label; property: string; list: boolean; country: boolean }
> = {
  HEADQUARTERED_IN: { label: 'Organization', property: 'headquarters', list: false, country: true },
  INCORPORATED_IN: { label: 'Organization', property: 'incorporation', list: false, country: true },
  NATIONAL_OF: { label: 'Person', property: 'nationality', list: false, country: true },
  RESIDES_IN: { label: 'Person', property: 'residence', list: false, country: true },
  DEVELOPED_BY: { label: 'AIModel', property: 'developer', list: false, country: false },
  OPERATED_BY: { label: 'AccessChannel', property: 'operator', list: false, country: false },
  ISSUED_BY: { label: 'Policy', property: 'issuer', list: false, country: false },
  TARGETS: { label: 'Policy', property: 'targets', list: true, country: true },
  COVERS_MODELS_OF: { label: 'Policy', property: 'coversDevelopers', list: true, country: false },
  COVERS_MODEL: { label: 'Policy', property: 'coversModels', list: true, country: false },
  REACHES: { label: 'Policy', property: 'coversChannels', list: true, country: false },
  ALLEGED_BY: { label: 'Allegation', property: 'accusers', list: true, country: false },
  AGAINST: { label: 'Allegation', property: 'accused', list: true, country: false },
  CONCERNS_MODEL: { label: 'Allegation', property: 'accusedModels', list: true, country: false },
  CONCERNS_SOURCE_MODEL: { label: 'Allegation', property: 'sourceModels', list: true, country: false },
};

/** The ids a record's reference property points to (a country code read as its country's id). */
export function referencedIds(row: Record<string, unknown>, type: ReferenceRelationshipType): string[] {
  const { property, country } = REFERENCE_PROPERTIES[type];
  const value = row[property];
  const values = (Array.isArray(value) ? value : value == null ? [] : [value]) as string[];
  return country ? values.map((code) => `country:${code}`) : values;
}

/**
 * `fetchLinked` as known at `knownAsOf`, for the direction resolvers follow (IN: the records whose property
 * names each of `ids`). Current records known then come through their links; past versions by their
 * property. OUT links are read from the record's own property (`referencedIds`) by the caller.
 */
export async function fetchLinkedKnownAt(
  query: Query,
  type: ReferenceRelationshipType,
  ids: readonly string[],
  knownAsOf: string,
): Promise<Array<{ key: string; other: NodeRow }>> {
  const { label, property, list, country } = REFERENCE_PROPERTIES[type];
  const targets = country
    ? list
      ? `[c IN coalesce(v.${property}, []) | 'country:' + c]`
      : `['country:' + v.${property}]`
    : list
      ? `coalesce(v.${property}, [])`
      : `[v.${property}]`;
  const rows = await query<{ key: string; other: NodeRow }>(
    `CALL () {
       MATCH (k:Record)<-[:${type}]-(n:${label}) WHERE k.id IN $ids AND ${knownAt('n')}
       RETURN k.id AS key, n {.*, _label: '${label}'} AS other
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} = '${label}' AND ${knownAt('v')}
       WITH v, ${targets} AS targets
       UNWIND [k IN $ids WHERE k IN targets] AS key
       RETURN key, v {.*, _label: '${label}'} AS other
     }
     RETURN key, other ORDER BY other.id`,
    { ids: [...ids], knownAsOf },
  );
  return rows;
}

/** `fetchSuspendedPolicyIds` as known at `knownAsOf`: policies suspended on `day` by their suspensions then. */
export async function fetchSuspendedPolicyIdsKnownAt(
  query: Query,
  day: string,
  knownAsOf: string,
): Promise<string[]> {
  const rows = await query<{ id: string; suspensionsJson: string }>(
    `${recordsOfKindKnownAt('Policy')}
     WITH n WHERE n.suspensionsJson IS NOT NULL
     RETURN n.id AS id, n.suspensionsJson AS suspensionsJson`,
    { knownAsOf },
  );
  return rows
    .filter((r) => suspensionOn(JSON.parse(r.suspensionsJson) as SuspensionWindow[], day) !== undefined)
    .map((r) => r.id);
}

/** Every country known at `knownAsOf`, by code. */
export async function fetchCountriesKnownAt(query: Query, knownAsOf: string): Promise<NodeRow[]> {
  const rows = await query<{ row: NodeRow }>(
    `${recordsOfKindKnownAt('Country')} RETURN n AS row ORDER BY n.code`,
    { knownAsOf },
  );
  return rows.map((r) => r.row);
}

/**
 * `fetchLineage` as known at `knownAsOf`: the models reachable up and/or down from `modelIds` through the
 * derivations known then, walked level by level (past versions are nodes, as for ownership), and each
 * reached model's own derivations.
 */
export async function fetchLineageKnownAt(
  query: Query,
  modelIds: readonly string[],
  direction: 'UP' | 'DOWN' | 'BOTH',
  knownAsOf: string,
): Promise<LineageData> {
  const roots = (await fetchRecordsKnownAt(query, modelIds, knownAsOf)).filter((m) => m._label === 'AIModel');
  const reached = new Set(roots.map((m) => m.id));
  const ways: Direction[] = direction === 'BOTH' ? ['OUT', 'IN'] : [direction === 'UP' ? 'OUT' : 'IN'];
  for (const way of ways) {
    let frontier = roots.map((m) => m.id);
    const seen = new Set(frontier);
    while (frontier.length > 0) {
      const next = new Set<string>();
      for (const { edge } of await fetchRelationshipsKnownAt(
        query,
        'DERIVED_FROM',
        way,
        frontier,
        knownAsOf,
      )) {
        const other = way === 'OUT' ? edge._to : edge._from;
        if (!seen.has(other)) next.add(other);
      }
      for (const id of next) seen.add(id);
      for (const id of next) reached.add(id);
      frontier = [...next];
    }
  }
  const ids = [...reached];
  const models: LineageData['models'] = new Map();
  for (const m of await fetchRecordsKnownAt(query, ids, knownAsOf)) {
    if (m._label !== 'AIModel') continue;
    models.set(m.id, { id: m.id, name: m.name as string, developerId: (m.developer as string) ?? null });
  }
  const derivations: LineageData['derivations'] = [];
  const rows: LineageData['rows'] = new Map();
  for (const { edge } of await fetchRelationshipsKnownAt(query, 'DERIVED_FROM', 'OUT', ids, knownAsOf)) {
    derivations.push(toDerivation(edge._from, edge._to, edge));
    rows.set(edge.id, edge);
  }
  // Walking down, a descendant's other parents lie outside the reach; they still are models.
  for (const d of derivations) {
    if (!models.has(d.parentId)) models.set(d.parentId, { id: d.parentId, developerId: null });
  }
  return { models, derivations, rows };
}

/**
 * What `accessCheck` reads about a model, as known at `knownAsOf`: the channels offering it then and the
 * policies then covering it (by id or developer), with their designations then.
 */
export async function fetchModelAccessKnownAt(
  query: Query,
  model: { id: string; developer: string },
  knownAsOf: string,
): Promise<{ offers: Offer[]; policies: CoveringPolicy[] }> {
  const offerings = await fetchRelationshipsKnownAt(query, 'OFFERS', 'IN', [model.id], knownAsOf);
  const channels = new Map(
    (await fetchRecordsKnownAt(query, [...new Set(offerings.map((o) => o.edge._from))], knownAsOf)).map(
      (c) => [c.id, c],
    ),
  );
  const offers = offerings
    .flatMap(({ edge }) => {
      const channel = channels.get(edge._from);
      return channel ? [{ offering: edge, channel }] : [];
    })
    .sort((a, b) => a.channel.id.localeCompare(b.channel.id) || a.offering.id.localeCompare(b.offering.id));
  const covering = await query<{ id: string }>(
    `${recordsOfKindKnownAt('Policy')}
     WITH n WHERE $model IN coalesce(n.coversModels, []) OR $developer IN coalesce(n.coversDevelopers, [])
     RETURN n.id AS id ORDER BY id`,
    { model: model.id, developer: model.developer, knownAsOf },
  );
  const policyIds = covering.map((c) => c.id);
  const policies = (await fetchRecordsKnownAt(query, policyIds, knownAsOf)).filter(
    (p) => p._label === 'Policy',
  );
  const designations = await designationsKnownAt(query, policyIds, knownAsOf);
  return {
    offers,
    policies: policies
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) =>
        toCoveringPolicy(
          p as unknown as PolicyRecordRow,
          designations.filter((d) => d._from === p.id),
        ),
      ),
  };
}

/**
 * `partiesByIdentifierKeys` as known at `knownAsOf`: for each key, the organizations and persons holding it
 * then. Current records come through the identifier index; past versions (a key since removed, a record
 * since retracted) are found among the versions of parties, which the index does not cover.
 */
export async function partiesByIdentifierKeysKnownAt(
  query: Query,
  keys: readonly string[],
  knownAsOf: string,
): Promise<NodeRow[][]> {
  if (keys.length === 0) return [];
  const rows = await query<{ key: string; row: NodeRow }>(
    `UNWIND $keys AS k
     WITH k.key AS key, k.phrase AS phrase
     CALL (key, phrase) {
       CALL db.index.fulltext.queryNodes('record_identifiers', phrase, {limit: $limit}) YIELD node AS n
       WHERE key IN n.identifiers AND ${knownAt('n')}
       RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} IN $kinds AND key IN coalesce(v.identifiers, [])
         AND ${knownAt('v')}
       RETURN v {.*, _label: v.${VERSION_OF}} AS row
     }
     RETURN key, row ORDER BY row.id`,
    {
      keys: keys.map((key) => ({ key, phrase: identifierPhrase(key) })),
      kinds: PARTY_KINDS,
      knownAsOf,
      limit: int(50),
    },
  );
  return keys.map((key) => rows.filter((r) => r.key === key).map((r) => r.row));
}

/** `fetchCoveringPolicies()` (every policy that says which models it covers) as known at `knownAsOf`. */
export async function fetchCoveringPoliciesKnownAt(
  query: Query,
  knownAsOf: string,
): Promise<CoveringPolicy[]> {
  const rows = await query<{ policy: NodeRow }>(
    `${recordsOfKindKnownAt('Policy')}
     WITH n WHERE size(coalesce(n.coversModels, [])) > 0 OR size(coalesce(n.coversDevelopers, [])) > 0
     RETURN n AS policy ORDER BY n.id`,
    { knownAsOf },
  );
  const ids = rows.map((r) => r.policy.id);
  const designations = await designationsKnownAt(query, ids, knownAsOf);
  return rows.map(({ policy }) =>
    toCoveringPolicy(
      policy as unknown as PolicyRecordRow,
      designations.filter((d) => d._from === policy.id),
    ),
  );
}

/** `fetchModelsCovered` as known at `knownAsOf`: each policy's models then, with every offering of them then. */
export async function fetchModelsCoveredKnownAt(
  query: Query,
  reaches: readonly PolicyReach[],
  knownAsOf: string,
): Promise<Map<string, { models: NodeRow[]; offerings: EdgeRow[] }>> {
  const models = (
    await query<{ model: NodeRow }>(`${recordsOfKindKnownAt('AIModel')} RETURN n AS model ORDER BY n.id`, {
      knownAsOf,
    })
  ).map((r) => r.model);
  const covers = (reach: PolicyReach, m: NodeRow) =>
    reach.coversModels.includes(m.id) || reach.coversDevelopers.includes(m.developer as string);
  const wanted = [...new Set(reaches.flatMap((r) => models.filter((m) => covers(r, m)).map((m) => m.id)))];
  const offerings = await fetchRelationshipsKnownAt(query, 'OFFERS', 'IN', wanted, knownAsOf);
  return new Map(
    reaches.map((reach) => {
      const covered = models.filter((m) => covers(reach, m));
      const ids = new Set(covered.map((m) => m.id));
      return [
        reach.policyId,
        { models: covered, offerings: offerings.filter((o) => ids.has(o.key)).map((o) => o.edge) },
      ];
    }),
  );
}

/** `fetchOpenWeightsAvailable` as known at `knownAsOf`: models offered for download on `asOf`, by what was known then. */
export async function fetchOpenWeightsAvailableKnownAt(
  query: Query,
  asOf: string,
  knownAsOf: string,
): Promise<NodeRow[]> {
  const channels = await query<{ id: string }>(
    `${recordsOfKindKnownAt('AccessChannel')} WITH n WHERE n.kind = 'OPEN_WEIGHTS_DOWNLOAD' RETURN n.id AS id`,
    { knownAsOf },
  );
  const offerings = await fetchRelationshipsKnownAt(
    query,
    'OFFERS',
    'OUT',
    channels.map((c) => c.id),
    knownAsOf,
  );
  const onDay = offerings.filter(
    ({ edge }) =>
      (edge.startDate == null || edge.startDate <= asOf) && (edge.endDate == null || asOf <= edge.endDate),
  );
  const ids = [...new Set(onDay.map(({ edge }) => edge._to))];
  const models = await fetchRecordsKnownAt(query, ids, knownAsOf);
  return models.filter((m) => m._label === 'AIModel').sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Every link of the given types touching `ids`, as known at `knownAsOf`, with which of `ids` were records
 * known then (only those are followed). Relationship records come current and past; references from a
 * record's own properties then (out) and from the records naming it then (in: current ones through their
 * links, past versions by their properties).
 */
async function linksKnownAt(
  query: Query,
  ids: readonly string[],
  types: readonly RelationshipType[],
  knownAsOf: string,
): Promise<{ known: Set<string>; links: FoundStep[] }> {
  const records = (await fetchRecordsKnownAt(query, ids, knownAsOf)).filter((r) =>
    (LABELS as readonly string[]).includes(r._label),
  );
  const known = new Set(records.map((r) => r.id));
  const followed = [...known];
  const recordTypes = types.filter((t): t is RecordRelationshipType => t in RECORD_RELATIONSHIPS);
  const referenceTypes = types.filter((t): t is ReferenceRelationshipType => t in REFERENCE_PROPERTIES);
  const links: FoundStep[] = [];
  if (followed.length === 0) return { known, links };
  if (recordTypes.length > 0) {
    const rows = await query<{ type: string; fromId: string; toId: string; edge: Record<string, unknown> }>(
      `CALL () {
         MATCH (k:Record)-[r:${recordTypes.join('|')}]-(:Record) WHERE k.id IN $ids AND ${knownAt('r')}
         RETURN type(r) AS type, startNode(r).id AS fromId, endNode(r).id AS toId, properties(r) AS edge
         UNION ALL
         MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._from IN $ids AND v.${VERSION_OF} IN $types AND ${knownAt('v')}
         RETURN v.${VERSION_OF} AS type, v._from AS fromId, v._to AS toId, properties(v) AS edge
         UNION ALL
         MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._to IN $ids AND v.${VERSION_OF} IN $types AND ${knownAt('v')}
         RETURN v.${VERSION_OF} AS type, v._from AS fromId, v._to AS toId, properties(v) AS edge
       }
       RETURN type, fromId, toId, edge`,
      { ids: followed, types: recordTypes, knownAsOf },
    );
    for (const r of rows) links.push(foundStep(r.type, r.fromId, r.toId, r.edge));
  }
  if (referenceTypes.length > 0) {
    for (const record of records) {
      for (const type of referenceTypes) {
        if (REFERENCE_PROPERTIES[type].label !== record._label) continue;
        for (const target of referencedIds(record, type)) links.push(foundStep(type, record.id, target, {}));
      }
    }
    // Past versions name what they point to in their properties: one scan, each type's targets as pairs.
    const pairs = referenceTypes.map((type) => {
      const { label, property, list, country } = REFERENCE_PROPERTIES[type];
      const values = list
        ? `coalesce(v.${property}, [])`
        : `CASE WHEN v.${property} IS NULL THEN [] ELSE [v.${property}] END`;
      const targets = country ? `[c IN ${values} | 'country:' + c]` : values;
      return `CASE WHEN v.${VERSION_OF} = '${label}' THEN [t IN ${targets} | ['${type}', t]] ELSE [] END`;
    });
    const labels = [...new Set(referenceTypes.map((type) => REFERENCE_PROPERTIES[type].label))];
    const rows = await query<{ type: string; fromId: string; toId: string }>(
      `CALL () {
         MATCH (k:Record)<-[l:${referenceTypes.join('|')}]-(n:Record) WHERE k.id IN $ids AND ${knownAt('n')}
         RETURN type(l) AS type, n.id AS fromId, k.id AS toId
         UNION ALL
         MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${VERSION_OF} IN $labels AND ${knownAt('v')}
         UNWIND ${pairs.join(' + ')} AS pair
         WITH v, pair WHERE pair[1] IN $ids
         RETURN pair[0] AS type, v.id AS fromId, pair[1] AS toId
       }
       RETURN type, fromId, toId`,
      { ids: followed, labels, knownAsOf },
    );
    for (const r of rows) links.push(foundStep(r.type, r.fromId, r.toId, {}));
  }
  return { known, links };
}

/**
 * The links, as known at `knownAsOf`, that hold every shortest path of at most `maxHops` links between two
 * records: grown a level at a time from both ends (the smaller frontier first) until the two searches meet.
 * When they first meet after `a` levels from one end and `b` from the other, the shortest paths are `a + b`
 * long and every link on them has been read by one side or the other, so searching the links gathered gives
 * the same paths as searching the whole graph known then. Past versions are nodes, not relationships, so the
 * database's own shortest-path search cannot be used here.
 */
export async function fetchConnectingLinksKnownAt(
  query: Query,
  args: { from: string; to: string; maxHops: number; types: readonly RelationshipType[] },
  knownAsOf: string,
): Promise<FoundStep[]> {
  const sides = [args.from, args.to].map((start) => ({
    reached: new Set([start]),
    frontier: [start],
  }));
  const gathered = new Map<string, FoundStep>();
  for (let hops = 0; hops < args.maxHops; hops++) {
    const open = sides.filter((s) => s.frontier.length > 0);
    if (open.length === 0) break;
    const side = open.reduce((a, b) => (b.frontier.length < a.frontier.length ? b : a));
    const { links } = await linksKnownAt(query, side.frontier, args.types, knownAsOf);
    const next = new Set<string>();
    for (const link of links) {
      gathered.set(`${link.type}|${link.edge.id}|${link.fromId}|${link.toId}`, link);
      for (const end of [link.fromId, link.toId]) if (!side.reached.has(end)) next.add(end);
    }
    for (const id of next) side.reached.add(id);
    side.frontier = [...next];
    const [a, b] = sides;
    if ([...a!.reached].some((id) => b!.reached.has(id))) break;
  }
  return [...gathered.values()];
}
