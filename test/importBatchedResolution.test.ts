import { ftmReader } from '../src/import/ftm';
import { runImport } from '../src/import/runImport';
import { writeBatch } from '../src/import/writeBatch';
import { recordsByIdentifierKeys } from '../src/queries/identifierHolders';
import {
  OPENSANCTIONS_SDN,
  existingOrganization as existing,
  ftmFile as ftmFileIn,
  policiesOnly,
  useImportHarness,
} from './support/imports';

/**
 * Issue 13, at scale: an import resolves a whole batch's identifier keys in one full-text query (in chunks
 * under Lucene's clause limit) and its names with required distinctive words, and still finds what the
 * screening scorer would match: a typo, a legal form left out, a record holding one key among many asked.
 */

const harness = useImportHarness(() => Promise.resolve());
const db = harness.db;
const ftmFile = (name: string, entities: object[]) => ftmFileIn(harness, name, entities);

describe('Batched resolution on import', () => {
  beforeEach(() => policiesOnly(db));

  it('finds the holders of keys among more keys than one full-text query may hold', async () => {
    await writeBatch(db, 'existing', {
      organizations: [
        existing('org:first-holder', 'First Holder', {
          identifiers: [{ scheme: 'LEI', value: '5299000FIRSTHOLD0001' }],
        }),
        existing('org:last-holder', 'Last Holder', {
          identifiers: [
            { scheme: 'LEI', value: '5299000LASTHOLDR0002' },
            { scheme: 'WIKIDATA', value: 'Q4242' },
          ],
        }),
      ],
    });
    const asked = Array.from({ length: 1200 }, (_, i) => `OPENSANCTIONS:nobody-${i}`);
    asked.splice(3, 0, 'LEI:5299000FIRSTHOLD0001');
    asked.push('LEI:5299000LASTHOLDR0002', 'WIKIDATA:Q4242', 'LEI:5299000FIRSTHOLD0001');
    const holders = await db.read((query) => recordsByIdentifierKeys(query, asked));
    expect(Object.fromEntries([...holders].map(([key, rows]) => [key, rows.map((r) => r.id)]))).toEqual({
      'LEI:5299000FIRSTHOLD0001': ['org:first-holder'],
      'LEI:5299000LASTHOLDR0002': ['org:last-holder'],
      'WIKIDATA:Q4242': ['org:last-holder'],
    });
  });

  it('sends a typo of a held name to review, merges the same name without its legal form, and keeps a stranger new', async () => {
    await writeBatch(db, 'existing', {
      organizations: [
        existing('org:kazan-drones', 'Kazan Drones JSC'),
        existing('org:volga-optics', 'Volga Optics Holding LLC'),
      ],
    });
    const file = await ftmFile('names.ftm.json', [
      { id: 'NK-typo', schema: 'Company', properties: { name: ['Kazan Dornes'], jurisdiction: ['ru'] } },
      {
        id: 'NK-volga',
        schema: 'Company',
        properties: { name: ['Volga Optics Holding'], jurisdiction: ['ru'] },
      },
      { id: 'NK-other', schema: 'Company', properties: { name: ['Kazan Optics'], jurisdiction: ['ru'] } },
    ]);
    const report = await runImport(db, {
      file,
      format: 'ftm',
      reader: ftmReader(),
      source: OPENSANCTIONS_SDN,
    });
    expect(report).toMatchObject({ matched: 1, ambiguous: 1, created: 1, rejected: 0 });
    expect(report.reviews).toEqual([
      {
        line: 1,
        localId: 'NK-typo',
        name: 'Kazan Dornes',
        candidates: ['org:kazan-drones'],
        reason: 'records have a similar name but not the same one',
      },
    ]);
    const [volga] = await db.readRows<{ identifiers: string[] }>(
      "MATCH (o:Organization {id: 'org:volga-optics'}) RETURN o.identifiers AS identifiers",
    );
    expect(volga?.identifiers).toEqual(['OPENSANCTIONS:NK-volga']);
  });

  it('finds a merged party again by its key in pass 2, whichever batch merged it', async () => {
    await writeBatch(db, 'existing', {
      organizations: [
        existing('org:kama-optics', 'Kama Optics', { identifiers: [{ scheme: 'WIKIDATA', value: 'Q777' }] }),
      ],
    });
    const file = await ftmFile('merged.ftm.json', [
      {
        id: 'own-1',
        schema: 'Ownership',
        properties: { owner: ['NK-parent'], asset: ['NK-kama'], percentage: ['51'] },
      },
      { id: 'NK-parent', schema: 'Company', properties: { name: ['Parent Zeta'], jurisdiction: ['ru'] } },
      {
        id: 'NK-kama',
        schema: 'Company',
        properties: { name: ['Kama Optics Co'], wikidataId: ['Q777'], jurisdiction: ['ru'] },
      },
    ]);
    const report = await runImport(db, {
      file,
      format: 'ftm',
      reader: ftmReader(),
      source: OPENSANCTIONS_SDN,
      batchSize: 1,
    });
    expect(report).toMatchObject({ matched: 1, rejected: 0, ambiguous: 0 });
    const stakes = await db.readRows<{ owner: string; owned: string }>(
      "MATCH (a)-[r:OWNS {id: 'own:ftm-own-1'}]->(b) RETURN a.id AS owner, b.id AS owned",
    );
    expect(stakes).toEqual([{ owner: 'org:ftm-NK-parent', owned: 'org:kama-optics' }]);
  });
});
