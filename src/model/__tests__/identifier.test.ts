import {
  Identifier,
  Identifiers,
  identifierKey,
  isUniqueKey,
  leiChecksumValid,
  parseIdentifierKey,
} from '../identifier';

describe('Identifiers: each scheme checked by its own rules', () => {
  it.each([
    // Published LEIs (GLEIF): Alphabet Inc., Microsoft Corporation, Apple Inc.
    ['5493006MHB84DD0ZWV18', true],
    ['INR2EJN1ERAN0W5ZP974', true],
    ['HWUPKR0MPOU8FGXBT394', true],
    ['5493006MHB84DD0ZWV19', false],
    ['5493006MHB84DD0ZWV1', false],
    ['5493006mhb84dd0zwv18', false],
  ])('checks the ISO 17442 check digits of %s (valid: %s)', (lei, valid) => {
    expect(leiChecksumValid(lei)).toBe(valid);
  });

  it('rejects an LEI whose check digits are wrong, saying so', () => {
    const result = Identifier.safeParse({ scheme: 'LEI', value: '5493006MHB84DD0ZWV19' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['fails the ISO 17442 check digits (mod 97)']);
  });

  it('requires a register for a registration number and an exchange for a ticker', () => {
    expect(Identifier.safeParse({ scheme: 'REGISTRY', value: '00445790' }).error?.issues[0]?.path).toEqual([
      'registry',
    ]);
    expect(
      Identifier.safeParse({ scheme: 'TICKER', value: 'GOOGL', exchange: 'NASDAQ' }).error?.issues[0]?.path,
    ).toEqual(['exchange']);
    expect(Identifier.safeParse({ scheme: 'WIKIDATA', value: 'P31' }).success).toBe(false);
  });

  it.each([
    [{ scheme: 'LEI', value: '5493006MHB84DD0ZWV18' }, 'LEI:5493006MHB84DD0ZWV18'],
    [{ scheme: 'REGISTRY', registry: 'GB-COH', value: '00445790' }, 'REGISTRY:GB-COH:00445790'],
    [{ scheme: 'TICKER', exchange: 'XNAS', value: 'GOOGL' }, 'TICKER:XNAS:GOOGL'],
    [{ scheme: 'WIKIDATA', value: 'Q95' }, 'WIKIDATA:Q95'],
    [{ scheme: 'OPENSANCTIONS', value: 'NK-a7TqLm' }, 'OPENSANCTIONS:NK-a7TqLm'],
  ] as const)('writes %j as the key %s, and reads it back', (identifier, key) => {
    expect(identifierKey(Identifier.parse(identifier))).toBe(key);
    expect(parseIdentifierKey(key).data).toEqual(identifier);
  });

  it('treats tickers as reusable and every other scheme as unique', () => {
    expect(isUniqueKey('TICKER:XNAS:GOOGL')).toBe(false);
    expect(['LEI:x', 'REGISTRY:GB-COH:1', 'WIKIDATA:Q1', 'OPENSANCTIONS:x'].map(isUniqueKey)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('refuses the same identifier twice on one record, naming both places', () => {
    const result = Identifiers.safeParse([
      { scheme: 'WIKIDATA', value: 'Q95' },
      { scheme: 'LEI', value: '5493006MHB84DD0ZWV18' },
      { scheme: 'WIKIDATA', value: 'Q95' },
    ]);
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [[2], 'repeats WIKIDATA:Q95, already at [0]'],
    ]);
  });
});
