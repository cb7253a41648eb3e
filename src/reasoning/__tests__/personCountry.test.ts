/** Persons' countries in country exposure (issue 9): residence, nationality, and which one counts. */
import { holderCountry, lookThrough } from '../lookThrough';
import type { PersonCountry } from '../lookThrough';
import { graphOf, unwrap } from './fixtures';

// A company held 50% by a CN national of unknown residence, 30% by a CN national resident in the US, and
// 20% by a US company. Persons carry residence in `headquartersCountry`, nationality in `incorporationCountry`.
const graph = graphOf({
  edges: [
    ['Founder', 'Co', 50],
    ['Expat', 'Co', 30],
    ['Fund', 'Co', 20],
  ],
  entities: {
    Founder: { kind: 'PERSON', headquartersCountry: null, incorporationCountry: 'CN' },
    Expat: { kind: 'PERSON', headquartersCountry: 'US', incorporationCountry: 'CN' },
    Fund: { headquartersCountry: 'US', incorporationCountry: 'KY' },
  },
});

function countries(list: Array<{ country: string | null; share: { lower: number } }>) {
  return Object.fromEntries(list.map((c) => [String(c.country), Math.round(c.share.lower * 1e6) / 1e4]));
}

describe('Look-through: the country a person counts for', () => {
  const cases: Array<{
    name: string;
    personCountry?: PersonCountry;
    byHeadquarters: Record<string, number>;
    byIncorporation: Record<string, number>;
  }> = [
    {
      name: 'MATCH_BASIS (default): residence on headquarters, nationality on incorporation, each else the other',
      byHeadquarters: { CN: 50, US: 50 },
      byIncorporation: { CN: 80, KY: 20 },
    },
    {
      name: 'RESIDENCE: a person of unknown residence has no country on either basis',
      personCountry: 'RESIDENCE',
      byHeadquarters: { null: 50, US: 50 },
      byIncorporation: { null: 50, US: 30, KY: 20 },
    },
    {
      name: 'NATIONALITY: both persons count as CN on either basis',
      personCountry: 'NATIONALITY',
      byHeadquarters: { CN: 80, US: 20 },
      byIncorporation: { CN: 80, KY: 20 },
    },
  ];
  it.each(cases)('$name', ({ personCountry, byHeadquarters, byIncorporation }) => {
    const result = unwrap(
      lookThrough(graph, 'Co', { asOf: '2025-01-01', ...(personCountry ? { personCountry } : {}) }),
    );
    expect(countries(result.byHeadquarters)).toEqual(byHeadquarters);
    expect(countries(result.byIncorporation)).toEqual(byIncorporation);
    expect(result.personCountry).toBe(personCountry ?? 'MATCH_BASIS');
  });

  it('says for each holder which recorded field gave its country', () => {
    const result = unwrap(lookThrough(graph, 'Co', { asOf: '2025-01-01' }));
    const byId = Object.fromEntries(result.owners.map((o) => [o.entityId, o.country]));
    expect(byId).toEqual({
      Founder: { country: 'CN', field: 'NATIONALITY' },
      Expat: { country: 'US', field: 'RESIDENCE' },
      Fund: { country: 'US', field: 'HEADQUARTERS' },
    });
    const onIncorporation = unwrap(lookThrough(graph, 'Co', { asOf: '2025-01-01', basis: 'INCORPORATION' }));
    expect(Object.fromEntries(onIncorporation.owners.map((o) => [o.entityId, o.country]))).toEqual({
      Founder: { country: 'CN', field: 'NATIONALITY' },
      Expat: { country: 'CN', field: 'NATIONALITY' },
      Fund: { country: 'KY', field: 'INCORPORATION' },
    });
  });

  it('stops KNOWN_COUNTRY paths at organizations only; persons are where paths end anyway', () => {
    // Founder (CN national) holds 100% of a holding company with no country, which holds 40% of Co2.
    const chain = graphOf({
      edges: [
        ['Founder', 'Hold', 100],
        ['Hold', 'Co2', 40],
      ],
      entities: { Founder: { kind: 'PERSON', incorporationCountry: 'CN' } },
    });
    const result = unwrap(lookThrough(chain, 'Co2', { asOf: '2025-01-01', stopAt: 'KNOWN_COUNTRY' }));
    expect(result.owners.map((o) => [o.entityId, o.stoppedBecause])).toEqual([['Founder', 'ULTIMATE']]);
    expect(countries(result.byHeadquarters)).toEqual({ CN: 40 });
  });

  it('gives no country to an organization without one, whatever the person rule', () => {
    expect(
      holderCountry(
        { id: 'X', name: 'X', kind: 'ORGANIZATION', headquartersCountry: null, incorporationCountry: 'CN' },
        'HEADQUARTERS',
        'NATIONALITY',
      ),
    ).toEqual({ country: null, field: null });
  });
});
