/**
 * Size and shape: a 200-level chain (no recursion overflow), a wide diamond lattice (no path explosion:
 * 2^40 paths, answered exactly), and a 100,000-entity sweep with a known sub-structure.
 */
import { coveredEntities } from '../coverage';
import type { Entity, OwnershipEdge, OwnershipGraph } from '../graph';
import { lookThrough } from '../lookThrough';
import { policyVerdict } from '../verdict';
import { graphOf, ofac, unwrap } from './fixtures';

function chain(levels: number, percent: number): OwnershipGraph {
  const edges: [string, string, number][] = [];
  for (let i = 0; i < levels; i++) edges.push([`N${i}`, `N${i + 1}`, percent]);
  return graphOf({ edges });
}

/** Layers of `width` nodes; every node owns 1/width of every node in the next layer. */
function lattice(layers: number, width: number): OwnershipGraph {
  const edges: [string, string, number][] = [];
  for (let w = 0; w < width; w++) edges.push(['ROOT', `L0-${w}`, 100]);
  for (let l = 0; l < layers - 1; l++)
    for (let a = 0; a < width; a++)
      for (let b = 0; b < width; b++) edges.push([`L${l}-${a}`, `L${l + 1}-${b}`, 100 / width]);
  for (let w = 0; w < width; w++) edges.push([`L${layers - 1}-${w}`, 'SINK', 100 / width]);
  return graphOf({ edges });
}

describe('Scale: deep and wide graphs', () => {
  it('covers the end of a 200-level chain of 60% stakes under AGG, with MULT 0.6^200', () => {
    const result = unwrap(policyVerdict(chain(200, 60), ofac(['N0']), 'N200', { asOf: '2025-01-01' }));
    expect(result.aggregate.verdict).toBe('COVERED');
    expect(result.lookThrough.lower).toBeCloseTo(0.6 ** 200, 12);
    expect(result.explanation.paths[0]!.truncated).toBe(true);
    expect(result.explanation.paths[0]!.steps).toHaveLength(50);
    expect(result.explanation.paths[0]!.rootId).toBe('N0');
  });

  it('solves a 200-level chain that closes into one large cycle', () => {
    const g = chain(200, 90);
    g.ownerships.push({
      ...g.ownerships[0]!,
      id: 'own:back',
      ownerId: 'N200',
      ownedId: 'N1',
      share: { min: 0.1, max: 0.1 },
    });
    const result = unwrap(lookThrough(g, 'N200', { asOf: '2025-01-01' }));
    // N1..N200 form one component; N0 is the only ultimate owner and holds all of N1 that N1 does not hold in itself.
    expect(result.owners.map((o) => o.entityId)).toEqual(['N0']);
    const selfHeld = 0.1 * 0.9 ** 199;
    expect(result.owners[0]!.share.lower).toBeCloseTo((0.9 * 0.9 ** 199) / (1 - selfHeld), 12);
  });

  it('answers a 40-layer, 8-wide diamond lattice (8^40 paths) exactly', () => {
    const g = lattice(40, 8);
    const result = unwrap(lookThrough(g, 'SINK', { asOf: '2025-01-01' }));
    expect(result.owners.map((o) => o.entityId)).toEqual(['ROOT']);
    expect(result.owners[0]!.share.lower).toBeCloseTo(1, 9);
    const verdict = unwrap(policyVerdict(g, ofac(['ROOT']), 'SINK', { asOf: '2025-01-01' }));
    expect(verdict.aggregate.verdict).toBe('COVERED');
    expect(verdict.lookThrough.lower).toBeCloseTo(1, 9);
  });

  it('sweeps 100,000 synthetic entities and finds a known covered chain among them', () => {
    const n = 100_000;
    const entities = new Map<string, Entity>();
    const ownerships: OwnershipEdge[] = [];
    const add = (id: string) =>
      entities.set(id, {
        id,
        name: id,
        kind: 'ORGANIZATION',
        headquartersCountry: 'US',
        incorporationCountry: 'US',
      });
    for (let i = 0; i < n; i++) add(`E${i}`);
    // Background: each entity owned 30% by its predecessor and 20% by the one ten places back.
    for (let i = 1; i < n; i++) {
      ownerships.push({
        id: `o${i}a`,
        ownerId: `E${i - 1}`,
        ownedId: `E${i}`,
        share: { min: 0.3, max: 0.3 },
        startDate: null,
        endDate: null,
        sourceIds: [],
      });
      if (i >= 10)
        ownerships.push({
          id: `o${i}b`,
          ownerId: `E${i - 10}`,
          ownedId: `E${i}`,
          share: { min: 0.2, max: 0.2 },
          startDate: null,
          endDate: null,
          sourceIds: [],
        });
    }
    // Known sub-structure: FAQ 401 example 3 rooted at a designated K, plus one entity K holds 40% of.
    for (const id of ['K', 'KA', 'KB', 'KC']) add(id);
    const edge = (id: string, owner: string, owned: string, s: number): OwnershipEdge => ({
      id,
      ownerId: owner,
      ownedId: owned,
      share: { min: s, max: s },
      startDate: null,
      endDate: null,
      sourceIds: [],
    });
    ownerships.push(
      edge('k1', 'K', 'KA', 0.5),
      edge('k2', 'K', 'KB', 0.1),
      edge('k3', 'KA', 'KB', 0.4),
      edge('k4', 'K', 'KC', 0.4),
    );
    ownerships.push(edge('k5', 'E500', 'KC', 0.3));
    const sweep = unwrap(
      coveredEntities({ entities, ownerships, controls: [] }, ofac(['K']), {
        asOf: '2025-01-01',
        lookThrough: true,
      }),
    );
    const covered = sweep.entities
      .filter((e) => e.verdict === 'COVERED')
      .map((e) => e.entityId)
      .sort();
    expect(covered).toEqual(['K', 'KA', 'KB']);
    expect(sweep.entities.find((e) => e.entityId === 'KB')?.lookThrough?.lower).toBeCloseTo(0.3, 9);
  });
});
