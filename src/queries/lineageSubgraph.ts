import type { Query } from '../db/database';
import type { EdgeRow } from '../records/rows';
import type { Derivation, LineageModel } from '../reasoning';

/**
 * The derivation graph around some models, in one round trip: every model reachable up (ancestors) and/or
 * down (descendants) and each one's own derivations. As for ownership, `DISTINCT` right after the
 * variable-length pattern lets Neo4j prune instead of enumerating paths.
 */
export interface LineageData {
  models: Map<string, LineageModel & { developerId: string | null }>;
  derivations: Derivation[];
  /** The stored relationship rows, for the GraphQL Derivation type. */
  rows: Map<string, EdgeRow>;
}

const REACH = {
  UP: 'MATCH (m)-[:DERIVED_FROM*0..]->(x) RETURN DISTINCT x',
  DOWN: 'MATCH (m)<-[:DERIVED_FROM*0..]-(x) RETURN DISTINCT x',
  BOTH: `MATCH (m)-[:DERIVED_FROM*0..]->(x) RETURN DISTINCT x
         UNION
         MATCH (m)<-[:DERIVED_FROM*0..]-(x) RETURN DISTINCT x`,
};

export async function fetchLineage(
  query: Query,
  modelIds: readonly string[],
  direction: 'UP' | 'DOWN' | 'BOTH',
): Promise<LineageData> {
  const rows = await query<{
    id: string;
    name: string;
    developer: string | null;
    parents: Array<Record<string, unknown> & { id: string; parent: string }>;
  }>(
    `MATCH (m:Record:AIModel) WHERE m.id IN $ids
     CALL (m) { ${REACH[direction]} }
     WITH DISTINCT x
     OPTIONAL MATCH (x)-[d:DERIVED_FROM]->(p)
     RETURN x.id AS id, x.name AS name, x.developer AS developer,
            collect(CASE WHEN d IS NULL THEN null ELSE d {.*, parent: p.id} END) AS parents`,
    { ids: [...modelIds] },
  );
  const models: LineageData['models'] = new Map();
  const derivations: Derivation[] = [];
  const edgeRows = new Map<string, EdgeRow>();
  for (const row of rows) {
    models.set(row.id, { id: row.id, name: row.name, developerId: row.developer });
    for (const d of row.parents) {
      derivations.push(toDerivation(row.id, d.parent, d));
      const { parent, ...props } = d;
      edgeRows.set(d.id, {
        ...props,
        _from: row.id,
        _to: parent,
        sourceIds: (d.sourceIds as string[]) ?? [],
      });
    }
  }
  // Walking down, a descendant's other parents lie outside the reach; they still are models.
  for (const d of derivations) {
    if (!models.has(d.parentId)) models.set(d.parentId, { id: d.parentId, developerId: null });
  }
  return { models, derivations, rows: edgeRows };
}

/** A stored DERIVED_FROM record as the reasoning reads it. */
export function toDerivation(childId: string, parentId: string, d: Record<string, unknown>): Derivation {
  return {
    id: d.id as string,
    childId,
    parentId,
    method: d.method as Derivation['method'],
    basis: d.basis as Derivation['basis'],
    allegationId: (d.allegation as string | undefined) ?? null,
    startDate: (d.startDate as string | undefined) ?? null,
    sourceIds: (d.sourceIds as string[] | undefined) ?? [],
  };
}
