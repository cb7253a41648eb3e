/** Model lineage: a DAG without duplicated paths, alleged derivations filtered, depth bounded, cycles reported. */
import type { Derivation, DerivationBasis, DerivationMethod, LineageOptions } from '../lineage';
import { derivationCreatesCycle, findDerivationCycles, lineage } from '../lineage';
import { unwrap } from './fixtures';

const d = (
  child: string,
  parent: string,
  method: DerivationMethod = 'FINE_TUNE',
  basis: DerivationBasis = 'DECLARED',
): Derivation => ({
  id: `deriv:${child}-${parent}`,
  childId: child,
  parentId: parent,
  method,
  basis,
  allegationId: basis === 'ALLEGED' ? `alleg:${child}` : null,
  sourceIds: [`src:${child}`],
});

// base → (ft1, ft2) → merged (a diamond); distilled is alleged to be distilled from merged; q quantises merged.
const derivations = [
  d('ft1', 'base'),
  d('ft2', 'base'),
  d('merged', 'ft1', 'MERGE'),
  d('merged', 'ft2', 'MERGE'),
  d('q', 'merged', 'QUANTIZATION'),
  d('distilled', 'merged', 'DISTILLATION', 'ALLEGED'),
];
const models = new Map(
  ['base', 'ft1', 'ft2', 'merged', 'q', 'distilled', 'lonely'].map((id) => [id, { id }]),
);
const opts = (over: Partial<LineageOptions>): LineageOptions => ({
  direction: 'UP',
  includeAlleged: false,
  maxDepth: 10,
  ...over,
});

const cases: { name: string; root: string; options: LineageOptions; nodes: string[]; edges: string[] }[] = [
  {
    name: 'goes up a diamond to the base once, with all four derivations',
    root: 'merged',
    options: opts({}),
    nodes: ['merged:0', 'ft1:1', 'ft2:1', 'base:2'],
    edges: ['ft1-base', 'ft2-base', 'merged-ft1', 'merged-ft2'],
  },
  {
    name: 'goes down from the base without alleged derivations',
    root: 'base',
    options: opts({ direction: 'DOWN' }),
    nodes: ['base:0', 'ft1:1', 'ft2:1', 'merged:2', 'q:3'],
    edges: ['ft1-base', 'ft2-base', 'merged-ft1', 'merged-ft2', 'q-merged'],
  },
  {
    name: 'includes alleged derivations on request',
    root: 'base',
    options: opts({ direction: 'DOWN', includeAlleged: true }),
    nodes: ['base:0', 'ft1:1', 'ft2:1', 'merged:2', 'q:3', 'distilled:3'],
    edges: ['ft1-base', 'ft2-base', 'merged-ft1', 'merged-ft2', 'q-merged', 'distilled-merged'],
  },
  {
    name: 'stops at the depth bound, keeping the derivations that close a diamond inside it',
    root: 'base',
    options: opts({ direction: 'DOWN', maxDepth: 1 }),
    nodes: ['base:0', 'ft1:1', 'ft2:1'],
    edges: ['ft1-base', 'ft2-base'],
  },
  {
    name: 'filters by method',
    root: 'merged',
    options: opts({ direction: 'BOTH', methods: ['QUANTIZATION', 'DISTILLATION'], includeAlleged: true }),
    nodes: ['merged:0', 'q:1', 'distilled:1'],
    edges: ['q-merged', 'distilled-merged'],
  },
  {
    name: 'goes both ways from the middle',
    root: 'ft1',
    options: opts({ direction: 'BOTH' }),
    nodes: ['ft1:0', 'base:1', 'merged:1', 'q:2'],
    edges: ['ft1-base', 'merged-ft1', 'q-merged'],
  },
  {
    name: 'returns the root alone at depth 0',
    root: 'merged',
    options: opts({ maxDepth: 0 }),
    nodes: ['merged:0'],
    edges: [],
  },
  {
    name: 'returns a model without derivations alone',
    root: 'lonely',
    options: opts({ direction: 'BOTH' }),
    nodes: ['lonely:0'],
    edges: [],
  },
];

describe('Lineage: DAG around a model', () => {
  it.each(cases)('$name', ({ root, options, nodes, edges }) => {
    const result = unwrap(lineage(models, derivations, root, options));
    expect(result.nodes.map((n) => `${n.id}:${n.depth}`)).toEqual(nodes);
    expect(result.edges.map((e) => e.id.replace('deriv:', '')).sort()).toEqual([...edges].sort());
  });

  it('returns null for an unknown model and an error for a negative depth', () => {
    expect(lineage(models, derivations, 'nope', opts({}))).toBeNull();
    expect(lineage(models, derivations, 'base', opts({ maxDepth: -1 }))).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['maxDepth'] })],
    });
  });

  it('terminates on cyclic data and lists each model once', () => {
    const cyclic = [...derivations, d('base', 'q')];
    const result = unwrap(lineage(models, cyclic, 'base', opts({ direction: 'DOWN' })));
    expect(result.nodes.map((n) => n.id)).toEqual(['base', 'ft1', 'ft2', 'merged', 'q']);
    expect(result.edges.map((e) => e.id)).toContain('deriv:base-q');
  });
});

describe('Lineage: cycles', () => {
  it.each([
    { name: 'finds no cycle in a DAG', derivations, cycles: [] as string[][] },
    { name: 'finds a two-model cycle', derivations: [d('a', 'b'), d('b', 'a')], cycles: [['a', 'b']] },
    { name: 'finds a self-derivation', derivations: [d('a', 'a'), d('b', 'c')], cycles: [['a']] },
    {
      name: 'finds one cycle per component, each model derived from the next',
      derivations: [d('a', 'b'), d('b', 'c'), d('c', 'a'), d('x', 'y'), d('y', 'x'), d('c', 'z')],
      cycles: [
        ['a', 'b', 'c'],
        ['x', 'y'],
      ],
    },
  ])('$name', ({ derivations, cycles }) => {
    expect(findDerivationCycles(derivations)).toEqual(cycles);
  });

  it('rejects a derivation that would make a model descend from itself', () => {
    expect(derivationCreatesCycle(derivations, d('base', 'q'))).toBe(true);
    expect(derivationCreatesCycle(derivations, d('q', 'q'))).toBe(true);
    expect(derivationCreatesCycle(derivations, d('lonely', 'q'))).toBe(false);
  });
});
