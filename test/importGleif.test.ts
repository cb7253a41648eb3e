import path from 'node:path';
import { gleifReader } from '../src/import/gleif';
import { runImport } from '../src/import/runImport';
import { IMPORT_FIXTURES, graphSnapshot, useImportHarness } from './support/imports';

/**
 * Issue 13: GLEIF Level 1 (legal jurisdiction and headquarters country: our incorporation/headquarters
 * split) and Level 2 (direct accounting consolidation parents) decide an Anthropic-style verdict.
 */

const FILE = path.join(IMPORT_FIXTURES, 'gleif', 'dragon-group.gleif.json');
const SOURCE = {
  dataset: 'gleif-api',
  version: '2026-11-30',
  url: 'https://api.gleif.org/api/v1/lei-records',
  publisher: 'GLEIF',
  title: 'GLEIF LEI and relationship records',
};
const PARENT = 'org:gleif-254900GLEIFPARENT180';
const EUROPE = 'org:gleif-254900GLEIFCHILD0102';
const LOTUS = 'org:gleif-254900GLEIFGRANDC176';
const harness = useImportHarness();
const db = harness.db;

async function verdict(entity: string) {
  const response = await harness.app.apollo.executeOperation(
    {
      query: `{ policyVerdict(entity: "${entity}", policy: "policy:anthropic-unsupported-regions-2025", asOf: "2026-11-30",
        unknownAs: POSSIBLY_COVERED) { verdict aggregate { lower upper } explanation { rootReason { kind country { code } } } } }`,
    },
    { contextValue: harness.app.context() },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  expect(response.body.singleResult.errors).toBeUndefined();
  return (response.body.singleResult.data as { policyVerdict: unknown }).policyVerdict;
}

describe('GLEIF import: legal entities and their direct consolidation parents', () => {
  it('reads incorporation from the legal jurisdiction and headquarters from the headquarters address', async () => {
    const report = await runImport(db, {
      file: FILE,
      format: 'gleif',
      reader: gleifReader(),
      source: SOURCE,
    });
    expect(report).toMatchObject({ lines: 5, rejected: 0, skipped: 1, ambiguous: 0, problems: [] });
    const rows = await db.readRows<Record<string, unknown>>(
      `MATCH (o:Organization) WHERE o.id STARTS WITH 'org:gleif-'
       RETURN o.id AS id, o.name AS name, o.incorporation AS incorporation, o.headquarters AS headquarters,
              o.identifiers AS identifiers ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: EUROPE,
        name: 'Dragon AI Europe GmbH',
        incorporation: 'DE',
        headquarters: 'DE',
        identifiers: ['LEI:254900GLEIFCHILD0102'],
      },
      {
        id: LOTUS,
        name: 'Lotus Models Pte. Ltd.',
        incorporation: 'CN',
        headquarters: 'SG',
        identifiers: ['LEI:254900GLEIFGRANDC176'],
      },
      {
        id: PARENT,
        name: 'Dragon AI Holdings Ltd',
        incorporation: 'KY',
        headquarters: 'CN',
        identifiers: ['LEI:254900GLEIFPARENT180'],
      },
    ]);
    const stakes = await db.readRows<Record<string, unknown>>(
      `MATCH (a)-[r:OWNS]->(b) RETURN a.id AS owner, b.id AS owned, r.shareExact AS share,
              r.shareUnknown AS unknown, r.startDate AS start ORDER BY start`,
    );
    expect(stakes).toEqual([
      { owner: PARENT, owned: EUROPE, share: 60, unknown: null, start: '2020-07-01' },
      { owner: EUROPE, owned: LOTUS, share: null, unknown: true, start: '2022-03-15' },
    ]);
  });

  it('decides the Anthropic-style verdicts by headquarters, not incorporation', async () => {
    // Headquartered in China (incorporated in the Cayman Islands): a starting point of the policy.
    expect(await verdict(PARENT)).toMatchObject({
      verdict: 'COVERED',
      explanation: { rootReason: { kind: 'HEADQUARTERS', country: { code: 'CN' } } },
    });
    // 60% owned by it: more than 50% (the other 40% is not on record, so it may be more).
    expect(await verdict(EUROPE)).toMatchObject({ verdict: 'COVERED', aggregate: { lower: 60, upper: 100 } });
    // Incorporated in China but headquartered in Singapore, held in a stake of unpublished size.
    expect(await verdict(LOTUS)).toMatchObject({
      verdict: 'POSSIBLY_COVERED',
      aggregate: { lower: 0, upper: 100 },
    });
  });

  it('changes nothing when imported again', async () => {
    const before = await graphSnapshot(db);
    const again = await runImport(db, { file: FILE, format: 'gleif', reader: gleifReader(), source: SOURCE });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(await graphSnapshot(db)).toEqual(before);
  });
});
