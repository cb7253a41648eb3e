import type { Query } from '../db/database';
import type { ControlBasis, OwnershipGraph, PolicyRule } from '../reasoning';
import { knownAt, RECORD_VERSION_LABEL } from '../records/recordTime';
import type { NodeRow } from '../records/rows';
import { storedShareToFraction } from '../records/share';
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
    const parties = await fetchRecordsKnownAt(query, frontier, knownAsOf);
    for (const p of parties) {
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
    const known = frontier.filter((id) => graph.entities.has(id));
    const edges = await query<{ e: Record<string, unknown> }>(
      `CALL () {
         MATCH (x:Record)<-[r:OWNS|CONTROLS]-(o:Record) WHERE x.id IN $ids AND ${knownAt('r')}
         RETURN r {.*, _from: o.id, _to: x.id, kind: type(r)} AS e
         UNION ALL
         MATCH (v:${RECORD_VERSION_LABEL}) WHERE v._to IN $ids AND v.kind IN ['OWNS', 'CONTROLS'] AND ${knownAt('v')}
         RETURN properties(v) AS e
       }
       RETURN e`,
      { ids: known, knownAsOf },
    );
    const next = new Set<string>();
    for (const { e } of edges) {
      const dated = {
        id: e.id as string,
        startDate: (e.startDate as string | undefined) ?? null,
        endDate: (e.endDate as string | undefined) ?? null,
        sourceIds: (e.sourceIds as string[] | undefined) ?? [],
      };
      const from = e._from as string;
      const to = e._to as string;
      if (e.kind === 'OWNS') {
        graph.ownerships.push({ ...dated, ownerId: from, ownedId: to, share: storedShareToFraction(e) });
      } else {
        const basis = (e.basis ?? undefined) as ControlBasis;
        graph.controls.push({ ...dated, controllerId: from, controlledId: to, basis });
      }
      if (!seen.has(from)) next.add(from);
    }
    frontier = [...next];
  }
  // Same order as the current read (by start date, then id), so explanations list paths alike.
  const order = (a: { startDate: string | null; id: string }, b: { startDate: string | null; id: string }) =>
    (a.startDate ?? '').localeCompare(b.startDate ?? '') || a.id.localeCompare(b.id);
  graph.ownerships.sort(order);
  graph.controls.sort(order);
  return graph;
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
