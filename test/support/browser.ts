import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config';

// Callbacks given to page.evaluate run in the browser; these stand for its globals there (this project is
// type-checked with Node's types only, and DOM types would change what `fetch` returns in Node code).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Debian's Chromium (`.ci/run` installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots the browser tests take (git-ignored); one of them is docs/explorer.png. */
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-output', 'screenshots');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** A new page that records uncaught errors and console errors, and cannot reach any other origin. */
  page(baseUrl: string): Promise<Page & { problems: string[] }>;
  close(): Promise<void>;
}

/** Chromium on a fresh profile folder (deleted on close), offline except for the server under test. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'exposure-graph-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async page(baseUrl) {
      const page = (await context.newPage()) as Page & { problems: string[] };
      page.problems = [];
      page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') page.problems.push(`console error: ${message.text()}`);
      });
      // Like a machine without internet: anything not from the server under test fails, and is recorded.
      await page.route(
        (url) =>
          !url.href.startsWith(baseUrl) &&
          !url.protocol.startsWith('data') &&
          !url.protocol.startsWith('blob'),
        async (route) => {
          page.problems.push(`request to another origin: ${route.request().url()}`);
          await route.abort('internetdisconnected');
        },
      );
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Non-white, non-transparent pixels drawn by the graph's canvases: 0 means a blank picture. */
export function inkedPixels(page: Page, graph: string): Promise<number> {
  return page.evaluate((name) => {
    let inked = 0;
    for (const canvas of document.querySelectorAll(`[data-graph="${name}"] canvas`)) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 0 && (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240)) inked++;
      }
    }
    return inked;
  }, graph);
}
