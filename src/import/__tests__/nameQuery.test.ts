import { CANDIDATES_PER_NAME, NAMES_PER_QUERY, nameLookups, requiredWordsQuery } from '../nameQuery';

describe('the full-text queries that find an incoming name its candidates', () => {
  it('requires each distinctive word, fuzzy by the edits the scorer allows it', () => {
    expect(requiredWordsQuery('Kazan Drones JSC')).toBe('+kazan~1 +drones~1');
    expect(requiredWordsQuery('Bench Holding 123 Ltd.')).toBe('+bench~1 +123');
    expect(requiredWordsQuery('Rosoboronexport Trading')).toBe('+rosoboronexport~2');
    expect(requiredWordsQuery('Kama-Robotics (Kazan), LLC')).toBe('+kama +robotics~1 +kazan~1');
  });

  it('asks a word with a digit exactly: a number differing by one digit names another entity', () => {
    expect(requiredWordsQuery('Bench Holding 123456 Ltd')).toBe('+bench~1 +123456');
    expect(requiredWordsQuery('Orbita5 Systems')).toBe('+orbita5');
  });

  it('requires every word exactly of a name with no distinctive word, which only the same name matches', () => {
    expect(requiredWordsQuery('Holding Group Ltd')).toBe('+holding +group +ltd');
  });

  it('keeps the OR of the words where the index would split a name otherwise than the normaliser', () => {
    for (const name of ['Société Générale', 'U.S. Steel', "O'Neil Partners", 'Smith & Sons', '字节跳动'])
      expect(requiredWordsQuery(name)).toBeNull();
    expect(nameLookups(['Smith & Sons'])).toEqual([
      { text: 'Smith \\& Sons', limit: CANDIDATES_PER_NAME, names: [0] },
    ]);
  });

  it('ORs plain names together by the query, each query naming the names it answers for', () => {
    const names = Array.from({ length: 2 * NAMES_PER_QUERY + 20 }, (_, i) => `Bench Holding ${i} Ltd`);
    names.splice(7, 0, 'Société Générale');
    const lookups = nameLookups(names);
    expect(lookups.map((l) => l.names.length)).toEqual([1, NAMES_PER_QUERY, NAMES_PER_QUERY, 20]);
    expect(lookups[0]).toMatchObject({ names: [7], limit: CANDIDATES_PER_NAME });
    expect(lookups[1]!.limit).toBe(NAMES_PER_QUERY * CANDIDATES_PER_NAME);
    expect(lookups[1]!.text.startsWith('(+bench~1 +0) OR (+bench~1 +1) OR')).toBe(true);
    // Every name is answered for exactly once.
    expect(lookups.flatMap((l) => l.names).sort((a, b) => a - b)).toEqual(names.map((_, i) => i));
  });
});
