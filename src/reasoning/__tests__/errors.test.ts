/** Bad input comes back as values ({ code, path, message }); an unknown entity is null. */
import { coveredEntities } from '../coverage';
import { inForce } from '../graph';
import { validatePolicy } from '../validatePolicy';
import { policyVerdict } from '../verdict';
import { graphOf, ofac } from './fixtures';

const graph = graphOf({ edges: [['X', 'A', 60]] });

describe('Errors as values', () => {
  it.each([
    { name: 'rejects a threshold of 0', threshold: 0 },
    { name: 'rejects a threshold above 1 (percent instead of a fraction)', threshold: 50 },
    { name: 'rejects a threshold that is not a number', threshold: Number.NaN },
  ])('$name', ({ threshold }) => {
    const result = policyVerdict(graph, ofac(['X'], { threshold }), 'A', { asOf: '2025-01-01' });
    expect(result).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'INVALID_THRESHOLD', path: ['policy', 'threshold'] })],
    });
  });

  it('accepts a threshold of exactly 1', () => {
    expect(validatePolicy(ofac(['X'], { threshold: 1 }))).toEqual([]);
  });

  it('returns null for an entity that is not in the graph', () => {
    expect(policyVerdict(graph, ofac(['X']), 'nobody', { asOf: '2025-01-01' })).toBeNull();
  });

  it('reports a share outside [0, 1] with its path', () => {
    const bad = graphOf({ edges: [['X', 'A', { min: 0.6, max: 0.4 }]] });
    expect(coveredEntities(bad, ofac(['X']), { asOf: '2025-01-01' })).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'INVALID_SHARE', path: ['ownerships', 0, 'share'] })],
    });
  });

  it('reports every problem at once: bad date, bad suspension window, bad maxPaths', () => {
    const policy = ofac(['X'], { suspensions: [{ from: '2025-02-01', until: '2025-01-01' }] });
    const result = policyVerdict(graph, policy, 'A', { asOf: '01/01/2025', maxPaths: 0 });
    expect(result && !result.ok && result.errors.map((e) => e.path.join('.')).sort()).toEqual([
      'asOf',
      'maxPaths',
      'policy.suspensions.0.until',
    ]);
  });
});

describe('inForce: inclusive dates', () => {
  it.each([
    {
      name: 'holds on its start date',
      dated: { startDate: '2024-01-01', endDate: null },
      asOf: '2024-01-01',
      expected: true,
    },
    {
      name: 'does not hold the day before its start',
      dated: { startDate: '2024-01-01', endDate: null },
      asOf: '2023-12-31',
      expected: false,
    },
    {
      name: 'holds on its end date',
      dated: { startDate: null, endDate: '2024-06-30' },
      asOf: '2024-06-30',
      expected: true,
    },
    {
      name: 'does not hold the day after its end',
      dated: { startDate: null, endDate: '2024-06-30' },
      asOf: '2024-07-01',
      expected: false,
    },
    {
      name: 'holds always with open ends',
      dated: { startDate: null, endDate: null },
      asOf: '1999-01-01',
      expected: true,
    },
  ])('$name', ({ dated, asOf, expected }) => {
    expect(inForce(dated, asOf)).toBe(expected);
  });
});
