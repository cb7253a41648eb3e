/** Multiplicative look-through to ultimate owners: diamonds, cycles solved exactly, per-country totals. */
import { lookThrough } from '../lookThrough';
import type { GraphSpec } from './fixtures';
import { graphOf, range, unwrap } from './fixtures';

const cases: {
  name: string;
  graph: GraphSpec;
  target: string;
  owners: Record<string, number>;
  unknown: number;
  selfHeld?: number;
}[] = [
  {
    name: 'multiplies along a chain: 60% x 60% x 60% = 21.6%',
    graph: {
      edges: [
        ['X', 'A', 60],
        ['A', 'B', 60],
        ['B', 'C', 60],
      ],
    },
    target: 'C',
    owners: { X: 21.6 },
    unknown: 78.4,
  },
  {
    name: 'adds the two arms of a diamond: 50% x 50% + 50% x 50%',
    graph: {
      edges: [
        ['X', 'A', 50],
        ['X', 'B', 50],
        ['A', 'C', 50],
        ['B', 'C', 50],
      ],
    },
    target: 'C',
    owners: { X: 50 },
    unknown: 50,
  },
  {
    name: 'case 11: stops at the ultimate owner, giving 60%, not 120%',
    graph: {
      edges: [
        ['CN1', 'CN2', 100],
        ['CN2', 'T', 60],
      ],
    },
    target: 'T',
    owners: { CN1: 60 },
    unknown: 40,
  },
  {
    name: 'case 10: solves the cycle exactly (45/0.9 = 50% each for P through A)',
    graph: {
      edges: [
        ['P', 'A', 45],
        ['P', 'B', 45],
        ['A', 'B', 10],
        ['B', 'A', 10],
      ],
    },
    target: 'A',
    owners: { P: 50 },
    unknown: 50,
  },
  {
    name: 'case 18: solves the cycle exactly (0.4 / 0.88)',
    graph: {
      edges: [
        ['CN', 'A', 40],
        ['A', 'B', 60],
        ['B', 'A', 20],
      ],
    },
    target: 'A',
    owners: { CN: 40 / 0.88 },
    unknown: 100 - 40 / 0.88,
  },
  {
    name: 'case 17: A owns 48% of itself through Y, so X holds 45/52 of the rest (treasury shares)',
    graph: {
      edges: [
        ['X', 'A', 45],
        ['Y', 'A', 48],
        ['A', 'Y', 100],
      ],
    },
    target: 'A',
    owners: { X: (45 / 52) * 100 },
    unknown: (7 / 52) * 100,
    selfHeld: 48,
  },
  {
    name: 'issue 9: owners above a cross-holding get the whole of it (X 2/3, Y 1/3, as for B itself)',
    graph: {
      edges: [
        ['X', 'B', 50],
        ['C', 'B', 50],
        ['B', 'C', 50],
        ['Y', 'C', 50],
        ['B', 'T', 100],
      ],
    },
    target: 'T',
    owners: { X: 200 / 3, Y: 100 / 3 },
    unknown: 0,
  },
  {
    name: 'issue 9: the same cross-holding seen from B',
    graph: {
      edges: [
        ['X', 'B', 50],
        ['C', 'B', 50],
        ['B', 'C', 50],
        ['Y', 'C', 50],
      ],
    },
    target: 'B',
    owners: { X: 200 / 3, Y: 100 / 3 },
    unknown: 0,
    selfHeld: 25,
  },
  {
    name: 'an entity with no owners on record is 100% unknown',
    graph: { edges: [['T', 'Z', 10]] },
    target: 'T',
    owners: {},
    unknown: 100,
  },
  {
    name: 'a person is an ultimate owner even if data says someone owns them',
    graph: {
      edges: [
        ['Q', 'P', 100],
        ['P', 'T', 70],
      ],
      entities: { P: { kind: 'PERSON' } },
    },
    target: 'T',
    owners: { P: 70 },
    unknown: 30,
  },
];

describe('Look-through: ultimate owners', () => {
  it.each(cases)('$name', ({ graph, target, owners, unknown, selfHeld }) => {
    const result = unwrap(lookThrough(graphOf(graph), target, { asOf: '2025-01-01' }));
    const got = Object.fromEntries(result.owners.map((o) => [o.entityId, o.share.lower * 100]));
    expect(Object.keys(got).sort()).toEqual(Object.keys(owners).sort());
    for (const [id, pct] of Object.entries(owners)) expect(got[id]).toBeCloseTo(pct, 6);
    for (const o of result.owners) expect(o.share.upper).toBeCloseTo(o.share.lower, 9);
    expect(result.unknown.lower * 100).toBeCloseTo(unknown, 6);
    if (selfHeld !== undefined) expect(result.selfHeld.lower * 100).toBeCloseTo(selfHeld, 6);
  });

  it('totals ultimate owners by headquarters and by incorporation', () => {
    const graph = graphOf({
      edges: [
        ['BD', 'H', 100],
        ['H', 'T', 60],
        ['US1', 'T', 30],
      ],
      entities: {
        BD: { headquartersCountry: 'CN', incorporationCountry: 'KY' },
        US1: { headquartersCountry: 'US', incorporationCountry: 'US' },
      },
    });
    const result = unwrap(lookThrough(graph, 'T', { asOf: '2025-01-01' }));
    expect(result.byHeadquarters.map((c) => [c.country, c.share.lower])).toEqual([
      ['CN', 0.6],
      ['US', 0.3],
    ]);
    expect(result.byIncorporation.map((c) => [c.country, c.share.lower])).toEqual([
      ['KY', 0.6],
      ['US', 0.3],
    ]);
    expect(result.unknown.lower).toBeCloseTo(0.1, 9);
  });

  it('gives bounds from ranges: [20, 40] x 50% is between 10% and 20%', () => {
    const result = unwrap(
      lookThrough(
        graphOf({
          edges: [
            ['X', 'A', range(20, 40)],
            ['A', 'T', 50],
          ],
        }),
        'T',
        { asOf: '2025-01-01' },
      ),
    );
    expect(result.owners[0]!.share.lower).toBeCloseTo(0.1, 9);
    expect(result.owners[0]!.share.upper).toBeCloseTo(0.2, 9);
    expect(result.unknown.lower).toBeCloseTo(0.8, 9);
    expect(result.unknown.upper).toBeCloseTo(0.9, 9);
  });

  it('scales over-allocated owners down so shares never sum past 100%', () => {
    const result = unwrap(
      lookThrough(
        graphOf({
          edges: [
            ['X', 'T', 80],
            ['Y', 'T', 80],
          ],
        }),
        'T',
        { asOf: '2025-01-01' },
      ),
    );
    expect(result.owners.map((o) => o.share.lower)).toEqual([0.5, 0.5]);
    expect(result.unknown.lower).toBe(0);
    expect(result.overallocated).toEqual(['T']);
  });

  it('keeps overshooting upper bounds finite: no owner above 100% minus what the others surely hold', () => {
    // Maxima add past 100% inside the cycle A <-> B, so its upper system has no finite solution.
    const graph = graphOf({
      edges: [
        ['X', 'A', range(0, 100)],
        ['B', 'A', range(0, 100)],
        ['A', 'B', range(0, 100)],
        ['Z', 'B', range(0, 100)],
        ['A', 'T', 60],
        ['Y', 'T', 40],
      ],
    });
    const result = unwrap(lookThrough(graph, 'T', { asOf: '2025-01-01' }));
    const share = (id: string) => result.owners.find((o) => o.entityId === id)!.share;
    expect(share('Y')).toEqual({ lower: 0.4, upper: 0.4 });
    for (const id of ['X', 'Z']) {
      expect(share(id).lower).toBe(0);
      expect(share(id).upper).toBeCloseTo(0.6, 9);
    }
    expect(result.unknown.lower).toBe(0);
    expect(result.unknown.upper).toBeCloseTo(0.6, 9);
  });

  it('carries strictness: more than 50% of a wholly owned holder is more than 50% of the entity', () => {
    const graph = graphOf({
      edges: [
        ['X', 'H', 100],
        ['H', 'T', range(50, 100, { minExclusive: true })],
      ],
    });
    const result = unwrap(lookThrough(graph, 'T', { asOf: '2025-01-01' }));
    expect(result.owners[0]).toMatchObject({
      entityId: 'X',
      share: { lower: 0.5, upper: 1, lowerOpen: true },
    });
    expect(result.unknown).toEqual({ lower: 0, upper: 0.5, upperOpen: true });
  });

  it('returns null for an unknown entity and an error for a bad date', () => {
    const graph = graphOf({ edges: [['X', 'T', 50]] });
    expect(lookThrough(graph, 'nobody', { asOf: '2025-01-01' })).toBeNull();
    const bad = lookThrough(graph, 'T', { asOf: '2025-13-01' });
    expect(bad).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'INVALID_DATE', path: ['asOf'] })],
    });
  });

  it.each(['2025-02-31', '2025-04-31', '2023-02-29'])('refuses %s, which is not a calendar day', (asOf) => {
    const graph = graphOf({ edges: [['X', 'T', 50]] });
    expect(lookThrough(graph, 'T', { asOf })).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'INVALID_DATE', path: ['asOf'] })],
    });
  });

  it('accepts 29 February of a leap year', () => {
    const graph = graphOf({ edges: [['X', 'T', 50]] });
    expect(lookThrough(graph, 'T', { asOf: '2024-02-29' })).toMatchObject({ ok: true });
  });
});

describe('Look-through: where paths stop (issue 9, country exposure)', () => {
  // TikTok USDS-like: ByteDance (HQ CN) holds 19.9%; its own owners have no country on record.
  const usds = graphOf({
    edges: [
      ['Fund1', 'BD', 60],
      ['Founder', 'BD', 20],
      ['BD', 'USDS', 19.9],
      ['Oracle', 'USDS', 15],
      ['Other', 'USDS', 65.1],
    ],
    entities: {
      BD: { headquartersCountry: 'CN', incorporationCountry: 'KY' },
      Founder: { kind: 'PERSON' },
      Oracle: { headquartersCountry: 'US', incorporationCountry: 'US' },
    },
  });
  const cases: {
    name: string;
    stopAt?: 'ULTIMATE_OWNER' | 'KNOWN_COUNTRY' | 'TARGETED_COUNTRY';
    basis?: 'HEADQUARTERS' | 'INCORPORATION';
    targetCountries?: string[];
    owners: Record<string, number>;
    byHeadquarters: Record<string, number>;
  }[] = [
    {
      name: 'ULTIMATE_OWNER (default): ByteDance is looked through to owners with no country, CN 0%',
      owners: { Fund1: 11.94, Founder: 3.98, Oracle: 15, Other: 65.1 },
      byHeadquarters: { null: 81.02, US: 15 },
    },
    {
      name: 'KNOWN_COUNTRY: paths stop at ByteDance, headquartered in CN, so CN holds 19.9%',
      stopAt: 'KNOWN_COUNTRY',
      owners: { BD: 19.9, Oracle: 15, Other: 65.1 },
      byHeadquarters: { CN: 19.9, US: 15, null: 65.1 },
    },
    {
      name: 'TARGETED_COUNTRY CN: stops at ByteDance and looks through the rest',
      stopAt: 'TARGETED_COUNTRY',
      targetCountries: ['CN'],
      owners: { BD: 19.9, Oracle: 15, Other: 65.1 },
      byHeadquarters: { CN: 19.9, US: 15, null: 65.1 },
    },
    {
      name: 'TARGETED_COUNTRY RU: nothing targeted, so the same as ULTIMATE_OWNER',
      stopAt: 'TARGETED_COUNTRY',
      targetCountries: ['RU'],
      owners: { Fund1: 11.94, Founder: 3.98, Oracle: 15, Other: 65.1 },
      byHeadquarters: { null: 81.02, US: 15 },
    },
    {
      name: 'KNOWN_COUNTRY by incorporation stops at ByteDance too (KY)',
      stopAt: 'KNOWN_COUNTRY',
      basis: 'INCORPORATION',
      owners: { BD: 19.9, Oracle: 15, Other: 65.1 },
      byHeadquarters: { CN: 19.9, US: 15, null: 65.1 },
    },
  ];
  it.each(cases)('$name', ({ stopAt, basis, targetCountries, owners, byHeadquarters }) => {
    const result = unwrap(
      lookThrough(usds, 'USDS', {
        asOf: '2025-01-01',
        ...(stopAt ? { stopAt } : {}),
        ...(basis ? { basis } : {}),
        ...(targetCountries ? { targetCountries } : {}),
      }),
    );
    const got = Object.fromEntries(result.owners.map((o) => [o.entityId, o.share.lower * 100]));
    expect(Object.keys(got).sort()).toEqual(Object.keys(owners).sort());
    for (const [id, pct] of Object.entries(owners)) expect(got[id]).toBeCloseTo(pct, 6);
    const countries = Object.fromEntries(
      result.byHeadquarters.map((c) => [String(c.country), c.share.lower * 100]),
    );
    expect(Object.keys(countries).sort()).toEqual(Object.keys(byHeadquarters).sort());
    for (const [c, pct] of Object.entries(byHeadquarters)) expect(countries[c]).toBeCloseTo(pct, 6);
    expect(result.stopAt).toBe(stopAt ?? 'ULTIMATE_OWNER');
  });

  it('says why each holder is where paths stop', () => {
    const result = unwrap(lookThrough(usds, 'USDS', { asOf: '2025-01-01', stopAt: 'KNOWN_COUNTRY' }));
    const why = Object.fromEntries(result.owners.map((o) => [o.entityId, o.stoppedBecause]));
    expect(why).toEqual({ BD: 'KNOWN_COUNTRY', Oracle: 'ULTIMATE', Other: 'ULTIMATE' });
  });
});
