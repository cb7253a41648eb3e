/** Not public API: small builders so each test case reads as its graph and its answer. */
import type { ControlBasis, Entity, OwnershipEdge, OwnershipGraph, PolicyRule, Share } from '../graph';

export type EdgeSpec = [
  owner: string,
  owned: string,
  percent: number | Share,
  dates?: { start?: string; end?: string },
];

export interface GraphSpec {
  edges: EdgeSpec[];
  /** Entity details by id; entities named on edges are created as organisations otherwise. */
  entities?: Record<string, Partial<Entity>>;
  controls?: [controller: string, controlled: string, basis: ControlBasis][];
}

export const exact = (percent: number): Share => ({ min: percent / 100, max: percent / 100 });
export const range = (minPercent: number, maxPercent: number, extra: Partial<Share> = {}): Share => ({
  min: minPercent / 100,
  max: maxPercent / 100,
  ...extra,
});
export const unknownShare: Share = { min: 0, max: 1, unknown: true };

export function graphOf(spec: GraphSpec): OwnershipGraph {
  const entities = new Map<string, Entity>();
  const ensure = (id: string) => {
    if (!entities.has(id)) {
      entities.set(id, {
        id,
        name: id,
        kind: 'ORGANIZATION',
        headquartersCountry: null,
        incorporationCountry: null,
        ...spec.entities?.[id],
      });
    }
  };
  for (const id of Object.keys(spec.entities ?? {})) ensure(id);
  const ownerships: OwnershipEdge[] = spec.edges.map(([owner, owned, share, dates], i) => {
    ensure(owner);
    ensure(owned);
    return {
      id: `own:${owner}-${owned}-${i}`,
      ownerId: owner,
      ownedId: owned,
      share: typeof share === 'number' ? exact(share) : share,
      startDate: dates?.start ?? null,
      endDate: dates?.end ?? null,
      sourceIds: [`src:${owner}-${owned}`],
    };
  });
  const controls = (spec.controls ?? []).map(([controller, controlled, basis], i) => {
    ensure(controller);
    ensure(controlled);
    return {
      id: `ctrl:${controller}-${controlled}-${i}`,
      controllerId: controller,
      controlledId: controlled,
      basis,
      startDate: null,
      endDate: null,
      sourceIds: [`src:ctrl-${controller}-${controlled}`],
    };
  });
  return { entities, ownerships, controls };
}

/** A policy; `designated` lists entity ids designated from 2000-01-01 with no end. */
export function policyOf(over: Partial<PolicyRule> & { designatedIds?: string[] } = {}): PolicyRule {
  const { designatedIds = [], ...rest } = over;
  const id = rest.id ?? 'policy:test';
  return {
    id,
    name: 'Test rule',
    threshold: 0.5,
    thresholdInclusive: true,
    countryBasis: 'HEADQUARTERS',
    targetCountries: [],
    includesIndirect: true,
    controlCounts: false,
    aggregation: 'AGGREGATE',
    effectiveFrom: null,
    effectiveUntil: null,
    rescindedOn: null,
    suspensions: [],
    designations: designatedIds.map((entityId) => ({
      id: `desig:${entityId}`,
      policyId: id,
      entityId,
      startDate: '2000-01-01',
      endDate: null,
      sourceIds: [`src:list-${entityId}`],
    })),
    ...rest,
  };
}

/** OFAC: 50 percent or more, in the aggregate, directly or indirectly (FAQ 401). */
export const ofac = (designatedIds: string[], over: Partial<PolicyRule> = {}) =>
  policyOf({ id: 'policy:ofac', name: 'OFAC 50 Percent Rule', designatedIds, ...over });

/** Anthropic: more than 50%, owners headquartered in unsupported regions. */
export const anthropic = (over: Partial<PolicyRule> = {}) =>
  policyOf({
    id: 'policy:anthropic',
    name: 'Anthropic unsupported-regions restriction',
    thresholdInclusive: false,
    targetCountries: ['CN', 'RU', 'IR', 'KP'],
    countryBasis: 'HEADQUARTERS',
    effectiveFrom: '2025-09-05',
    ...over,
  });

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; errors: unknown[] } | null): T {
  if (result === null) throw new Error('expected a result, got null');
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}
