/**
 * The browser bundles served at /explore and /graphiql, built with esbuild from npm packages only (nothing is
 * fetched from a CDN at run time). Built at install (`prepare`), by `npm run build:explorer`, and at start
 * when the bundle is missing or older than its sources (explorer/, the README's queries, the lock file).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';

export const EXPLORER_ROOT = path.join(PROJECT_ROOT, 'explorer');
export const BUNDLE_DIR = path.join(EXPLORER_ROOT, 'dist');
const STAMP = path.join(BUNDLE_DIR, '.built');
const README = path.join(PROJECT_ROOT, 'README.md');

/** A saved GraphiQL tab: one of the README's GraphQL blocks and the sentence that introduces it. */
export interface ReadmeExample {
  title: string;
  query: string;
}

/**
 * The README's ```graphql blocks, each titled by the last line of prose above it, so GraphiQL opens with
 * exactly the queries the README shows (test/readme.test.ts runs the same blocks against the seed).
 */
export function readmeExamples(readme: string = readFileSync(README, 'utf8')): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  const block = /```graphql\n([\s\S]*?)```/g;
  let last = 0;
  for (let m = block.exec(readme); m; m = block.exec(readme)) {
    const prose = readme
      .slice(last, m.index)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('```'));
    const title = (prose.at(-1) ?? `Example ${examples.length + 1}`)
      .replace(/[:.]$/, '')
      .replace(/[*_`]/g, '');
    examples.push({ title, query: m[1]!.trimEnd() });
    last = m.index + m[0].length;
  }
  return examples;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when there is no bundle, or a source (or the README, for the saved queries) changed after it. */
export function bundleIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  // An installed copy without the sources (a container image) serves the bundle it was given.
  if (!existsSync(path.join(EXPLORER_ROOT, 'src'))) return false;
  const built = statSync(STAMP).mtimeMs;
  const lock = path.join(PROJECT_ROOT, 'package-lock.json');
  return (
    newestSource(EXPLORER_ROOT) > built ||
    statSync(README).mtimeMs > built ||
    (existsSync(lock) && statSync(lock).mtimeMs > built)
  );
}

/** Bundles both pages into explorer/dist (minified, with source maps) and copies the HTML shells. */
export async function buildExplorer(): Promise<{ ms: number; bytes: number }> {
  const started = Date.now();
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const result = await build({
    entryPoints: {
      explore: path.join(EXPLORER_ROOT, 'src/explore/main.ts'),
      graphiql: path.join(EXPLORER_ROOT, 'src/graphiql/main.tsx'),
    },
    outdir: BUNDLE_DIR,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    define: {
      'process.env.NODE_ENV': '"production"',
      __README_EXAMPLES__: JSON.stringify(readmeExamples()),
    },
    // GraphiQL's CSS may name web fonts by URL; everything is inlined or dropped, never fetched elsewhere.
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
    metafile: true,
    logLevel: 'silent',
  });
  for (const page of ['explore.html', 'graphiql.html']) {
    writeFileSync(path.join(BUNDLE_DIR, page), readFileSync(path.join(EXPLORER_ROOT, 'public', page)));
  }
  writeFileSync(STAMP, new Date().toISOString());
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { ms: Date.now() - started, bytes };
}
