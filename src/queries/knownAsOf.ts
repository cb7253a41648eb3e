import type { Query } from '../db/database';
import type { ControlBasis, OwnershipGraph, PolicyRule } from '../reasoning';
import { knownAt, RECORD_VERSION_LABEL } from '../records/recordTime';
import type { NodeRow } from '../records/rows';
import { storedShareToFraction } from '../records/share';
import type { CountryBasis } from './ownershipSubgraph';
import { toPolicyRule, type PolicyRecordRow } from './policyRules';

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
  const rows = await query<{ row: NodeRow }>(
    `CALL () {
       MATCH (n:Record) WHERE n.id IN $ids AND ${knownAt('n')}
       RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.id IN $ids AND ${knownAt('v')}
       RETURN v {.*, _label: v.kind} AS row
     }
     RETURN row`,
    { ids: [...ids], knownAsOf },
  );
  return rows.map((r) => r.row);
}

type Edge = Record<string, unknown>;

/** Parties by id as known then, as the reasoning's entities. */
async function entitiesAt(query: Query, ids: readonly string[], knownAsOf: string, graph: OwnershipGraph) {
  for (const p of await fetchRecordsKnownAt(query, ids, knownAsOf)) {
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
  const [pattern, end] =
    direction === 'IN'
      ? ['(x:Record)<-[r:OWNS|CONTROLS]-(o:Record)', '_to']
      : ['(x:Record)-[r:OWNS|CONTROLS]->(o:Record)', '_from'];
  const ends = direction === 'IN' ? '_from: o.id, _to: x.id' : '_from: x.id, _to: o.id';
  const rows = await query<{ e: Edge }>(
    `CALL () {
       MATCH ${pattern} WHERE x.id IN $ids AND ${knownAt('r')}
       RETURN r {.*, ${ends}, kind: type(r)} AS e
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.${end} IN $ids AND v.kind IN ['OWNS', 'CONTROLS'] AND ${knownAt('v')}
       RETURN properties(v) AS e
     }
     RETURN e`,
    { ids: [...ids], knownAsOf },
  );
  return rows.map((r) => r.e);
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
    await entitiesAt(query, frontier, knownAsOf, graph);
    const known = frontier.filter((id) => graph.entities.has(id));
    const next = new Set<string>();
    for (const e of await edgesAt(query, known, knownAsOf, 'IN')) {
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
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v.kind IN $kinds AND (${where('v')}) AND ${knownAt('v')} RETURN v.id AS id
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
  await entitiesAt(query, ids, knownAsOf, graph);
  for (const e of await edgesAt(query, ids, knownAsOf, 'IN')) addEdge(graph, e);
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
  const designations = await query<{ d: Record<string, unknown> }>(
    `CALL () {
       MATCH (p:Record)-[r:DESIGNATES]->(e:Record) WHERE p.id IN $ids AND ${knownAt('r')}
       RETURN r {.*, _from: p.id, entityId: e.id} AS d
       UNION ALL
       MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._from IN $ids AND v.kind = 'DESIGNATES' AND ${knownAt('v')}
       RETURN v {.*, entityId: v._to} AS d
     }
     RETURN d ORDER BY d.id`,
    { ids: [...policyIds], knownAsOf },
  );
  return new Map(
    policies.map((p) => [
      p.id,
      toPolicyRule(
        p as unknown as PolicyRecordRow,
        designations.map((r) => r.d).filter((d) => d._from === p.id),
      ),
    ]),
  );
}
