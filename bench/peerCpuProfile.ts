/**
 * Not public API: where a server's CPU went while bench:peer loaded it (`--profile`), read from the V8 CPU
 * profile its process wrote (node --cpu-prof). Only samples inside the given windows count (the timed runs of one
 * question on that server): V8 stamps samples with the same monotonic clock as `process.hrtime`, so the bench's
 * own clock marks the windows, and start-up, the answer checks and the other questions' runs are left out.
 *
 * Two views, each in microseconds of CPU per answered request:
 * - `categories`: self time by who owns the code (Apollo, graphql-js, the driver, node's HTTP, our modules by
 *   folder, GC); a native frame (no script URL) is charged to the nearest caller that has one, except
 *   JSON.stringify and JSON.parse, which are their own rows (the answer's serialisation, the body's parse).
 * - `stages`: inclusive time of named functions, one row per stage of a request (the body's parse, Apollo's
 *   pipeline, our limits, execution, the driver's session and run). Inclusive over the synchronous stack only:
 *   work resumed after an `await` starts a new stack, so a stage's row holds what ran before its first await
 *   plus what ran in frames still named by it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock, in microseconds (process.hrtime.bigint() / 1000). */
export interface Window {
  fromUs: number;
  toUs: number;
}

export interface ProfileSummary {
  requests: number;
  /** CPU microseconds per request inside the windows, idle excluded. */
  busyUsPerRequest: number;
  categories: Array<{ name: string; usPerRequest: number; share: number }>;
  stages: Array<{ name: string; usPerRequest: number; share: number }>;
  /** The functions with the most self time, as `function (file:line)`. */
  top: Array<{ frame: string; usPerRequest: number; share: number }>;
}

/** A package's folder under node_modules, scoped or not. */
function packageOf(url: string): string | null {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return m ? m[1]! : null;
}

const PACKAGE_GROUPS: Array<[RegExp, string]> = [
  [/^neo4j-driver/, 'neo4j driver'],
  [/^@apollo\/|^negotiator$|^lru-cache$/, 'Apollo Server'],
  [/^graphql$/, 'graphql-js'],
  [/^@escape\.tech\/|^graphql-query-complexity$/, 'query limits (graphql-armor, complexity)'],
  [/^dataloader$/, 'dataloader'],
  [/^pino|^sonic-boom$|^thread-stream$/, 'logging (pino)'],
  [/^cors$|^vary$|^object-assign$/, 'cors'],
  [/^tsx$|^esbuild$|^get-tsconfig$/, 'tsx (loader)'],
];

/** Who owns the code at `url` (a frame with a script URL). */
function categoryOfUrl(url: string): string {
  const pkg = packageOf(url);
  if (pkg) return PACKAGE_GROUPS.find(([re]) => re.test(pkg))?.[1] ?? `package ${pkg}`;
  if (url.startsWith('node:')) {
    if (/^node:(_http|internal\/http|http)/.test(url)) return 'node http';
    if (/^node:(net|stream|internal\/streams|internal\/stream_base|_stream)/.test(url))
      return 'node net/streams';
    if (/^node:(internal\/)?(crypto|buffer|internal\/buffer)/.test(url)) return 'node crypto/buffer';
    if (/^node:(timers|internal\/timers|internal\/process\/task_queues|internal\/async_hooks)/.test(url))
      return 'node timers/microtasks';
    if (/^node:(internal\/abort_controller|events|internal\/event_target)/.test(url))
      return 'node events/AbortSignal';
    return 'node (other)';
  }
  const ours = /\/(src|bench)\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (ours) {
    if (ours[1] === 'bench') return 'bench';
    const folder = ours[2]!.endsWith('.ts') ? ours[2]!.replace(/\.ts$/, '') : ours[2]!;
    return `ours: src/${folder}`;
  }
  return url ? 'other' : 'native';
}

/**
 * Stages of a request, by function name (and, where a name is common, by the file it is in). A sample goes to
 * a `wins` stage anywhere on its stack (our limits call graphql-js's validate, which must not count as
 * Apollo's), else to the innermost stage on it, so a nested stage is not counted twice.
 */
const STAGES: Array<{ name: string; match: (fn: string, url: string) => boolean; wins?: boolean }> = [
  { name: 'JSON.stringify (answer)', match: (fn, url) => fn === 'stringify' && url === '' },
  { name: 'JSON.parse (body)', match: (fn, url) => fn === 'parse' && url === '' },
  { name: 'limits: cost (getComplexity)', match: (fn) => fn === 'getComplexity', wins: true },
  {
    name: 'limits: depth, aliases, directives (checkQueryDocument)',
    match: (fn) => fn === 'checkQueryDocument',
    wins: true,
  },
  {
    name: 'graphql validate',
    match: (fn, url) => fn === 'validate' && url.includes('node_modules/graphql/'),
  },
  { name: 'graphql parse', match: (fn, url) => fn === 'parse' && url.includes('node_modules/graphql/') },
  { name: 'query hash (sha256)', match: (fn) => fn === 'computeQueryHash' },
  {
    name: 'read-ahead: plan',
    match: (fn) => fn === 'planLookahead' || fn === 'planPageLookahead',
    wins: true,
  },
  { name: 'read-ahead: selected properties', match: (fn) => fn === 'selectedProperties', wins: true },
  { name: 'read-ahead: prime loaders', match: (fn) => fn === 'primeLoaders', wins: true },
  {
    name: 'Cypher text (recordTree/search)',
    match: (fn) => /^(fetchRecordTree|searchNames)$/.test(fn),
    wins: true,
  },
  {
    name: 'driver: decode records',
    match: (fn, url) => url.includes('neo4j-driver') && /unpack|_onRecord|onNext|toObject/.test(fn),
    wins: true,
  },
  {
    name: 'driver: session()',
    match: (fn, url) => fn === 'session' && url.includes('neo4j-driver'),
    wins: true,
  },
  { name: 'driver: run()', match: (fn, url) => fn === 'run' && url.includes('neo4j-driver'), wins: true },
  { name: 'our db layer (session slots, budget)', match: (_fn, url) => url.includes('/src/db/') },
  { name: 'graphql execute', match: (_fn, url) => url.includes('node_modules/graphql/execution/') },
  { name: 'our resolvers and loaders', match: (_fn, url) => /\/src\/(graphql|records)\//.test(url) },
  { name: 'dataloader', match: (_fn, url) => url.includes('node_modules/dataloader/') },
  { name: 'driver (other)', match: (_fn, url) => url.includes('node_modules/neo4j-driver') },
  { name: 'our context', match: (fn) => fn === 'createContext', wins: true },
  { name: 'Apollo (other)', match: (_fn, url) => url.includes('node_modules/@apollo/') },
  { name: 'our HTTP handling', match: (_fn, url) => url.includes('/src/http/') },
  { name: 'node http', match: (_fn, url) => /^node:(_http|internal\/http)/.test(url) },
];

export function summarizeProfile(file: string, windows: Window[], requests: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inWindow = (t: number) => windows.some((w) => t >= w.fromUs && t < w.toUs);

  const self = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i]!;
    // A sample's delta is the time since the previous one: charged to this sample's frame.
    if (inWindow(t)) self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]!);
  });

  const categories = new Map<string, number>();
  const stages = new Map<string, number>();
  const top = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName: fn, url, lineNumber } = node.callFrame;
    if (fn === '(idle)') continue;
    busy += us;
    let category: string;
    if (fn === '(garbage collector)') category = 'GC';
    else if (fn === '(program)') category = 'V8 (program)';
    else if (url === '' && fn === 'stringify') category = 'JSON.stringify';
    else if (url === '' && fn === 'parse') category = 'JSON.parse';
    else if (url !== '') category = categoryOfUrl(url);
    else {
      // A native frame: the caller that has a script says whose work it is.
      let up = parent.get(id);
      while (up !== undefined && byId.get(up)!.callFrame.url === '') up = parent.get(up);
      category = up === undefined ? 'native' : categoryOfUrl(byId.get(up)!.callFrame.url);
    }
    categories.set(category, (categories.get(category) ?? 0) + us);
    const frame = `${fn || '(anonymous)'} (${url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')}:${lineNumber + 1})`;
    top.set(frame, (top.get(frame) ?? 0) + us);
    let stage: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const cf = byId.get(at)!.callFrame;
      const found = STAGES.find((s) => s.match(cf.functionName, cf.url));
      if (found?.wins) {
        stage = found.name;
        break;
      }
      stage ??= found?.name;
    }
    if (fn === '(garbage collector)') stage = 'GC';
    stage ??= 'other';
    stages.set(stage, (stages.get(stage) ?? 0) + us);
  }
  const per = (us: number) => Math.round(us / Math.max(1, requests));
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, usPerRequest: per(us), share: Math.round((1000 * us) / busy) / 10 }));
  return {
    requests,
    busyUsPerRequest: per(busy),
    categories: rows(categories),
    stages: rows(stages),
    top: rows(top)
      .slice(0, 40)
      .map(({ name, ...rest }) => ({ frame: name, ...rest })),
  };
}

/** The summary as markdown lines for the bench's output. */
export function profileLines(title: string, s: ProfileSummary): string[] {
  const table = (head: string, items: Array<{ name: string; usPerRequest: number; share: number }>) => [
    `| ${head} | µs/request | share |`,
    '| - | - | - |',
    ...items.map((r) => `| ${r.name} | ${r.usPerRequest} | ${r.share}% |`),
  ];
  return [
    `${title}: ${s.requests} requests, ${s.busyUsPerRequest} µs of CPU a request (idle excluded)`,
    '',
    ...table('by owner (self time)', s.categories),
    '',
    ...table('by stage (innermost named stage on the stack)', s.stages),
    '',
    ...table(
      'top functions (self time)',
      s.top.slice(0, 25).map((r) => ({ name: r.frame, usPerRequest: r.usPerRequest, share: r.share })),
    ),
  ];
}
