import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { createApp, type App } from '../src/app';
import { generateKey } from '../src/auth/apiKeys';
import { importCsv } from '../src/import/csvImport';
import { createLogger } from '../src/log';
import { FIXTURES } from './support/database';
import { listen } from './support/http';
import { policiesOnly, useImportHarness } from './support/imports';
import { TEST_CONFIG } from './support/seededApp';

/* eslint-disable @typescript-eslint/no-explicit-any -- answers are walked as plain JSON */

/**
 * Issue 13, item 7: a customer list uploaded as CSV (`POST /screen`), screened by LEI, identifier, id or
 * name, answered as CSV or JSON; who may upload is a setting, and the size and the number of customers have
 * limits answered 413; a bad cell is 400 naming its line and column.
 */

const reader = generateKey('analyst', 'reader');
const editor = generateKey('editor', 'editor');
const POLICIES = 'policy:ofac-sdn-list,policy:ofac-50-percent-rule';
const ROBOTICS = 'org:csv-LEI-549300ACMEWIDGETS019';

const harness = useImportHarness(async (db) => {
  await policiesOnly(db);
  await importCsv(db, {
    path: path.join(FIXTURES, 'csv', 'sanctioned'),
    source: {
      dataset: 'kazan',
      version: '2026-11-30',
      url: 'https://example.org/kazan',
      publisher: 'Example',
    },
  });
});
const apps: App[] = [];
let open: string;
let editorsOnly: string;
beforeAll(async () => {
  const keys = JSON.stringify({ keys: [reader.record, editor.record] });
  const start = async (config: Record<string, unknown>) => {
    const app = await createApp(
      harness.db,
      { ...TEST_CONFIG, API_KEYS: keys, ...config },
      createLogger('silent'),
    );
    apps.push(app);
    return listen(app);
  };
  open = await start({});
  editorsOnly = await start({
    SCREEN_UPLOAD_ROLE: 'editor',
    SCREEN_UPLOAD_MAX_ROWS: 3,
    SCREEN_UPLOAD_MAX_BYTES: 2048,
  });
});
afterAll(() => Promise.all(apps.map((app) => app.stop(1000))));

function upload(
  base: string,
  body: string,
  {
    key = reader.key,
    accept,
    query = `policies=${POLICIES}`,
    type = 'text/csv',
  }: Record<string, string | undefined> = {},
) {
  return fetch(`${base}/screen?${query}`, {
    method: 'POST',
    headers: {
      'content-type': type ?? 'text/csv',
      ...(accept ? { accept } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body,
  });
}

const LIST = [
  'ref,name,country,lei',
  'c1,Kazan Robotics,RU,549300ACMEWIDGETS019',
  'c2,Kazan Holding JSC,US,',
  'c3,Unheard Of Trading Co,,',
  // An LEI the graph does not hold: the name is tried.
  'c4,Kazan Robotics LLC,,213800ACMEHOLDINGS77',
].join('\n');

describe('POST /screen with a CSV customer list', () => {
  it('answers CSV, one row per customer and policy, each customer by its strongest key', async () => {
    const res = await upload(open, LIST, { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv<Record<string, string>>(await res.text(), { columns: true, bom: true });
    const of = (ref: string, policy: string) => rows.find((r) => r.ref === ref && r.policy === policy);
    expect(of('c1', 'policy:ofac-50-percent-rule')).toMatchObject({
      line: '2',
      matchedBy: 'identifier LEI:549300ACMEWIDGETS019',
      status: 'MATCHED',
      matchId: ROBOTICS,
      countryCheck: 'SAME',
      verdict: 'COVERED',
      policies: POLICIES,
    });
    expect(of('c2', 'policy:ofac-sdn-list')).toMatchObject({
      matchedBy: 'name',
      matchId: 'org:kazan-holding',
      // Given as a US customer; the record says Russia.
      countryCheck: 'DIFFERENT',
      verdict: 'COVERED',
    });
    expect(rows.filter((r) => r.ref === 'c3')).toEqual([
      expect.objectContaining({ status: 'NOT_FOUND', matchedBy: '', policy: '', verdict: '' }),
    ]);
    expect(of('c4', 'policy:ofac-50-percent-rule')).toMatchObject({ matchedBy: 'name', matchId: ROBOTICS });
  });

  it('answers JSON by default, with the verdicts per customer and a summary', async () => {
    const res = await upload(open, LIST);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as any;
    expect(body.export).toMatchObject({ policies: POLICIES.split(','), unknownAs: 'NOT_COVERED' });
    expect(body.rows.map((r: any) => [r.ref, r.status])).toEqual([
      ['c1', 'MATCHED'],
      ['c2', 'MATCHED'],
      ['c3', 'NOT_FOUND'],
      ['c4', 'MATCHED'],
    ]);
    expect(body.rows[0].verdicts.map((v: any) => v.policy)).toEqual(POLICIES.split(','));
    expect(body.summary).toEqual({ total: 4, matched: 3, ambiguous: 0, notFound: 1, invalid: 0 });
  });

  it('names the line and column of a bad cell, and screens nothing', async () => {
    const res = await upload(
      open,
      'name,lei,country\nGood Co,,\nBad Co,549300ACMEWIDGETS018,\nWorse Co,,Atlantis\n',
    );
    expect(res.status).toBe(400);
    const { errors } = (await res.json()) as any;
    expect(errors[0].message).toBe(
      'The customer list was not screened. Line 3, column "lei": "549300ACMEWIDGETS018" fails the ISO 17442 ' +
        'check digits (mod 97). Line 4, column "country": "Atlantis" is not an ISO 3166-1 alpha-2 country code.',
    );
    expect(errors[0].extensions.problems).toEqual([
      expect.objectContaining({ line: 3, column: 'lei' }),
      expect.objectContaining({ line: 4, column: 'country' }),
    ]);
  });

  it('refuses an unknown column, a list without policies, an unknown policy and a body that is not CSV', async () => {
    const unknown = await upload(open, 'name,vat\nA,1\n');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).errors[0].message).toMatch(
      /Line 1, column "vat": has unknown column/,
    );
    const noPolicies = await upload(open, 'name\nA\n', { query: '' });
    expect(noPolicies.status).toBe(400);
    expect(((await noPolicies.json()) as any).errors[0].extensions.parameter).toBe('policies');
    const noSuchPolicy = await upload(open, 'name\nA\n', { query: 'policies=policy:nope' });
    expect(noSuchPolicy.status).toBe(404);
    const json = await upload(open, '{"names": ["A"]}', { type: 'application/json' });
    expect(json.status).toBe(415);
  });

  it('is for the role SCREEN_UPLOAD_ROLE names: anonymous 401, a reader 403 where editors are required', async () => {
    const anonymous = await upload(open, LIST, { key: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const readerThere = await upload(editorsOnly, 'name\nA\n');
    expect(readerThere.status).toBe(403);
    expect(((await readerThere.json()) as any).errors[0].message).toMatch(/needs the editor role/);
    const editorThere = await upload(editorsOnly, 'name\nKazan Holding JSC\n', { key: editor.key });
    expect(editorThere.status).toBe(200);
  });

  it('answers 413 past SCREEN_UPLOAD_MAX_ROWS customers (naming the first one too many) or MAX_BYTES', async () => {
    const tooMany = await upload(editorsOnly, 'name\nA\nB\nC\nD\n', { key: editor.key });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as any).errors[0].message).toMatch(
      /Line 5: is customer 4: at most 3 are screened in one upload \(SCREEN_UPLOAD_MAX_ROWS\)/,
    );
    const tooLarge = await upload(editorsOnly, `name\n${'A very long name\n'.repeat(200)}`, {
      key: editor.key,
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as any).errors[0].message).toMatch(
      /larger than 2048 bytes \(SCREEN_UPLOAD_MAX_BYTES\)/,
    );
  });
});
