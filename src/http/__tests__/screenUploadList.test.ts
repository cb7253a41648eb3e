import { parseCustomerList } from '../screenUploadList';

/** An uploaded customer list, checked whole: each bad cell by line and column, limits before anything else. */

describe('parseCustomerList', () => {
  it('reads customers with their keys, in any column order and case of header', () => {
    const list = parseCustomerList(
      'Name,LEI,Country,ref\nAcme,213800acmeholdings77,gb,c1\n"Beta, Inc.",,,c2\n',
      10,
    );
    expect(list).toEqual({
      ok: true,
      customers: [
        {
          line: 2,
          ref: 'c1',
          name: 'Acme',
          country: 'GB',
          id: null,
          identifiers: [{ scheme: 'LEI', value: '213800ACMEHOLDINGS77' }],
        },
        { line: 3, ref: 'c2', name: 'Beta, Inc.', country: null, id: null, identifiers: [] },
      ],
    });
  });

  it('names the line and column of every bad cell', () => {
    const list = parseCustomerList('name,identifiers,country\nA,WIKIDATA:95,\n,,\nC,,ZZ\nD,E\n', 10);
    expect(list).toEqual({
      ok: false,
      problems: [
        { line: 2, column: 'identifiers', message: '"WIKIDATA:95" must be a Wikidata item id such as "Q95"' },
        {
          line: 3,
          column: 'name',
          message: 'is empty, and so are lei, identifiers and id: nothing to screen',
        },
        { line: 4, column: 'country', message: '"ZZ" is not an ISO 3166-1 alpha-2 country code' },
        { line: 5, column: 'country', message: 'has 2 field(s), the header 3' },
      ],
    });
  });

  it('refuses an unknown column, a list of more customers than allowed, and a body that is not CSV', () => {
    expect(parseCustomerList('name,vat\nA,1\n', 10)).toMatchObject({
      ok: false,
      problems: [{ line: 1, column: 'vat' }],
    });
    expect(parseCustomerList('name\nA\nB\nC\n', 2)).toMatchObject({
      ok: false,
      tooMany: true,
      problems: [{ line: 4 }],
    });
    expect(parseCustomerList('name\n"A\n', 2)).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/^is not valid CSV/) }],
    });
  });
});
