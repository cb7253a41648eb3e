import path from 'node:path';
import { gleifReader } from '../src/import/gleif';
import { gleifCsvReader } from '../src/import/gleifCsv';
import { runImport } from '../src/import/runImport';
import { FIXTURES } from './support/database';
import { IMPORT_FIXTURES, graphSnapshot, useImportHarness } from './support/imports';

/**
 * Issue 13: GLEIF's golden-copy CSV (Level 1 LEI-CDF and Level 2 relationship files, with their published
 * column names) read through the same mapping as the API's JSON: the same records, the same verdicts.
 */

const CSV = path.join(FIXTURES, 'gleif-csv');
const LEVEL1 = path.join(CSV, 'dragon-group-lei2-golden-copy.csv');
const LEVEL2 = path.join(CSV, 'dragon-group-rr-golden-copy.csv');
const SOURCE = {
  dataset: 'gleif-golden-copy',
  version: '2026-11-30',
  url: 'https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy',
  publisher: 'GLEIF',
};
const PARENT = 'org:gleif-254900GLEIFPARENT180';
const EUROPE = 'org:gleif-254900GLEIFCHILD0102';
const LOTUS = 'org:gleif-254900GLEIFGRANDC176';

const harness = useImportHarness();
const importCsv = (file: string) =>
  runImport(harness.db, { file, format: 'gleif-csv', reader: gleifCsvReader(), source: SOURCE });

async function verdict(entity: string) {
  const { data, errors } = await harness.execute(
    `query ($entity: ID!) { policyVerdict(entity: $entity, policy: "policy:anthropic-unsupported-regions-2025",
       asOf: "2026-11-30", unknownAs: POSSIBLY_COVERED) {
       verdict aggregate { lower upper } explanation { rootReason { kind country { code } } } } }`,
    { entity },
  );
  expect(errors).toBeUndefined();
  return data.policyVerdict as unknown;
}

describe('GLEIF golden-copy CSV', () => {
  it('reads Level 1 rows: incorporation from the legal jurisdiction, headquarters from its address', async () => {
    const report = await importCsv(LEVEL1);
    // Three organizations, and the countries KY, DE and SG, which the database lacked (CN it held).
    expect(report).toMatchObject({ lines: 3, created: 6, rejected: 0, problems: [] });
    const rows = await harness.db.readRows<Record<string, unknown>>(
      `MATCH (o:Organization) WHERE o.id STARTS WITH 'org:gleif-'
       RETURN o.id AS id, o.name AS name, o.aliases AS aliases, o.incorporation AS incorporation,
              o.headquarters AS headquarters, o.founded AS founded, o.identifiers AS identifiers ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: EUROPE,
        name: 'Dragon AI Europe GmbH',
        aliases: null,
        incorporation: 'DE',
        headquarters: 'DE',
        founded: '2017-05-02',
        identifiers: ['LEI:254900GLEIFCHILD0102'],
      },
      {
        id: LOTUS,
        name: 'Lotus Models Pte. Ltd.',
        aliases: null,
        incorporation: 'CN',
        headquarters: 'SG',
        founded: '2017-05-02',
        identifiers: ['LEI:254900GLEIFGRANDC176'],
      },
      {
        id: PARENT,
        name: 'Dragon AI Holdings Ltd',
        aliases: ['Dragon AI'],
        incorporation: 'KY',
        headquarters: 'CN',
        founded: '2017-05-02',
        identifiers: ['LEI:254900GLEIFPARENT180'],
      },
    ]);
  });

  it('reads Level 2 rows: direct parents with the relationship period and the percentage quantifier', async () => {
    const report = await importCsv(LEVEL2);
    // The ultimate parent is reached through the direct ones: skipped, not rejected.
    expect(report).toMatchObject({ lines: 3, created: 2, skipped: 1, rejected: 0 });
    const stakes = await harness.db.readRows<Record<string, unknown>>(
      `MATCH (a)-[r:OWNS]->(b) RETURN a.id AS owner, b.id AS owned, r.shareExact AS share,
              r.shareUnknown AS unknown, r.startDate AS start, r.endDate AS end ORDER BY start`,
    );
    expect(stakes).toEqual([
      // The relationship period (the second period column here), not the accounting period.
      { owner: PARENT, owned: EUROPE, share: 60, unknown: null, start: '2020-07-01', end: null },
      { owner: EUROPE, owned: LOTUS, share: null, unknown: true, start: '2022-03-15', end: null },
    ]);
  });

  it('decides the Anthropic-style verdicts by headquarters, as the JSON import does', async () => {
    expect(await verdict(PARENT)).toMatchObject({
      verdict: 'COVERED',
      explanation: { rootReason: { kind: 'HEADQUARTERS', country: { code: 'CN' } } },
    });
    expect(await verdict(EUROPE)).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 60, upper: 100 } });
    expect(await verdict(LOTUS)).toMatchObject({ verdict: 'POSSIBLY_COVERED' });
  });

  it('gives the same records as the JSON of the same facts: importing that JSON changes nothing', async () => {
    const before = await graphSnapshot(harness.db);
    const json = await runImport(harness.db, {
      file: path.join(IMPORT_FIXTURES, 'gleif', 'dragon-group.gleif.json'),
      format: 'gleif',
      reader: gleifReader(),
      source: SOURCE,
    });
    expect(json).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 0 });
    expect(await graphSnapshot(harness.db)).toEqual(before);
  });

  it('rejects bad rows with their line and column', async () => {
    const level1 = await importCsv(path.join(CSV, 'bad-lei2-golden-copy.csv'));
    expect(level1.problems).toEqual([
      {
        file: 'bad-lei2-golden-copy.csv',
        line: 2,
        field: 'LEI',
        message: '"254900GLEIFPARENT181" fails the ISO 17442 check digits (mod 97)',
      },
      { file: 'bad-lei2-golden-copy.csv', line: 3, field: 'Entity.LegalName', message: 'is required' },
    ]);
    // A row of the wrong length refuses the whole file before its first write: importReadWhole.test.ts.
    const level2 = await importCsv(path.join(CSV, 'bad-rr-golden-copy.csv'));
    expect(level2.problems).toEqual([
      {
        file: 'bad-rr-golden-copy.csv',
        line: 2,
        field: 'Relationship.RelationshipType',
        message: 'is not a GLEIF relationship type: "IS_PARENT_OF"',
      },
      {
        file: 'bad-rr-golden-copy.csv',
        line: 3,
        field: 'Relationship.Quantifiers.1.QuantifierAmount',
        message: 'must give a percentage between 0 and 100, got "150"',
      },
    ]);
  });
});
