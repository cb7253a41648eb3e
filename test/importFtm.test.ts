import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../src/app';
import { ftmReader } from '../src/import/ftm';
import { runImport, type ImportOptions } from '../src/import/runImport';
import { createLogger } from '../src/log';
import { testDatabase } from './support/database';
import { IMPORT_FIXTURES, OPENSANCTIONS_SDN, graphSnapshot, policiesOnly } from './support/imports';
import { TEST_CONFIG } from './support/seededApp';

/**
 * Issue 13: FollowTheMoney entities as OpenSanctions exports them, one JSON object a line, imported in
 * batches with a checkpoint; sanctions become designations under the policy of their list.
 */

const GROUP = path.join(IMPORT_FIXTURES, 'ftm', 'sanctioned-group.ftm.json');
const BAD = path.join(IMPORT_FIXTURES, 'ftm', 'bad-lines.ftm.json');
const db = testDatabase();
afterAll(() => db.close());

function ftm(file: string, extra: Partial<ImportOptions> = {}) {
  return runImport(db, { file, format: 'ftm', reader: ftmReader(), source: OPENSANCTIONS_SDN, ...extra });
}

describe('FollowTheMoney import: parties, ownerships and sanctions', () => {
  beforeEach(() => policiesOnly(db));

  it('writes companies, persons, stakes and designations, whatever order the lines come in', async () => {
    const report = await ftm(GROUP);
    expect(report).toMatchObject({
      lines: 8,
      // 3 parties, the Singapore country they add, 2 ownerships, 2 designations (SDN list and 50% rule).
      created: 8,
      updated: 0,
      unchanged: 0,
      matched: 0,
      ambiguous: 0,
      rejected: 0,
      skipped: 2,
      problems: [],
    });
    const [holding] = await db.readRows<Record<string, unknown>>(
      `MATCH (o:Organization {id: 'org:ftm-NK-volga-holding'})
       RETURN o.name AS name, o.aliases AS aliases, o.incorporation AS incorporation, o.headquarters AS headquarters,
              o.founded AS founded, o.identifiers AS identifiers, o.sourceIds AS sources`,
    );
    expect(holding).toEqual({
      name: 'Volga Analytics Holding PJSC',
      aliases: ['PAO Volga Analitika Kholding'],
      incorporation: 'RU',
      headquarters: 'RU',
      founded: '2009-06-15',
      identifiers: ['OPENSANCTIONS:NK-volga-holding', 'LEI:5299000VOLGAHOLD0195'],
      sources: ['src:import-us_ofac_sdn-2026-11-28'],
    });
    const stakes = await db.readRows<Record<string, unknown>>(
      `MATCH (a)-[r:OWNS]->(b) RETURN r.id AS id, a.id AS owner, b.id AS owned, r.shareExact AS share,
              r.startDate AS start, r.startDatePrecision AS precision ORDER BY id`,
    );
    expect(stakes).toEqual([
      // "2015" is a partial date: kept as the year, stored as its first day with the precision beside it.
      {
        id: 'own:ftm-NK-own-ivanov',
        owner: 'person:ftm-NK-ivanov',
        owned: 'org:ftm-NK-volga-holding',
        share: 12.5,
        start: '2015-01-01',
        precision: 'YEAR',
      },
      {
        id: 'own:ftm-NK-own-volga-sgp',
        owner: 'org:ftm-NK-volga-holding',
        owned: 'org:ftm-NK-volga-sgp',
        share: 50,
        start: '2021-03-01',
        precision: null,
      },
    ]);
    const designations = await db.readRows<Record<string, unknown>>(
      `MATCH (p:Policy)-[d:DESIGNATES]->(e) RETURN p.id AS policy, e.id AS entity, d.listName AS list,
              d.startDate AS start ORDER BY policy`,
    );
    expect(designations).toEqual([
      {
        policy: 'policy:ofac-50-percent-rule',
        entity: 'org:ftm-NK-volga-holding',
        list: 'RUSSIA-EO14024',
        start: '2022-04-06',
      },
      {
        policy: 'policy:ofac-sdn-list',
        entity: 'org:ftm-NK-volga-holding',
        list: 'RUSSIA-EO14024',
        start: '2022-04-06',
      },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    await ftm(GROUP);
    const before = await graphSnapshot(db);
    const again = await ftm(GROUP);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 7, matched: 0, rejected: 0 });
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('makes the 50%-owned foreign subsidiary of a sanctioned parent COVERED, citing the imported data set', async () => {
    await ftm(GROUP);
    const app: App = await createApp(db, TEST_CONFIG, createLogger('silent'));
    try {
      const response = await app.apollo.executeOperation(
        {
          query: `{ policyVerdict(entity: "org:ftm-NK-volga-sgp", policy: "policy:ofac-50-percent-rule", asOf: "2026-11-30") {
            verdict aggregate { lower upper }
            explanation { sentence paths {
              root { id } rootReason { designations { sources { title url } } }
              steps { from { id } to { id } sources { title url } }
            } }
          } }`,
        },
        { contextValue: app.context() },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      expect(errors).toBeUndefined();
      const verdict = (data as { policyVerdict: any }).policyVerdict; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(verdict.verdict).toBe('COVERED');
      expect(verdict.aggregate).toEqual({ lower: 50, upper: 50 });
      const cited = { title: OPENSANCTIONS_SDN.title, url: OPENSANCTIONS_SDN.url };
      expect(verdict.explanation.paths).toEqual([
        {
          root: { id: 'org:ftm-NK-volga-holding' },
          rootReason: { designations: [{ sources: [cited] }] },
          steps: [
            {
              from: { id: 'org:ftm-NK-volga-holding' },
              to: { id: 'org:ftm-NK-volga-sgp' },
              sources: [cited],
            },
          ],
        },
      ]);
    } finally {
      await app.stop(1000);
    }
  });

  it('rejects bad lines with their line and field, writes the good ones, and converges on a rerun', async () => {
    const report = await ftm(BAD);
    expect(report.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [2, undefined, expect.stringMatching(/^is not valid JSON \(a truncated line\?\)/)],
      [3, 'properties.name', 'must be a list of strings'],
      [4, 'properties.name', 'is required (a party needs a name)'],
      [5, 'properties.leiCode', '"5299000VOLGAHOLD0196" fails the ISO 17442 check digits (mod 97)'],
      [
        6,
        'owned',
        'refers to "NK-missing", which neither this import wrote (rejected, or in the review list) nor the database holds',
      ],
      [7, 'properties.percentage', 'must be a percentage between 0 and 100, got "150"'],
      [8, 'owned', 'must differ from owner'],
      [
        10,
        'identifiers',
        'holds LEI:5299000KAMAROBOT0195, which line 9 of this import gives to another entity',
      ],
    ]);
    expect(report).toMatchObject({ lines: 14, rejected: 8 });
    const companies = await db.readRows<{ id: string }>(
      "MATCH (o:Organization) WHERE o.id STARTS WITH 'org:ftm-' RETURN o.id AS id ORDER BY id",
    );
    // The company with a bad LEI is kept without it; the cross-holding of A and B is a cycle, and allowed.
    expect(companies.map((c) => c.id)).toEqual([
      'org:ftm-NK-bad-lei',
      'org:ftm-NK-cycle-a',
      'org:ftm-NK-cycle-b',
      'org:ftm-NK-dup-lei-a',
      'org:ftm-NK-good-one',
    ]);
    const stakes = await db.readRows<{ id: string }>('MATCH ()-[r:OWNS]->() RETURN r.id AS id ORDER BY id');
    expect(stakes.map((s) => s.id)).toEqual(['own:ftm-own-cycle-ab', 'own:ftm-own-cycle-ba']);
    const before = await graphSnapshot(db);
    const again = await ftm(BAD);
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 8 });
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('resumes from its checkpoint after a crash and ends where one uninterrupted import ends', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'import-checkpoint-'));
    const checkpointPath = path.join(folder, 'checkpoint.json');
    try {
      await ftm(GROUP);
      const whole = await graphSnapshot(db, { recordTime: false });
      await policiesOnly(db);
      let batches = 0;
      const crash = ftm(GROUP, {
        batchSize: 1,
        checkpointPath,
        onProgress: () => {
          if (++batches === 2) throw new Error('simulated crash');
        },
      });
      await expect(crash).rejects.toThrow('simulated crash');
      const checkpoint = JSON.parse(await fs.readFile(checkpointPath, 'utf8')) as {
        pass: number;
        line: number;
      };
      // Batches of one line: lines 2 and 3 (the first parties) were committed before the crash.
      expect(checkpoint).toMatchObject({ pass: 1, line: 3 });
      const resumed = await ftm(GROUP, { batchSize: 1, checkpointPath });
      expect(resumed.resumedFrom).toEqual({ pass: 1, line: 3 });
      expect(resumed).toMatchObject({ lines: 8, rejected: 0 });
      expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
      await expect(fs.stat(checkpointPath)).rejects.toThrow();
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });

  it('writes nothing in a dry run and reports what it would do', async () => {
    const before = await graphSnapshot(db);
    const report = await ftm(GROUP, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, created: 7, rejected: 0, ambiguous: 0 });
    expect(await graphSnapshot(db)).toEqual(before);
  });
});
