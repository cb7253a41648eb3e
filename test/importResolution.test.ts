import type { Principal } from '../src/auth/principal';
import { ftmReader } from '../src/import/ftm';
import { runImport } from '../src/import/runImport';
import { writeBatch } from '../src/import/writeBatch';
import {
  OPENSANCTIONS_SDN,
  existingOrganization as existing,
  ftmFile as ftmFileIn,
  policiesOnly,
  useImportHarness,
} from './support/imports';

/**
 * Issue 13: incoming parties are matched to records we hold by identifier first, then by name and country;
 * an ambiguous match goes to the review list, which an editor resolves; a rerun then writes what waited.
 */

// The tests load what they need (beforeEach below): the harness prepares nothing.
const harness = useImportHarness(() => Promise.resolve());
const db = harness.db;
const ftmFile = (name: string, entities: object[]) => ftmFileIn(harness, name, entities);

const EDITOR: Principal = { id: 'key:editor-1', name: 'Editor One', role: 'editor', via: 'api-key' };
const READER: Principal = { id: 'key:reader-1', name: 'Reader One', role: 'reader', via: 'api-key' };

const execute = (query: string, principal?: Principal) => harness.execute(query, {}, principal);

const importFtm = (file: string) =>
  runImport(db, { file, format: 'ftm', reader: ftmReader(), source: OPENSANCTIONS_SDN });

describe('Entity resolution on import', () => {
  beforeEach(() => policiesOnly(db));

  it('merges a party into the record holding its LEI, and designates that record', async () => {
    await writeBatch(db, 'existing', {
      organizations: [
        existing('org:volga-holding', 'Volga Analytics Holding', {
          identifiers: [{ scheme: 'LEI', value: '5299000VOLGAHOLD0195' }],
        }),
      ],
    });
    const file = await ftmFile('lei.ftm.json', [
      {
        id: 'NK-vah',
        schema: 'Company',
        properties: {
          name: ['PAO Volga Analitika'],
          leiCode: ['5299000VOLGAHOLD0195'],
          jurisdiction: ['ru'],
        },
        datasets: ['us_ofac_sdn'],
      },
      {
        id: 'sanction-vah',
        schema: 'Sanction',
        properties: { entity: ['NK-vah'], program: ['RUSSIA-EO14024'], startDate: ['2022-04-06'] },
        datasets: ['us_ofac_sdn'],
      },
    ]);
    const report = await importFtm(file);
    expect(report).toMatchObject({ matched: 1, created: 2, updated: 1, ambiguous: 0, rejected: 0 });
    const [record] = await db.readRows<Record<string, unknown>>(
      `MATCH (o:Organization {id: 'org:volga-holding'})
       OPTIONAL MATCH (p:Policy)-[:DESIGNATES]->(o)
       RETURN o.name AS name, o.aliases AS aliases, o.identifiers AS identifiers, o.sourceIds AS sources,
              collect(p.id) AS policies`,
    );
    // The record keeps its own name; the import adds its name as an alias, its id and its source.
    expect(record).toEqual({
      name: 'Volga Analytics Holding',
      aliases: ['PAO Volga Analitika'],
      identifiers: ['LEI:5299000VOLGAHOLD0195', 'OPENSANCTIONS:NK-vah'],
      sources: ['src:fixture-policies', 'src:import-us_ofac_sdn-2026-11-28'],
      policies: expect.arrayContaining(['policy:ofac-sdn-list', 'policy:ofac-50-percent-rule']),
    });
    expect(await db.readRows("MATCH (o:Organization) WHERE o.id STARTS WITH 'org:ftm-' RETURN o")).toEqual(
      [],
    );
  });

  it('matches the same name in the same country, and keeps a same-named party abroad apart', async () => {
    await writeBatch(db, 'existing', { organizations: [existing('org:kazan-drones', 'Kazan Drones JSC')] });
    const file = await ftmFile('names.ftm.json', [
      { id: 'NK-kd', schema: 'Company', properties: { name: ['Kazan Drones'], jurisdiction: ['ru'] } },
      {
        id: 'NK-kd-us',
        schema: 'Company',
        properties: { name: ['Kazan Drones Inc.'], jurisdiction: ['us'] },
      },
    ]);
    const report = await importFtm(file);
    expect(report).toMatchObject({ matched: 1, created: 1, updated: 1, ambiguous: 0 });
    const ids = await db.readRows<{ id: string }>(
      "MATCH (o:Organization) WHERE o.name STARTS WITH 'Kazan' RETURN o.id AS id ORDER BY id",
    );
    expect(ids.map((r) => r.id)).toEqual(['org:ftm-NK-kd-us', 'org:kazan-drones']);
  });

  it('sends an ambiguous party to the review list; an editor merges it and a rerun writes what waited', async () => {
    await writeBatch(db, 'existing', {
      organizations: [
        existing('org:kama-robotics-a', 'Kama Robotics LLC'),
        existing('org:kama-robotics-b', 'Kama Robotics JSC'),
      ],
    });
    const file = await ftmFile('ambiguous.ftm.json', [
      { id: 'NK-kama', schema: 'Company', properties: { name: ['Kama Robotics'], jurisdiction: ['ru'] } },
      {
        id: 'NK-kama-sub',
        schema: 'Company',
        properties: { name: ['Kama Robotics Service'], mainCountry: ['kz'] },
      },
      {
        id: 'own-kama-sub',
        schema: 'Ownership',
        properties: { owner: ['NK-kama'], asset: ['NK-kama-sub'], percentage: ['60'] },
      },
    ]);
    const first = await importFtm(file);
    expect(first).toMatchObject({ ambiguous: 1, rejected: 1 });
    expect(first.reviews).toEqual([
      {
        line: 1,
        localId: 'NK-kama',
        name: 'Kama Robotics',
        candidates: ['org:kama-robotics-a', 'org:kama-robotics-b'],
        reason: '2 records have this name and country',
      },
    ]);
    expect(first.problems.map((p) => [p.line, p.field])).toEqual([[3, 'owner']]);

    const list = `{ importReview { id status name reason line candidates { id } source { url } } }`;
    expect((await execute(list)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await execute(list, READER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { data } = await execute(list, EDITOR);
    expect(data.importReview).toEqual([
      {
        id: 'review:import-us_ofac_sdn-2026-11-28:NK-kama',
        status: 'OPEN',
        name: 'Kama Robotics',
        reason: '2 records have this name and country',
        line: 1,
        candidates: [{ id: 'org:kama-robotics-a' }, { id: 'org:kama-robotics-b' }],
        source: { url: OPENSANCTIONS_SDN.url },
      },
    ]);

    const resolve = `mutation { resolveImportReview(id: "review:import-us_ofac_sdn-2026-11-28:NK-kama",
      decision: MERGE, into: "org:kama-robotics-b") { status resolvedBy resolved { id } } }`;
    expect((await execute(resolve, READER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await execute(resolve, EDITOR)).data.resolveImportReview).toEqual({
      status: 'MERGED',
      resolvedBy: 'key:editor-1',
      resolved: { id: 'org:kama-robotics-b' },
    });
    const again = await execute(resolve, EDITOR);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const rerun = await importFtm(file);
    expect(rerun).toMatchObject({ ambiguous: 0, rejected: 0, created: 1 });
    const [stake] = await db.readRows<{ owner: string; share: number }>(
      "MATCH (a)-[r:OWNS {id: 'own:ftm-own-kama-sub'}]->() RETURN a.id AS owner, r.shareExact AS share",
    );
    expect(stake).toEqual({ owner: 'org:kama-robotics-b', share: 60 });
  });

  it('imports a small file through the importData mutation, for editors only', async () => {
    const content = JSON.stringify({
      id: 'NK-inline',
      schema: 'Company',
      properties: { name: ['Inline Ltd'] },
    });
    const mutation = (
      dryRun: boolean,
    ) => `mutation { importData(format: FTM, dryRun: ${dryRun}, content: ${JSON.stringify(content)},
      source: {dataset: "inline", version: "2026-11-30", url: "https://example.org/inline", publisher: "Example"}) {
        lines created rejected summary } }`;
    expect((await execute(mutation(false), READER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await execute(mutation(true), EDITOR)).data.importData).toEqual({
      lines: 1,
      created: 1,
      rejected: 0,
      summary: 'Nothing was written (dry run).',
    });
    expect((await execute(mutation(false), EDITOR)).data.importData).toEqual({
      lines: 1,
      created: 1,
      rejected: 0,
      summary: 'Everything was written.',
    });
    expect(
      await db.readRows("MATCH (o:Organization {id: 'org:ftm-NK-inline'}) RETURN o.name AS name"),
    ).toEqual([{ name: 'Inline Ltd' }]);
    // The change set that wrote it names the editor who called the mutation, not the command-line loader.
    expect(
      await db.readRows(
        "MATCH (c:ChangeSet) WHERE 'org:ftm-NK-inline' IN c.recordIds RETURN c.authorId AS id, c.authorName AS name",
      ),
    ).toEqual([{ id: EDITOR.id, name: EDITOR.name }]);
  });
});
