import type { Query } from '../db/database';
import { GRAPH_STAMP_CALL, GRAPH_VERSION_KEY, graphStamp } from './graphVersion';
import { storedShareToFraction } from '../records/share';
import type { DatePrecision } from '../model/common';
import type { ControlBasis, Entity, OwnershipEdge, OwnershipGraph } from '../reasoning';

/**
 * The ownership and control edges an answer depends on, fetched in one round trip, then handed to the pure
 * reasoning code. Cypher returns reachable nodes, not paths: `WITH DISTINCT` right after the variable-length
 * pattern lets Neo4j expand breadth-first with pruning instead of enumerating paths, which explodes on diamonds.
 * Every edge comes back whatever its dates: the reasoning filters by the as-of date.
 *
 * Shaped for a 1M-entity sweep (issue #4, bench/README.md: ~400k entities, ~650k edges): each property chain
 * is read once (`properties(r)`, not one lookup per key), edges come back as fixed-position lists rather than
 * maps (the JS driver decodes every map key again on every edge), and entities come 1000 to a record (the
 * driver pulls records 1000 per round trip and builds an object for each). The row types name the positions.
 */

/** [ownerId, edgeId, isOwns, shareExact, shareMinimum, shareMaximum, shareExclusiveMinimum, shareExclusiveMaximum, shareUnknown, startDate, endDate, sourceIds, basis, startDatePrecision, endDatePrecision] */
type EdgeRow = [
  string,
  string,
  boolean,
  unknown,
  unknown,
  unknown,
  unknown,
  unknown,
  unknown,
  string | null,
  string | null,
  string[] | null,
  string | null,
  DatePrecision | null,
  DatePrecision | null,
];

/** [id, name, isPerson, headquarters or residence, incorporation or nationality, incoming edges] */
export type EntityRow = [string, string | null, boolean, string | null, string | null, EdgeRow[]];

/** Entities per returned record: a 400k-entity sweep arrives as 400 records. */
const CHUNK = 1000;

const ENTITY_ROWS = `
  OPTIONAL MATCH (x)<-[r:OWNS|CONTROLS]-(o)
  WITH x, r, o, properties(r) AS p
  WITH x, collect(CASE WHEN r IS NOT NULL THEN
         [o.id, p.id, type(r) = 'OWNS', p.shareExact, p.shareMinimum, p.shareMaximum, p.shareExclusiveMinimum,
          p.shareExclusiveMaximum, p.shareUnknown, p.startDate, p.endDate, p.sourceIds, p.basis,
          p.startDatePrecision, p.endDatePrecision] END) AS incoming
  WITH x, incoming, properties(x) AS q
  WITH collect([q.id, q.name, x:Person, coalesce(q.headquarters, q.residence), coalesce(q.incorporation, q.nationality),
                incoming]) AS rows`;

const ENTITY_RETURN = `${ENTITY_ROWS}
  UNWIND range(0, size(rows) - 1, ${CHUNK}) AS i
  RETURN rows[i..i + ${CHUNK}] AS chunk`;

/** The graph stamp each upstream read saw, read after its rows (see `upstreamStamp`). */
const stamps = new WeakMap<OwnershipGraph, string>();

/**
 * The graph version stamp (src/queries/graphVersion.ts) that the read of this upstream graph saw, read in the
 * same statement after the graph, so at least as new as it; defined only for a graph read by fetchUpstream with
 * `stamped` (and entities) or by fetchAccessReads (src/queries/modelAccess.ts). What is kept per stamp (a policy, src/cache/sweepCache.ts) answers a request whose
 * upstream read saw that stamp without another read.
 */
export function upstreamStamp(graph: OwnershipGraph): string | undefined {
  return stamps.get(graph);
}

/**
 * Everything upstream of the given entities: their owners and controllers, transitively. With `stamped`, the
 * graph version stamp too, read after the graph in the same statement (see upstreamStamp): a verdict whose
 * policy is kept per stamp needs it; every other reader is spared its cost (about a sixth of a small read's
 * CPU, measured at 100k with 8 clients).
 */
export async function fetchUpstream(
  query: Query,
  entityIds: readonly string[],
  { stamped = false }: { stamped?: boolean } = {},
): Promise<OwnershipGraph> {
  const rows = await query<{ chunk: EntityRow[]; version?: number | null; changedAt?: string | null }>(
    `MATCH (start:Record) WHERE start.id IN $ids AND (start:Organization OR start:Person)
     ${UPSTREAM_OF_START}
     ${stamped ? GRAPH_STAMP_CALL : ''}
     UNWIND range(0, size(rows) - 1, ${CHUNK}) AS i
     RETURN rows[i..i + ${CHUNK}] AS chunk${stamped ? ', version, changedAt' : ''}`,
    stamped ? { ids: [...entityIds], versionKey: GRAPH_VERSION_KEY } : { ids: [...entityIds] },
  );
  const [first] = rows;
  return first && stamped
    ? stampedGraph(rows, graphStamp(first.version ?? null, first.changedAt ?? null))
    : toGraph(rows);
}

/**
 * Everything upstream of the bound `start` (an organization or a person), as `rows` (EntityRow[]) in one row
 * (an empty list without a `start`): fetchUpstream's read, for a statement that reads more beside it (an access
 * check's, src/queries/modelAccess.ts). Turn it into a graph with stampedGraph.
 */
export const UPSTREAM_OF_START = `MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)
     WITH DISTINCT x
     ${ENTITY_ROWS}`;

/** The graph of UPSTREAM_OF_START's rows, remembered as read at `stamp` (see upstreamStamp). */
export function stampedGraph(chunks: Array<{ chunk: EntityRow[] }>, stamp: string): OwnershipGraph {
  const graph = toGraph(chunks);
  stamps.set(graph, stamp);
  return graph;
}

export type CountryBasis = 'HEADQUARTERS' | 'INCORPORATION' | 'EITHER';

/** Where a sweep starts: designated entities, and entities based in a targeted country on a basis. */
export interface DownstreamRoots {
  designated: readonly string[];
  targets: readonly string[];
  basis: CountryBasis;
}

/**
 * Everything downstream of a policy's starting points (designated entities and entities based in a
 * targeted country), with every owner of those entities: all a whole-graph sweep needs, since coverage
 * only flows down ownership and control edges.
 */
export async function fetchDownstream(query: Query, roots: DownstreamRoots): Promise<OwnershipGraph> {
  // Organizations by their own properties (indexed), persons by residence and nationality.
  const organizations = {
    HEADQUARTERS: 'n.headquarters IN $targets',
    INCORPORATION: 'n.incorporation IN $targets',
    EITHER: 'n.headquarters IN $targets OR n.incorporation IN $targets',
  }[roots.basis];
  const persons = {
    HEADQUARTERS: 'n.residence IN $targets',
    INCORPORATION: 'n.nationality IN $targets',
    EITHER: 'n.residence IN $targets OR n.nationality IN $targets',
  }[roots.basis];
  const rows = await query<{ chunk: EntityRow[] }>(
    `CALL () {
       MATCH (n:Record) WHERE n.id IN $designated RETURN n
       UNION
       MATCH (n:Organization) WHERE ${organizations} RETURN n
       UNION
       MATCH (n:Person) WHERE ${persons} RETURN n
     }
     MATCH (n)-[:OWNS|CONTROLS*0..]->(x)
     WITH DISTINCT x
     ${ENTITY_RETURN}`,
    { designated: [...roots.designated], targets: [...roots.targets] },
  );
  return toGraph(rows);
}

function toGraph(chunks: Array<{ chunk: EntityRow[] }>): OwnershipGraph {
  const entities = new Map<string, Entity>();
  const ownerships: OwnershipEdge[] = [];
  const controls: OwnershipGraph['controls'] = [];
  for (const { chunk } of chunks)
    for (const [entityId, name, person, hq, inc, incoming] of chunk) {
      entities.set(entityId, {
        id: entityId,
        name: name ?? entityId,
        kind: person ? 'PERSON' : 'ORGANIZATION',
        headquartersCountry: hq,
        incorporationCountry: inc,
      });
      for (const [
        from,
        id,
        owns,
        shareExact,
        shareMinimum,
        shareMaximum,
        shareExclusiveMinimum,
        shareExclusiveMaximum,
        shareUnknown,
        startDate,
        endDate,
        sourceIds,
        basis,
        startDatePrecision,
        endDatePrecision,
      ] of incoming) {
        const dated = { startDate: startDate ?? null, endDate: endDate ?? null, sourceIds: sourceIds ?? [] };
        // Month- or year-only ends (model/common.ts): the reasoning reads the days they leave open as uncertain.
        const precision = {
          ...(startDatePrecision ? { startDatePrecision } : {}),
          ...(endDatePrecision ? { endDatePrecision } : {}),
        };
        if (owns) {
          const share = storedShareToFraction({
            shareExact,
            shareMinimum,
            shareMaximum,
            shareExclusiveMinimum,
            shareExclusiveMaximum,
            shareUnknown,
          });
          ownerships.push({ id, ownerId: from, ownedId: entityId, share, ...dated, ...precision });
        } else {
          // A missing basis stays undefined, as it did when edges came back as property maps.
          controls.push({
            id,
            controllerId: from,
            controlledId: entityId,
            basis: (basis ?? undefined) as ControlBasis,
            ...dated,
          });
        }
      }
    }
  // Owners outside a downstream sweep are not covered; they only need to exist for the edge to count.
  const addOwner = (id: string) => {
    if (!entities.has(id)) {
      entities.set(id, {
        id,
        name: id,
        kind: id.startsWith('person:') ? 'PERSON' : 'ORGANIZATION',
        headquartersCountry: null,
        incorporationCountry: null,
      });
    }
  };
  for (const edge of ownerships) addOwner(edge.ownerId);
  for (const edge of controls) addOwner(edge.controllerId);
  return { entities, ownerships, controls };
}
