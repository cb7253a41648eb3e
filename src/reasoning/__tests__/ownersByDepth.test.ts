import type { OwnershipEdge, OwnershipGraph } from '../graph';
import { ownersByDepth } from '../ownersByDepth';

const edge = (
  id: string,
  ownerId: string,
  ownedId: string,
  share = 0.5,
  dates: Partial<OwnershipEdge> = {},
): OwnershipEdge => ({
  id,
  ownerId,
  ownedId,
  share: { min: share, max: share },
  startDate: null,
  endDate: null,
  sourceIds: ['src:t'],
  ...dates,
});
const graph = (ownerships: OwnershipEdge[]): OwnershipGraph => ({
  entities: new Map(),
  ownerships,
  controls: [],
});

describe('ownersByDepth: direct and indirect owners level by level', () => {
  it('puts direct owners at depth 1 and their owners at depth 2, with the stakes that lead down', () => {
    const result = ownersByDepth(graph([edge('e1', 'A', 'T'), edge('e2', 'X', 'A')]), 'T', '2025-01-01', 10);
    expect(result.map((o) => [o.ownerId, o.depth, o.stakes.map((s) => s.id)])).toEqual([
      ['A', 1, ['e1']],
      ['X', 2, ['e2']],
    ]);
  });

  it('lists an owner reached by two paths once, at its shallowest depth', () => {
    const result = ownersByDepth(
      graph([edge('e1', 'A', 'T'), edge('e2', 'X', 'A'), edge('e3', 'X', 'T')]),
      'T',
      '2025-01-01',
      10,
    );
    expect(result.filter((o) => o.ownerId === 'X')).toEqual([
      { ownerId: 'X', depth: 1, stakes: [expect.objectContaining({ id: 'e3' })] },
    ]);
  });

  it('ends on cross-holdings instead of looping, and never lists the entity as its own owner', () => {
    const result = ownersByDepth(graph([edge('e1', 'A', 'B'), edge('e2', 'B', 'A')]), 'A', '2025-01-01', 50);
    expect(result.map((o) => o.ownerId)).toEqual(['B']);
  });

  it('stops at maxDepth', () => {
    const chain = Array.from({ length: 30 }, (_, i) => edge(`e${i}`, `N${i + 1}`, `N${i}`));
    expect(ownersByDepth(graph(chain), 'N0', '2025-01-01', 5).map((o) => o.depth)).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves out stakes not in force on the as-of date', () => {
    const result = ownersByDepth(
      graph([edge('e1', 'A', 'T', 0.6, { endDate: '2024-06-30' })]),
      'T',
      '2025-01-01',
      10,
    );
    expect(result).toEqual([]);
  });
});
