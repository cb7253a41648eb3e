import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createApp, type App } from '../src/app';
import { generateKey } from '../src/auth/apiKeys';
import { createLogger } from '../src/log';
import { launchBrowser, inkedPixels, SCREENSHOTS, type Browser } from './support/browser';
import { listen } from './support/http';
import { TEST_CONFIG, useSeededApp } from './support/seededApp';

// Callbacks given to page.evaluate run in the browser; these stand for its globals there (this project is
// type-checked with Node's types only, and DOM types would change what `fetch` returns in Node code).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any, document: any, requestAnimationFrame: any, getComputedStyle: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * The explorer, GraphiQL and the landing page in a real browser (Debian's Chromium, offline except for the
 * server under test), on the curated seed. Each test opens a view by its URL, waits until it is drawn, and
 * checks what a person would see; a page error, a request to another origin, an error panel or a blank
 * picture fails it. Screenshots go to test-output/screenshots/.
 */
// Loading the seed and starting Chromium on a busy 2-core machine can take minutes; the bound is generous.
jest.setTimeout(300_000);
const seeded = useSeededApp();
let browser: Browser;
let baseUrl: string;
const ANTHROPIC = 'policy:anthropic-unsupported-regions-2025';

beforeAll(async () => {
  baseUrl = await listen(seeded.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(url: string): Promise<Page & { problems: string[] }> {
  const page = await browser.page(baseUrl);
  await page.goto(`${baseUrl}${url}`);
  await page.waitForSelector('main[data-state="ready"], main[data-state="error"]', { timeout: 60000 });
  expect(await page.getAttribute('main', 'data-state')).toBe('ready');
  return page;
}

async function drawn(page: Page, graph: string): Promise<void> {
  await page.waitForSelector(`[data-graph="${graph}"][data-ready="true"]`, { timeout: 30000 });
  // One more frame so that the layout's positions are painted, not only computed.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await inkedPixels(page, graph)).toBeGreaterThan(1000);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** What the graph library holds for an element: its classes and the style it is drawn with. */
function element(page: Page, graph: string, id: string) {
  return page.evaluate(
    ([g, i]) => {
      const cy = window.__graphs?.[g!];
      const el = cy?.getElementById(i!);
      if (!el || el.empty()) return null;
      return {
        classes: el.classes() as string[],
        lineStyle: el.isEdge() ? (el.style('line-style') as string) : null,
        width: el.isEdge() ? parseFloat(el.style('width') as string) : null,
        label: el.data('label') as string,
      };
    },
    [graph, id],
  );
}

describe('Explorer: the views a person opens by URL', () => {
  it("draws ByteDance's ownership with owners, holdings, countries and shares", async () => {
    const page = await open('/explore?entity=org:bytedance');
    await drawn(page, 'ownership');
    expect(await page.textContent('h1')).toBe('ByteDance Ltd.');
    expect(await page.textContent('.title .sub')).toContain('headquartered in CN');
    expect(await page.textContent('.title .sub')).toContain('incorporated in KY');
    const focus = await element(page, 'ownership', 'org:bytedance');
    expect(focus?.classes).toContain('focus');
    expect(focus?.label).toContain('CN');
    const list = await page.locator('.edge-list li').allTextContents();
    expect(list.some((t) => /^ByteDance Ltd\. owns .* of TikTok Pte\. Ltd\./.test(t))).toBe(true);
    // The stake whose size nobody published is drawn as unknown, not as a number.
    const unknown = await page.evaluate(() =>
      window
        .__graphs!.ownership!.edges('[source = "org:bytedance"][target = "org:tiktok-pte-ltd"]')
        .map(
          (e: {
            source(): { id(): string };
            target(): { id(): string };
            classes(): string[];
            data(k: string): string;
          }) => ({
            classes: e.classes(),
            label: e.data('label'),
          }),
        ),
    );
    expect(unknown[0]?.classes).toContain('unknown');
    expect(unknown[0]?.label).toContain('unknown size');
    await shot(page, 'entity-bytedance');
    expect(page.problems).toEqual([]);
  });

  it('keeps the as-of date in the URL and answers for that day', async () => {
    const page = await open('/explore?entity=org:bytedance&asOf=2020-01-01');
    await drawn(page, 'ownership');
    expect(await page.inputValue('#as-of')).toBe('2020-01-01');
    expect(await page.textContent('.title .sub')).toContain('as of 2020-01-01');
    expect(page.problems).toEqual([]);
  });

  it('highlights the ByteDance -> TikTok Pte. Ltd. path in the verdict view, with the sentence and bounds', async () => {
    const page = await open(`/explore?entity=org:tiktok-pte-ltd&policy=${ANTHROPIC}`);
    await drawn(page, 'verdict');
    expect(await page.textContent('.verdict-line .badge')).toContain('POSSIBLY COVERED');
    expect(await page.textContent('.sentence')).toContain('ByteDance Ltd.');
    const onPath = await page.evaluate(() =>
      window
        .__graphs!.verdict!.edges('.on-path')
        .map(
          (e: {
            source(): { id(): string };
            target(): { id(): string };
            classes(): string[];
            data(k: string): string;
          }) => `${e.source().id()}->${e.target().id()}`,
        ),
    );
    expect(onPath).toContain('org:bytedance->org:tiktok-pte-ltd');
    const offPath = await page.evaluate(() => window.__graphs!.verdict!.edges(':not(.on-path)').length);
    const highlighted = await page.evaluate(() => {
      const e = window.__graphs!.verdict!.edges('.on-path').first();
      return { width: parseFloat(e.style('width') as string), label: e.data('label') as string };
    });
    expect(highlighted.width).toBeGreaterThanOrEqual(5);
    expect(highlighted.label).toMatch(/^▶/);
    expect(offPath).toBeGreaterThan(0);
    expect(await page.locator('[data-step="org:bytedance->org:tiktok-pte-ltd"]').textContent()).toContain(
      'ByteDance Ltd. → TikTok Pte. Ltd.',
    );
    expect(await page.locator('.bounds tbody tr').count()).toBe(2);
    await shot(page, 'verdict-tiktok-pte');
    // The README's picture (docs/explorer.png is a copy): the verdict and its graph, as a visitor first sees them.
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'explorer-readme.png') });
    expect(page.problems).toEqual([]);
  });

  it('draws the alleged R1 distillation dashed and labelled, and links its allegation', async () => {
    const page = await open('/explore?model=model:deepseek-r1');
    await drawn(page, 'lineage');
    const alleged = await element(page, 'lineage', 'deriv:deepseek-r1-alleged-from-openai');
    expect(alleged).toMatchObject({ lineStyle: 'dashed', label: 'alleged distillation' });
    expect(alleged?.classes).toContain('alleged');
    const declared = await element(page, 'lineage', 'deriv:deepseek-r1-from-deepseek-v3');
    expect(declared).toMatchObject({ lineStyle: 'solid', label: 'fine tune' });
    const allegation = page.locator('[data-derivation="deriv:deepseek-r1-alleged-from-openai"]');
    expect(await allegation.textContent()).toContain('DeepSeek distilled OpenAI models');
    expect(await allegation.locator('.sources a').count()).toBeGreaterThan(0);
    await shot(page, 'lineage-deepseek-r1');
    expect(page.problems).toEqual([]);
  });

  it("shows the access matrix of Claude Sonnet 4.5 for ByteDance: blocked on Anthropic's own API", async () => {
    const page = await open(`/explore?model=model:claude-sonnet-4.5&customer=org:bytedance`);
    await drawn(page, 'lineage');
    await page.waitForSelector('.matrix');
    const cell = page.locator(`tr[data-channel="channel:anthropic-api"] td[data-policy="${ANTHROPIC}"]`);
    expect(await cell.textContent()).toContain('BLOCKED');
    expect(await page.locator('.access h2').textContent()).toContain('ByteDance Ltd.');
    await shot(page, 'access-claude-bytedance');
    expect(page.problems).toEqual([]);
  });

  it('screens a pasted customer list and offers the verdicts as CSV', async () => {
    const page = await open(`/explore?view=screen&policy=${ANTHROPIC}`);
    await page.fill('#customers', 'ByteDance\nAnthropic\nNo Such Company Anywhere');
    await page.click('.screen-form button[type="submit"]');
    await page.waitForSelector('.screen-results');
    const rows = await page.locator('.screen-results tbody tr').allTextContents();
    expect(rows.find((r) => r.startsWith('ByteDance'))).toContain('COVERED');
    expect(rows.find((r) => r.startsWith('Anthropic'))).toContain('NOT COVERED');
    expect(rows.find((r) => r.startsWith('No Such Company'))).toContain('NOT FOUND');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toBe('input,status,matched,id,policy,verdict,lower,upper,reason');
    expect(csv).toMatch(/^ByteDance,MATCHED,.*,org:bytedance,.*,COVERED,/m);
    await shot(page, 'screening');
    expect(page.problems).toEqual([]);
  });

  it('finds ByteDance while the name is being typed and opens its view from the keyboard', async () => {
    const page = await open('/explore');
    await page.focus('#search');
    await page.keyboard.type('bytedan');
    await page.waitForSelector('#search-results:not([hidden]) a');
    expect(await page.locator('#search-results a').first().textContent()).toContain('ByteDance');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/entity=org%3Abytedance|entity=org:bytedance/);
    await page.waitForSelector('main[data-state="ready"] [data-graph="ownership"]');
    expect(page.problems).toEqual([]);
  });

  it('shows an error panel, not a blank page, for an unknown id', async () => {
    const page = await browser.page(baseUrl);
    await page.goto(`${baseUrl}/explore?model=model:does-not-exist`);
    await page.waitForSelector('main[data-state="ready"], main[data-state="error"]');
    expect(await page.textContent('main')).toMatch(/not found|No model/i);
  });
});

describe('GraphiQL and the landing page, offline', () => {
  it("serves GraphiQL from this server with the README's queries as tabs, and runs them", async () => {
    const page = await browser.page(baseUrl);
    await page.goto(`${baseUrl}/graphiql`);
    await page.waitForSelector('.graphiql-tab', { timeout: 60000 });
    const tabs = await page.locator('.graphiql-tab').allTextContents();
    expect(tabs.length).toBeGreaterThanOrEqual(6);
    expect(tabs.join(' ')).toContain('WhoOwnsByteDance');
    // The headers editor is open for an API key.
    expect(
      await page
        .locator('.graphiql-editor-tool [aria-label="Headers"], .graphiql-editor-tools button', {
          hasText: 'Headers',
        })
        .count(),
    ).toBeGreaterThan(0);
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      () => document.querySelector('.result-window')?.textContent?.includes('ByteDance Ltd.'),
      null,
      {
        timeout: 30000,
      },
    );
    await shot(page, 'graphiql');
    expect(page.problems).toEqual([]);
  });

  it('names the local GraphiQL and explorer when Sandbox cannot load, and asks Google for no fonts', async () => {
    const page = await browser.page(baseUrl);
    await page.goto(`${baseUrl}/`);
    const links = page.locator('.fallback a');
    await page.waitForSelector('.fallback a[href="/graphiql"]');
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      '/graphiql',
      '/explore',
    ]);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.fallback')).opacity === '1');
    expect(await page.isVisible('#local-links a[href="/explore"]')).toBe(true);
    await shot(page, 'landing-offline');
    // The only thing asked of another origin is Sandbox itself; no fonts, no telemetry endpoint.
    const elsewhere = page.problems.filter((p) => p.startsWith('request to another origin'));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const p of elsewhere) expect(p).toContain('embeddable-sandbox.cdn.apollographql.com');
  });
});

describe('Explorer on a server whose reads need a key', () => {
  const reader = generateKey('analyst', 'reader');
  let closed: App;
  let closedUrl: string;
  beforeAll(async () => {
    closed = await createApp(
      seeded.db,
      { ...TEST_CONFIG, READS_REQUIRE_ROLE: 'reader', API_KEYS: JSON.stringify({ keys: [reader.record] }) },
      createLogger('silent'),
    );
    closedUrl = await listen(closed);
  });
  afterAll(async () => {
    await closed?.stop(1000);
  });

  it('asks for a key when refused, draws the view once one is given, and GraphiQL starts with it', async () => {
    const page = await browser.page(closedUrl);
    await page.goto(`${closedUrl}/explore?entity=org:bytedance`);
    await page.waitForSelector('main[data-state="error"]', { timeout: 60000 });
    expect(await page.textContent('main')).toMatch(/API key/);
    // The key control opened by itself, with the field focused.
    expect(await page.getAttribute('#api-key', 'open')).not.toBeNull();
    await page.fill('#api-key-input', reader.key);
    await page.click('#api-key-form button[type="submit"]');
    await page.waitForSelector('main[data-state="ready"] h1, main[data-state="error"] h1', {
      timeout: 60000,
    });
    expect(await page.textContent('main h1')).toBe('ByteDance Ltd.');
    expect(await page.textContent('#api-key-state')).toMatch(/key is set/);
    // The key is in this tab's session storage, not in the URL.
    expect(page.url()).not.toContain(reader.key);

    await page.goto(`${closedUrl}/graphiql`);
    await page.waitForSelector('.graphiql-tab', { timeout: 60000 });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      () => document.querySelector('.result-window')?.textContent?.includes('ByteDance Ltd.'),
      null,
      { timeout: 30000 },
    );

    // Forgetting the key returns the explorer to the anonymous client, which is refused again.
    await page.goto(`${closedUrl}/explore?entity=org:bytedance`);
    await page.waitForSelector('main[data-state="ready"]', { timeout: 60000 });
    await page.click('#api-key summary');
    await page.click('#api-key-forget');
    await page.waitForSelector('main[data-state="error"]', { timeout: 60000 });
    // Nothing else went wrong on the way: the only console errors are the refused requests themselves.
    expect(page.problems.filter((p) => !/401|Unauthorized/i.test(p))).toEqual([]);
  });
});
