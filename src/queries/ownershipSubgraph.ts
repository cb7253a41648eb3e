import type { Query } from '../db/database';
import type { ControlBasis, Entity, OwnershipEdge, OwnershipGraph, Share } from '../reasoning';

/**
 * The ownership and control edges an answer depends on, fetched in one round trip, then handed to the pure
 * reasoning code. Cypher returns reachable nodes, not paths: `WITH DISTINCT` right after the variable-length
 * pattern lets Neo4j expand breadth-first with pruning instead of enumerating paths, which explodes on diamonds.
 * Every edge comes back whatever its dates: the reasoning filters by the as-of date.
 */

interface EntityRow {
  id: string;
  name: string | null;
  labels: string[];
  hq: string | null;
  inc: string | null;
  incoming: Array<Record<string, unknown> & { id: string; type: 'OWNS' | 'CONTROLS'; from: string }>;
}

const ENTITY_RETURN = `
  OPTIONAL MATCH (x)<-[r:OWNS|CONTROLS]-(o)
  RETURN x.id AS id, x.name AS name, labels(x) AS labels,
         coalesce(x.headquarters, x.residence) AS hq, coalesce(x.incorporation, x.nationality) AS inc,
         collect(CASE WHEN r IS NULL THEN null ELSE r {.*, type: type(r), from: o.id} END) AS incoming`;

/** Everything upstream of the given entities: their owners and controllers, transitively. */
export async function fetchUpstream(query: Query, entityIds: readonly string[]): Promise<OwnershipGraph> {
  const rows = await query<EntityRow>(
    `MATCH (start:Record) WHERE start.id IN $ids AND (start:Organization OR start:Person)
     MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)
     WITH DISTINCT x
     ${ENTITY_RETURN}`,
    { ids: [...entityIds] },
  );
  return toGraph(rows);
}

export type CountryBasis = 'HEADQUARTERS' | 'INCORPORATION' | 'EITHER';

/**
 * Everything downstream of a policy's starting points (designated entities and entities based in a
 * targeted country), with every owner of those entities: all a whole-graph sweep needs, since coverage
 * only flows down ownership and control edges.
 */
export async function fetchDownstream(
  query: Query,
  roots: { designated: readonly string[]; targets: readonly string[]; basis: CountryBasis },
): Promise<OwnershipGraph> {
  const byCountry = {
    HEADQUARTERS: 'coalesce(n.headquarters, n.residence) IN $targets',
    INCORPORATION: 'coalesce(n.incorporation, n.nationality) IN $targets',
    EITHER: '(coalesce(n.headquarters, n.residence) IN $targets OR coalesce(n.incorporation, n.nationality) IN $targets)',
  }[roots.basis];
  const rows = await query<EntityRow>(
    `CALL () {
       MATCH (n:Record) WHERE n.id IN $designated RETURN n
       UNION
       MATCH (n:Organization) WHERE ${byCountry} RETURN n
       UNION
       MATCH (n:Person) WHERE ${byCountry} RETURN n
     }
     MATCH (n)-[:OWNS|CONTROLS*0..]->(x)
     WITH DISTINCT x
     ${ENTITY_RETURN}`,
    { designated: [...roots.designated], targets: [...roots.targets] },
  );
  return toGraph(rows);
}

function toGraph(rows: EntityRow[]): OwnershipGraph {
  const entities = new Map<string, Entity>();
  const ownerships: OwnershipEdge[] = [];
  const controls: OwnershipGraph['controls'] = [];
  for (const row of rows) {
    entities.set(row.id, toEntity(row));
    for (const edge of row.incoming) {
      const dated = {
        startDate: (edge.startDate as string | undefined) ?? null,
        endDate: (edge.endDate as string | undefined) ?? null,
        sourceIds: (edge.sourceIds as string[] | undefined) ?? [],
      };
      if (edge.type === 'OWNS') {
        ownerships.push({ id: edge.id, ownerId: edge.from, ownedId: row.id, share: toShare(edge), ...dated });
      } else {
        controls.push({ id: edge.id, controllerId: edge.from, controlledId: row.id, basis: edge.basis as ControlBasis, ...dated });
      }
    }
  }
  // Owners outside a downstream sweep are not covered; they only need to exist for the edge to count.
  for (const edge of [...ownerships.map((e) => e.ownerId), ...controls.map((c) => c.controllerId)]) {
    if (!entities.has(edge)) {
      entities.set(edge, { id: edge, name: edge, kind: edge.startsWith('person:') ? 'PERSON' : 'ORGANIZATION', headquartersCountry: null, incorporationCountry: null });
    }
  }
  return { entities, ownerships, controls };
}

function toEntity(row: EntityRow): Entity {
  return {
    id: row.id,
    name: row.name ?? row.id,
    kind: row.labels.includes('Person') ? 'PERSON' : 'ORGANIZATION',
    headquartersCountry: row.hq,
    incorporationCountry: row.inc,
  };
}

/** Percent as stored (BODS style) to the fractions the reasoning uses. */
export function toShare(edge: Record<string, unknown>): Share {
  const pct = (key: string) => (typeof edge[key] === 'number' ? (edge[key] as number) / 100 : undefined);
  if (edge.shareUnknown) return { min: 0, max: 1, unknown: true };
  const exact = pct('shareExact');
  if (exact !== undefined) return { min: exact, max: exact };
  const min = pct('shareMinimum');
  const exclusiveMin = pct('shareExclusiveMinimum');
  const max = pct('shareMaximum');
  const exclusiveMax = pct('shareExclusiveMaximum');
  return {
    min: min ?? exclusiveMin ?? 0,
    max: max ?? exclusiveMax ?? 1,
    ...(exclusiveMin !== undefined ? { minExclusive: true } : {}),
    ...(exclusiveMax !== undefined ? { maxExclusive: true } : {}),
  };
}
