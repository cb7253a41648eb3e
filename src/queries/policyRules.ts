import type { Query } from '../db/database';
import type { Designation, PolicyRule, Suspension } from '../reasoning';
import { readOwnershipRule } from '../records/ownershipRule';

/**
 * Policies as the reasoning reads them. A policy without an ownership rule (an entity list, a block by
 * location) covers only what it names or targets: it becomes a rule that no ownership can meet
 * ("more than 100%"), so only its starting points are covered, never their subsidiaries. A stored rule is
 * read with the data-set format's schema (records/ownershipRule.ts): no default is invented for its fields.
 */
export interface PolicyRecordRow {
  [key: string]: unknown;
  id: string;
  name: string;
}

/** A stored policy with its designations (the entities it names), as every policy read returns it. */
export interface PolicyRecord {
  policy: PolicyRecordRow;
  designations: Array<Record<string, unknown>>;
}

/** Policies by id with their designations; an id that is no policy is left out. */
export function fetchPolicyRecords(query: Query, policyIds: readonly string[]): Promise<PolicyRecord[]> {
  return query<PolicyRecord>(
    `MATCH (p:Record:Policy) WHERE p.id IN $ids
     OPTIONAL MATCH (p)-[d:DESIGNATES]->(e)
     RETURN p {.*} AS policy, collect(CASE WHEN d IS NULL THEN null ELSE d {.*, entityId: e.id} END) AS designations`,
    { ids: [...new Set(policyIds)] },
  );
}

export async function fetchPolicyRules(
  query: Query,
  policyIds: readonly string[],
): Promise<Map<string, PolicyRule>> {
  const rows = await fetchPolicyRecords(query, policyIds);
  return new Map(rows.map((r) => [r.policy.id, toPolicyRule(r.policy, r.designations)]));
}

export function toPolicyRule(p: PolicyRecordRow, designations: Array<Record<string, unknown>>): PolicyRule {
  const rule = readOwnershipRule(p);
  const suspensions = p.suspensionsJson
    ? (
        JSON.parse(p.suspensionsJson as string) as Array<{
          from: string;
          until?: string | null;
          note?: string;
        }>
      ).map((s): Suspension => ({
        from: s.from,
        until: s.until ?? null,
        ...(s.note ? { note: s.note } : {}),
      }))
    : [];
  return {
    id: p.id,
    name: p.name,
    threshold: rule ? rule.threshold / 100 : 1,
    thresholdInclusive: rule?.thresholdInclusive ?? false,
    countryBasis: rule?.countryBasis ?? 'HEADQUARTERS',
    targetCountries: (p.targets as string[] | undefined) ?? [],
    includesIndirect: rule?.includesIndirect ?? false,
    controlCounts: rule?.controlCounts ?? false,
    ...(rule?.controlBases ? { controlBases: rule.controlBases } : {}),
    aggregation: rule?.aggregation ?? 'AGGREGATE',
    effectiveFrom: (p.effectiveFrom as string | undefined) ?? null,
    effectiveUntil: (p.effectiveUntil as string | undefined) ?? null,
    rescindedOn: (p.rescindedOn as string | undefined) ?? null,
    suspensions,
    statusNote: (p.statusNote as string | undefined) ?? null,
    statusUncertainFrom: (p.statusUncertainFrom as string | undefined) ?? null,
    designations: designations.map((d): Designation => ({
      id: d.id as string,
      policyId: p.id,
      entityId: d.entityId as string,
      startDate: (d.startDate as string | undefined) ?? null,
      endDate: (d.endDate as string | undefined) ?? null,
      sourceIds: (d.sourceIds as string[] | undefined) ?? [],
      listName: (d.listName as string | undefined) ?? null,
    })),
  };
}
