import type { OwnershipGraph, PolicyRule } from '../graph';
import { screenEntities } from '../screening';

const entity = (id: string, hq: string | null = null) => ({
  id,
  name: id,
  kind: 'ORGANIZATION' as const,
  headquartersCountry: hq,
  incorporationCountry: null,
});
const own = (id: string, ownerId: string, ownedId: string, share: number) => ({
  id,
  ownerId,
  ownedId,
  share: { min: share, max: share },
  startDate: null,
  endDate: null,
  sourceIds: ['src:t'],
});

const graph: OwnershipGraph = {
  entities: new Map([entity('P', 'CN'), entity('A'), entity('B'), entity('C')].map((e) => [e.id, e])),
  ownerships: [own('e1', 'P', 'A', 0.6), own('e2', 'P', 'B', 0.3), own('e3', 'A', 'C', 0.5)],
  controls: [],
};

const rule: PolicyRule = {
  id: 'policy:t',
  name: 'Test rule',
  threshold: 0.5,
  thresholdInclusive: false,
  countryBasis: 'HEADQUARTERS',
  targetCountries: ['CN'],
  includesIndirect: true,
  controlCounts: false,
  aggregation: 'AGGREGATE',
  effectiveFrom: '2025-01-01',
  effectiveUntil: null,
  rescindedOn: null,
  suspensions: [],
  designations: [],
};

describe('screenEntities: many entities, one evaluation', () => {
  it('gives every asked entity its verdict and bounds, NOT_COVERED ones included, in the order asked', () => {
    const result = screenEntities(graph, rule, ['C', 'A', 'B', 'P'], { asOf: '2025-06-01' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.entities.map((e) => [e.entityId, e.verdict, e.aggregate.lower])).toEqual([
      ['C', 'NOT_COVERED', 0.5],
      ['A', 'COVERED', 0.6],
      ['B', 'NOT_COVERED', 0.3],
      ['P', 'COVERED', 1],
    ]);
  });

  it('says NOT_COVERED for everyone while the policy is not yet in force', () => {
    const result = screenEntities(graph, rule, ['A'], { asOf: '2024-06-01' });
    if (!result.ok) throw new Error('unexpected errors');
    expect(result.value.policyStatus.status).toBe('NOT_YET_IN_FORCE');
    expect(result.value.entities[0]?.verdict).toBe('NOT_COVERED');
  });

  it('returns the invalid date as an error value', () => {
    const result = screenEntities(graph, rule, ['A'], { asOf: '2025-13-01' });
    expect(result.ok).toBe(false);
  });
});
