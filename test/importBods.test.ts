import path from 'node:path';
import { bodsReader } from '../src/import/bods';
import { runImport } from '../src/import/runImport';
import { IMPORT_FIXTURES, graphSnapshot, useImportHarness } from './support/imports';

/**
 * Issue 13: BODS 0.4 statements (entity, person, relationship), interests with exact shares and ranges with
 * exclusive ends, later statements of a record updating it; a share range gives POSSIBLY_COVERED.
 */

const FILE = path.join(IMPORT_FIXTURES, 'bods', 'orchid-group.bods.jsonl');
const SOURCE = {
  dataset: 'example-register',
  version: '2026-11-20',
  url: 'https://example.org/register/bods',
  publisher: 'Example Register',
};
const harness = useImportHarness();
const db = harness.db;

const importBods = () => runImport(db, { file: FILE, format: 'bods', reader: bodsReader(), source: SOURCE });

describe('BODS 0.4 import: statements, share ranges and updates', () => {
  it('writes entities, persons and direct shareholdings; an indirect interest is left to the chain', async () => {
    const report = await importBods();
    expect(report).toMatchObject({ lines: 7, rejected: 0, ambiguous: 0, skipped: 1, problems: [] });
    const parties = await db.readRows<Record<string, unknown>>(
      `MATCH (n) WHERE n.id STARTS WITH 'org:bods-' OR n.id STARTS WITH 'person:bods-'
       RETURN n.id AS id, n.name AS name, n.headquarters AS hq, n.incorporation AS inc, n.nationality AS nationality,
              n.identifiers AS identifiers ORDER BY id`,
    );
    expect(parties).toEqual([
      {
        id: 'org:bods-ent-parent',
        name: 'Shenzhen Orchid Intelligence Co., Ltd.',
        hq: 'CN',
        inc: 'CN',
        nationality: null,
        identifiers: ['REGISTRY:CN-SAIC:91440300MA5ORCHID1'],
      },
      {
        id: 'org:bods-ent-uk',
        name: 'Orchid AI UK Limited',
        hq: 'GB',
        inc: 'GB',
        nationality: null,
        identifiers: ['REGISTRY:GB-COH:15290001'],
      },
      {
        id: 'person:bods-person-1',
        name: 'Mei Lin',
        hq: null,
        inc: null,
        nationality: 'CN',
        identifiers: null,
      },
    ]);
    const stakes = await db.readRows<Record<string, unknown>>(
      `MATCH (a)-[r:OWNS]->(b) RETURN r.id AS id, a.id AS owner, b.id AS owned, r.shareExact AS exact,
              r.shareExclusiveMinimum AS above, r.shareMaximum AS atMost ORDER BY id`,
    );
    expect(stakes).toEqual([
      {
        id: 'own:bods-rel-parent-uk',
        owner: 'org:bods-ent-parent',
        owned: 'org:bods-ent-uk',
        exact: null,
        above: 25,
        atMost: 75,
      },
      // The record's later statement (45%) replaced its first (40%).
      {
        id: 'own:bods-rel-person-parent',
        owner: 'person:bods-person-1',
        owned: 'org:bods-ent-parent',
        exact: 45,
        above: null,
        atMost: null,
      },
    ]);
  });

  it('gives POSSIBLY_COVERED with the bounds of a "more than 25%, at most 75%" stake', async () => {
    const response = await harness.app.apollo.executeOperation(
      {
        query: `{ policyVerdict(entity: "org:bods-ent-uk", policy: "policy:anthropic-unsupported-regions-2025",
          asOf: "2026-11-30") { verdict aggregate { lower upper verdict } } }`,
      },
      { contextValue: harness.app.context() },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors).toBeUndefined();
    expect(response.body.singleResult.data).toEqual({
      policyVerdict: {
        verdict: 'POSSIBLY_COVERED',
        aggregate: { lower: 25, upper: 75, verdict: 'POSSIBLY_COVERED' },
      },
    });
  });

  it('changes nothing when imported again', async () => {
    const before = await graphSnapshot(db);
    const again = await importBods();
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    expect(await graphSnapshot(db)).toEqual(before);
  });
});
