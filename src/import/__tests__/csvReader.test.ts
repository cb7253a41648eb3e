import { csvReader } from '../csvReader';
import { headerProblems, kindOfFileName } from '../csvTemplates';
import { parseJsonLine } from '../jsonLine';

/** A row of a CSV template in our terms, every cell checked and a bad one named by its column. */

const ownership = (cells: Record<string, string>) =>
  csvReader('ownerships').read({ owner: 'org:a', owned: 'org:b', ...cells }, 7);

describe('CSV template rows', () => {
  it('reads shares as exact, as ranges with open ends, or as unknown', () => {
    expect(ownership({ share: '51%' })[0]).toMatchObject({ kind: 'ownership', share: { exact: 51 } });
    expect(ownership({ share_min: '>25', share_max: '50' })[0]).toMatchObject({
      share: { exclusiveMinimum: 25, maximum: 50 },
    });
    expect(ownership({ share_max: '<10' })[0]).toMatchObject({ share: { exclusiveMaximum: 10 } });
    expect(ownership({})[0]).toMatchObject({ share: null });
  });

  it('rejects a bad cell with its line and column', () => {
    expect(ownership({ share: '51', share_min: '10' })).toEqual([
      expect.objectContaining({ kind: 'rejected', line: 7, field: 'share' }),
    ]);
    expect(ownership({ start_date: '2024-02-30' })).toEqual([
      expect.objectContaining({ kind: 'rejected', field: 'start_date' }),
    ]);
    expect(ownership({ confidence: 'maybe' })).toEqual([
      {
        kind: 'rejected',
        line: 7,
        field: 'confidence',
        message: '"maybe" must be one of CONFIRMED, REPORTED, ESTIMATED, DISPUTED',
      },
    ]);
    expect(csvReader('ownerships').read({ owner: 'org:a', owned: 'person:b' }, 3)).toEqual([
      expect.objectContaining({ field: 'owned', message: expect.stringContaining('must be an id (org:…)') }),
    ]);
  });

  it('reads references as our ids or as identifier keys', () => {
    expect(ownership({ owner: 'LEI:213800ACMEHOLDINGS77' })[0]).toMatchObject({
      owner: { key: 'LEI:213800ACMEHOLDINGS77' },
      owned: { id: 'org:b' },
    });
  });

  it('reads identifiers as scheme:value cells and lists split on ";"', () => {
    const [party] = csvReader('organizations').read(
      {
        id: 'org:x',
        name: 'X Ltd',
        identifiers: 'LEI:213800ACMEHOLDINGS77; TICKER:XNAS:XX',
        aliases: 'X;X Ltd;Ex',
      },
      2,
    );
    expect(party).toMatchObject({
      kind: 'party',
      id: 'org:x',
      identifiers: [
        { scheme: 'LEI', value: '213800ACMEHOLDINGS77' },
        { scheme: 'TICKER', exchange: 'XNAS', value: 'XX' },
      ],
      aliases: ['X', 'Ex'],
      fields: { type: 'COMPANY' },
    });
    expect(csvReader('persons').read({ name: 'Y', identifiers: 'LEI:213800ACMEHOLDINGS78' }, 2)).toEqual([
      expect.objectContaining({ field: 'identifiers', message: expect.stringContaining('check digits') }),
    ]);
  });

  it('tells a file’s kind by its name, or by its ids when the header does not', () => {
    expect(kindOfFileName('/tmp/ownerships-2026.csv')).toBe('ownerships');
    expect(kindOfFileName('stakes.csv')).toBeNull();
    expect(csvReader().read({ id: 'person:p', name: 'P' }, 2)[0]).toMatchObject({ label: 'Person' });
    expect(csvReader().read({ name: 'P' }, 2)[0]).toMatchObject({ kind: 'rejected', field: 'header' });
  });

  it('names missing, unknown and repeated header columns', () => {
    expect(headerProblems('designations', ['entity', 'policy', 'start_date'])).toEqual([]);
    expect(headerProblems('designations', ['entity', 'list', 'entity'])).toEqual([
      'lacks the required column(s) "policy" of designations files',
      expect.stringMatching(/^has column\(s\) "list" that designations files do not have/),
      'repeats the column(s) "entity"',
    ]);
  });
});

describe('parseJsonLine', () => {
  it('parses a line, skips an empty one and rejects a truncated one with its line', () => {
    expect(parseJsonLine('{"a": 1}', 1)).toEqual({ ok: true, json: { a: 1 } });
    expect(parseJsonLine('   ', 2)).toEqual({
      ok: false,
      items: [{ kind: 'skipped', line: 2, reason: 'empty line' }],
    });
    const cut = parseJsonLine('{"a": ', 3);
    expect(cut.ok).toBe(false);
    expect(!cut.ok && cut.items[0]).toMatchObject({
      kind: 'rejected',
      line: 3,
      message: expect.stringMatching(/^is not valid JSON \(a truncated line\?\)/),
    });
  });
});
