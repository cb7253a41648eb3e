/** OFAC FAQ 401 worked examples and FAQ 399, as sets of blocked entities from one whole-graph sweep. */
import { coveredEntities } from '../coverage';
import type { GraphSpec } from './fixtures';
import { graphOf, ofac, unwrap } from './fixtures';

const cases: { name: string; graph: GraphSpec; designated: string[]; blocked: string[] }[] = [
  {
    name: 'example 1: X owns 50% of A, A owns 50% of B; A and B are blocked',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['A', 'B', 50],
      ],
    },
    designated: ['X'],
    blocked: ['A', 'B', 'X'],
  },
  {
    name: 'example 2: A and B blocked, C blocked by 25% + 25%',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['X', 'B', 50],
        ['A', 'C', 25],
        ['B', 'C', 25],
      ],
    },
    designated: ['X'],
    blocked: ['A', 'B', 'C', 'X'],
  },
  {
    name: 'example 3: B blocked by 10% direct and 40% through blocked A',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['X', 'B', 10],
        ['A', 'B', 40],
      ],
    },
    designated: ['X'],
    blocked: ['A', 'B', 'X'],
  },
  {
    name: "example 4: B (25%) is not blocked, so C gets only A's 25% and is not blocked",
    graph: {
      edges: [
        ['X', 'A', 50],
        ['X', 'B', 25],
        ['A', 'C', 25],
        ['B', 'C', 25],
      ],
    },
    designated: ['X'],
    blocked: ['A', 'X'],
  },
  {
    name: 'FAQ 399: X and Y with 25% each block A in the aggregate',
    graph: {
      edges: [
        ['X', 'A', 25],
        ['Y', 'A', 25],
      ],
    },
    designated: ['X', 'Y'],
    blocked: ['A', 'X', 'Y'],
  },
];

describe('OFAC 50 Percent Rule: FAQ 401 and FAQ 399', () => {
  it.each(cases)('$name', ({ graph, designated, blocked }) => {
    const sweep = unwrap(coveredEntities(graphOf(graph), ofac(designated), { asOf: '2025-01-01' }));
    const covered = sweep.entities
      .filter((e) => e.aggregate.verdict === 'COVERED')
      .map((e) => e.entityId)
      .sort();
    expect(covered).toEqual(blocked);
    expect(sweep.entities.filter((e) => e.aggregate.verdict === 'POSSIBLY_COVERED')).toEqual([]);
  });

  it('reports the aggregate a covered entity receives, capped at 100%', () => {
    const g = graphOf({
      edges: [
        ['X', 'A', 70],
        ['Y', 'A', 60],
      ],
    });
    const sweep = unwrap(coveredEntities(g, ofac(['X', 'Y']), { asOf: '2025-01-01' }));
    const a = sweep.entities.find((e) => e.entityId === 'A');
    expect(a?.aggregate).toEqual({ lower: 1, upper: 1, verdict: 'COVERED' });
    expect(sweep.overallocated).toEqual(['A']);
  });

  it('ignores designations of another policy and designations not yet in force', () => {
    const policy = ofac([], {
      designations: [
        {
          id: 'desig:1',
          policyId: 'policy:other',
          entityId: 'X',
          startDate: null,
          endDate: null,
          sourceIds: [],
        },
        {
          id: 'desig:2',
          policyId: 'policy:ofac',
          entityId: 'Y',
          startDate: '2026-01-01',
          endDate: null,
          sourceIds: [],
        },
      ],
    });
    const g = graphOf({
      edges: [
        ['X', 'A', 60],
        ['Y', 'B', 60],
      ],
    });
    expect(unwrap(coveredEntities(g, policy, { asOf: '2025-01-01' })).entities).toEqual([]);
    const later = unwrap(coveredEntities(g, policy, { asOf: '2026-01-01' }))
      .entities.map((e) => e.entityId)
      .sort();
    expect(later).toEqual(['B', 'Y']);
  });
});

describe('Sweep options', () => {
  it('leaves the MULT view out of an AGGREGATE sweep unless asked, and includes it when asked', () => {
    const g = graphOf({
      edges: [
        ['X', 'A', 50],
        ['A', 'B', 50],
      ],
    });
    const plain = unwrap(coveredEntities(g, ofac(['X']), { asOf: '2025-01-01' }));
    expect(plain.entities.every((e) => e.lookThrough === null)).toBe(true);
    const both = unwrap(coveredEntities(g, ofac(['X']), { asOf: '2025-01-01', lookThrough: true }));
    expect(both.entities.find((e) => e.entityId === 'B')?.lookThrough?.lower).toBeCloseTo(0.25, 9);
  });
});
