import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { createApp, type App, type AppConfig } from '../src/app';
import { generateKey } from '../src/auth/apiKeys';
import type { Database } from '../src/db/database';
import {
  coveredEntitiesOperation,
  knownAsOfType,
  policyVerdictOperation,
  screenOperation,
} from '../src/http/exportsOperations';
import { createLogger } from '../src/log';
import { readGraphVersion } from '../src/queries/graphVersion';
import { loadFolder } from '../src/seed/loadDataSet';
import { resetDatabase, testDatabase } from './support/database';
import { listen } from './support/http';
import { SEEDING_TIMEOUT_MS, TEST_CONFIG } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- answers and parsed files are walked as plain JSON */

/**
 * Exports for evidence, over real HTTP against the real Neo4j: each file is parsed back and compared with what
 * the GraphQL API answers to the same question, and carries what it was computed for. The graph is this
 * file's own: a designated parent, the subsidiaries it owns (one named like a spreadsheet formula), one it
 * holds too little of, and a grandchild reached in two steps.
 */
const POLICY = 'policy:export-rule';
const DAY = '2026-06-01';
const FORMULA_NAME = '=HYPERLINK("http://evil.example","click")';
const SUBSIDIARIES = Array.from({ length: 8 }, (_, i) => `org:export-sub-${String(i + 1).padStart(2, '0')}`);

function dataSet() {
  const org = (id: string, name: string) => ({ id, name, type: 'COMPANY', sources: ['src:export-registry'] });
  const stake = (owner: string, owned: string, exact: number) => ({
    id: `own:${owner.slice(4)}-${owned.slice(4)}`,
    owner,
    owned,
    share: { exact },
    startDate: '2020-01-01',
    sources: ['src:export-registry'],
  });
  return {
    sources: [
      {
        id: 'src:export-registry',
        url: 'https://example.org/export/registry',
        publisher: 'Example Registry',
        title: 'Synthetic filings for the export tests',
        date: '2026-01-15',
      },
    ],
    organizations: [
      { ...org('org:export-regulator', 'Export Test Regulator'), type: 'GOVERNMENT_BODY' },
      org('org:export-root', 'Export Root Holdings'),
      ...SUBSIDIARIES.map((id, i) => org(id, `Export Subsidiary ${i + 1} Ltd`)),
      org('org:export-formula', FORMULA_NAME),
      org('org:export-minor', 'Export Minority Stake Ltd'),
      org('org:export-grandchild', 'Export Grandchild GmbH'),
    ],
    ownerships: [
      ...SUBSIDIARIES.map((id) => stake('org:export-root', id, 60)),
      stake('org:export-root', 'org:export-formula', 100),
      stake('org:export-root', 'org:export-minor', 10),
      stake(SUBSIDIARIES[0]!, 'org:export-grandchild', 70),
    ],
    policies: [
      {
        id: POLICY,
        name: 'Export Test 50 Percent Rule',
        kind: 'OWNERSHIP_RULE',
        issuer: 'org:export-regulator',
        summary: 'Entities owned 50% or more, directly or indirectly, by designated parties.',
        effectiveFrom: '2014-08-13',
        ownershipRule: {
          threshold: 50,
          thresholdInclusive: true,
          countryBasis: 'EITHER',
          includesIndirect: true,
          aggregation: 'AGGREGATE',
          controlCounts: false,
        },
        sources: ['src:export-registry'],
      },
    ],
    designations: [
      {
        id: 'desig:export-root',
        policy: POLICY,
        entity: 'org:export-root',
        listName: 'Export Test List',
        startDate: '2015-01-01',
        sources: ['src:export-registry'],
      },
    ],
  };
}

const reader = generateKey('auditor', 'reader');
/** Small pages, so that the covered list is exported in several. */
const PAGE = 4;

let db: Database;
let app: App;
let baseUrl: string;
let closed: { app: App; baseUrl: string };
let folder: string;

async function start(config: Partial<AppConfig>) {
  const started = await createApp(db, { ...TEST_CONFIG, ...config }, createLogger('silent'));
  return { app: started, baseUrl: await listen(started) };
}

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  folder = mkdtempSync(path.join(tmpdir(), 'aeg-export-'));
  writeFileSync(path.join(folder, '00-export.json'), JSON.stringify(dataSet()));
  await loadFolder(db, folder);
  // A generous budget: the first sweep of a cold JVM on a machine shared with other test runs is slow.
  ({ app, baseUrl } = await start({ MAX_PAGE_SIZE: PAGE, REQUEST_TIMEOUT_MS: 120_000 }));
  closed = await start({
    READS_REQUIRE_ROLE: 'reader',
    REQUEST_TIMEOUT_MS: 120_000,
    API_KEYS: JSON.stringify({ keys: [reader.record] }),
  });
}, SEEDING_TIMEOUT_MS);
afterAll(async () => {
  await app?.stop(1000);
  await closed?.app.stop(1000);
  await db?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function execute(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await app.apollo.executeOperation({ query, variables }, { contextValue: app.context() });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  expect(response.body.singleResult.errors).toBeUndefined();
  return response.body.singleResult.data;
}

/** Every covered entity, page after page, as the API gives them. */
async function coveredThroughGraphQL(): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const data = await execute(coveredEntitiesOperation(false), {
      policy: POLICY,
      asOf: DAY,
      first: PAGE,
      after,
      unknownAs: null,
    });
    nodes.push(...data.coveredEntities.nodes);
    if (!data.coveredEntities.pageInfo.hasNextPage) return nodes;
    after = data.coveredEntities.pageInfo.endCursor;
  }
}

const csvRows = (text: string): Array<Record<string, string>> => parseCsv(text, { bom: true, columns: true });

/** The body as sent: `res.text()` would drop a byte-order mark. */
async function download(url: string, init: RequestInit = {}) {
  const res = await fetch(`${baseUrl}${url}`, init);
  return { res, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

describe('Exports: covered entities', () => {
  it('streams the CSV in pages: the rows the API gives, each with what it was computed for', async () => {
    const started = Date.now();
    const { res, text } = await download(`/export/covered-entities.csv?policy=${POLICY}&asOf=${DAY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="covered-entities_policy-export-rule_${DAY}.csv"`,
    );
    const version = await db.read(readGraphVersion);
    expect(res.headers.get('x-graph-version')).toBe(String(version));
    expect(text.charCodeAt(0)).toBe(0xfeff);

    const expected = await coveredThroughGraphQL();
    expect(expected.length).toBeGreaterThan(2 * PAGE);
    const rows = csvRows(text);
    expect(rows.map((r) => r.entityId)).toEqual(expected.map((n) => n.party.id));
    expect(rows).toEqual(
      expected.map((n) => ({
        entityId: n.party.id,
        entityName: n.party.name === FORMULA_NAME ? `'${FORMULA_NAME}` : n.party.name,
        entityType: 'Organization',
        verdict: n.verdict,
        shareLower: String(n.share.lower),
        shareUpper: String(n.share.upper),
        reason: n.reason,
        policyName: 'Export Test 50 Percent Rule',
        policyStatus: 'IN_FORCE',
        policy: POLICY,
        asOf: DAY,
        knownAsOf: '',
        unknownAs: 'NOT_COVERED',
        exportedAt: rows[0]!.exportedAt,
        graphVersion: String(version),
      })),
    );
    expect(rows.map((r) => r.entityId)).toEqual(
      expect.arrayContaining(['org:export-grandchild', 'org:export-formula', ...SUBSIDIARIES]),
    );
    expect(rows.map((r) => r.entityId)).not.toContain('org:export-minor');
    const exportedAt = Date.parse(rows[0]!.exportedAt!);
    expect(exportedAt).toBeGreaterThanOrEqual(started - 1000);
    expect(exportedAt).toBeLessThanOrEqual(Date.now());
  });

  it('writes a formula-like name as text, so a spreadsheet shows it rather than runs it', async () => {
    const { text } = await download(`/export/covered-entities.csv?policy=${POLICY}&asOf=${DAY}`);
    const row = csvRows(text).find((r) => r.entityId === 'org:export-formula')!;
    expect(row.entityName).toBe(`'${FORMULA_NAME}`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it('gives the same rows as JSON, with the export’s context first and the count last', async () => {
    const { res, text } = await download(`/export/covered-entities.json?policy=${POLICY}&asOf=${DAY}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    expect(body.export).toEqual({
      policy: POLICY,
      asOf: DAY,
      knownAsOf: null,
      unknownAs: 'NOT_COVERED',
      exportedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      graphVersion: await db.read(readGraphVersion),
      policyName: 'Export Test 50 Percent Rule',
      policyStatus: expect.objectContaining({ status: 'IN_FORCE', inForce: true }),
    });
    const expected = await coveredThroughGraphQL();
    expect(body.rows).toEqual(expected);
    expect(body.totalCount).toBe(expected.length);
  });

  it('passes unknownAs through, and says so', async () => {
    const { text } = await download(
      `/export/covered-entities.json?policy=${POLICY}&asOf=${DAY}&unknownAs=POSSIBLY_COVERED`,
    );
    expect(JSON.parse(text).export.unknownAs).toBe('POSSIBLY_COVERED');
  });
});

describe('Exports: screening a posted customer list', () => {
  const names = [
    'Export Subsidiary 3 Ltd',
    "=cmd|' /C calc'!A0",
    'Export Minority Stake Ltd',
    'Nobody Such Corp',
  ];

  it('takes a CSV of names and answers one row per customer and policy, as the API does', async () => {
    const body = `name\n${names.map((n) => (n.includes("'") ? `"${n}"` : n)).join('\n')}\n`;
    const { res, text } = await download(`/export/screen.csv?policies=${POLICY}&asOf=${DAY}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(res.status).toBe(200);
    const data = await execute(screenOperation(false), {
      customers: { names, ids: [] },
      policies: [POLICY],
      asOf: DAY,
      unknownAs: null,
    });
    const rows = csvRows(text);
    const expected = data.screen.results.flatMap((r: any) =>
      (r.verdicts.length ? r.verdicts : [null]).map((v: any) => ({
        input: r.input.startsWith('=') ? `'${r.input}` : r.input,
        status: r.status,
        matchId: r.match?.id ?? '',
        verdict: v?.verdict ?? '',
        shareLower: v ? String(v.share.lower) : '',
        reason: v?.reason ?? '',
        policy: v?.policy.id ?? '',
      })),
    );
    expect(
      rows.map(({ input, status, matchId, verdict, shareLower, reason, policy }) => ({
        input,
        status,
        matchId,
        verdict,
        shareLower,
        reason,
        policy,
      })),
    ).toEqual(expected);
    expect(rows.find((r) => r.matchId === 'org:export-sub-03')).toMatchObject({
      status: 'MATCHED',
      verdict: 'COVERED',
    });
    expect(rows[1]!.input).toBe(`'${names[1]}`);
    expect(new Set(rows.map((r) => r.asOf))).toEqual(new Set([DAY]));
  });

  it('takes a JSON body too, and ends with the API’s summary', async () => {
    const { res, text } = await download(`/export/screen.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ names, ids: ['org:export-grandchild'], policies: [POLICY], asOf: DAY }),
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    const data = await execute(screenOperation(false), {
      customers: { names, ids: ['org:export-grandchild'] },
      policies: [POLICY],
      asOf: DAY,
      unknownAs: null,
    });
    expect(body.rows).toEqual(data.screen.results);
    expect(body.summary).toEqual(data.screen.summary);
    expect(body.export).toMatchObject({ asOf: DAY, policies: [POLICY] });
  });
});

describe('Exports: one verdict with its explanation', () => {
  const variables = { entity: 'org:export-grandchild', policy: POLICY, asOf: DAY, unknownAs: null };

  it('gives the API’s verdict as JSON, with paths, shares, dates and sources', async () => {
    const { res, text } = await download(
      `/export/verdict.json?policy=${POLICY}&entity=org:export-grandchild&asOf=${DAY}`,
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    const data = await execute(policyVerdictOperation(false), variables);
    expect(body.verdict).toEqual(data.policyVerdict);
    expect(body.verdict.verdict).toBe('COVERED');
    expect(body.export).toMatchObject({
      policy: POLICY,
      asOf: DAY,
      graphVersion: await db.read(readGraphVersion),
    });
  });

  it('gives one CSV row per step of each path, with its sources', async () => {
    const { text } = await download(
      `/export/verdict.csv?policy=${POLICY}&entity=org:export-grandchild&asOf=${DAY}`,
    );
    const data = await execute(policyVerdictOperation(false), variables);
    const steps = data.policyVerdict.explanation.paths.flatMap((p: any, i: number) =>
      p.steps.map((s: any, j: number) => ({
        path: String(i + 1),
        step: String(j + 1),
        fromId: s.from.id,
        toId: s.to.id,
        share: s.share?.display ?? '',
        sourceIds: s.sources.map((x: any) => x.id).join(' | '),
      })),
    );
    expect(steps.length).toBeGreaterThan(0);
    const rows = csvRows(text);
    expect(
      rows.map(({ path: p, step, fromId, toId, share, sourceIds }) => ({
        path: p,
        step,
        fromId,
        toId,
        share,
        sourceIds,
      })),
    ).toEqual(steps);
    expect(rows[0]).toMatchObject({
      verdict: 'COVERED',
      entityId: 'org:export-grandchild',
      sentence: data.policyVerdict.explanation.sentence,
    });
  });
});

describe('Exports: bad requests and access', () => {
  const problem = async (url: string, init: RequestInit = {}) => {
    const { res, text } = await download(url, init);
    const error = JSON.parse(text).errors[0];
    return {
      status: res.status,
      message: error.message as string,
      extensions: error.extensions,
      allow: res.headers.get('allow'),
    };
  };

  it.each([
    ['no policy', '/export/covered-entities.csv', 400, 'policy', /Parameter "policy" /],
    [
      'a wrong day',
      `/export/covered-entities.csv?policy=${POLICY}&asOf=2026-13-01`,
      400,
      'asOf',
      /Parameter "asOf" must be a calendar day written YYYY-MM-DD, got "2026-13-01"/,
    ],
    [
      'an unknown parameter',
      `/export/covered-entities.csv?policy=${POLICY}&asof=${DAY}`,
      400,
      'asof',
      /Unknown parameter "asof"; this export takes policy, asOf/,
    ],
    [
      'a parameter given twice',
      `/export/verdict.csv?policy=a&policy=b&entity=x`,
      400,
      'policy',
      /is given 2 times/,
    ],
    [
      'a wrong unknownAs',
      `/export/verdict.json?policy=${POLICY}&entity=org:export-root&unknownAs=MAYBE`,
      400,
      'unknownAs',
      /must be NOT_COVERED or POSSIBLY_COVERED/,
    ],
  ])('answers %s 400, naming the parameter', async (_, url, status, parameter, message) => {
    const answer = await problem(url);
    expect(answer).toMatchObject({ status, extensions: { code: 'BAD_USER_INPUT', parameter } });
    expect(answer.message).toMatch(message);
  });

  it('answers an unknown policy or entity 404, with the API’s message', async () => {
    const answer = await problem('/export/covered-entities.csv?policy=policy:nope');
    expect(answer).toMatchObject({ status: 404, extensions: { code: 'NOT_FOUND', argument: 'policy' } });
    expect((await problem(`/export/verdict.json?policy=${POLICY}&entity=org:nope`)).status).toBe(404);
  });

  it('answers a wrong method 405, an unknown export 404, a screen without customers 400 and of XML 415', async () => {
    expect(await problem(`/export/covered-entities.csv?policy=${POLICY}`, { method: 'POST' })).toMatchObject({
      status: 405,
      allow: 'GET',
    });
    expect((await problem('/export/everything.csv')).status).toBe(404);
    const empty = await problem(`/export/screen.csv?policies=${POLICY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ names: [] }),
    });
    expect(empty).toMatchObject({ status: 400, extensions: { parameter: 'names' } });
    const xml = await problem(`/export/screen.csv?policies=${POLICY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<names/>',
    });
    expect(xml).toMatchObject({ status: 415, extensions: { parameter: 'body' } });
  });

  it('passes knownAsOf (an instant) to the API and says in the file what it was computed for', async () => {
    const verdictAt = (instant: string) =>
      `/export/verdict.json?policy=${POLICY}&entity=org:export-grandchild&asOf=${DAY}&knownAsOf=${instant}`;
    expect(knownAsOfType('policyVerdict')).toBe('DateTime');
    // Now: the fixtures are known, and the file says for which instant it was computed.
    const now = new Date().toISOString();
    const { res, text } = await download(verdictAt(now));
    expect(res.status).toBe(200);
    expect(JSON.parse(text).export.knownAsOf).toBe(now);
    // Before they were loaded, the database knew no such entity.
    expect(await problem(verdictAt('2020-01-01T00:00:00.000Z'))).toMatchObject({ status: 404 });
  });

  it('needs what reads need: with READS_REQUIRE_ROLE=reader, 401 without a key and the file with one', async () => {
    const url = `${closed.baseUrl}/export/covered-entities.csv?policy=${POLICY}&asOf=${DAY}`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="ai-exposure-graph"');
    expect(((await anonymous.json()) as any).errors[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      requiredRole: 'reader',
    });
    const withKey = await fetch(url, { headers: { authorization: `Bearer ${reader.key}` } });
    expect(withKey.status).toBe(200);
    expect(csvRows(await withKey.text()).length).toBe((await coveredThroughGraphQL()).length);
  });
});
