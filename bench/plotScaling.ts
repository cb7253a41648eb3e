/**
 * Not public API: `npm run bench:plot`, the table and the plot of docs/scaling.md from the benchmarks' own
 * result files (bench/results/exposure-<size>.json, access-<size>.json): how each figure grows from 10k to
 * 100k to 1M entities. Writes docs/scaling.svg (Vega-Lite compiled by Vega, rendered to SVG without a canvas)
 * and prints the markdown table. Sizes without a result file are left out, never filled in.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';

const SIZES = [10_000, 100_000, 1_000_000];

interface Point {
  entities: number;
  figure: string;
  value: number;
  unit: 'ms' | 'MB';
}

function read<T>(file: string): T | null {
  const full = path.join(PROJECT_ROOT, 'bench', 'results', file);
  return existsSync(full) ? (JSON.parse(readFileSync(full, 'utf8')) as T) : null;
}

interface Summary {
  p50: number;
  p99: number;
}
interface Exposure {
  machine: { loadAverage: number[] };
  single: { totalMs: Summary; concurrent?: { clients: number; totalMs: Summary } | null };
  sweep: {
    cold: { totalMs: number };
    warm: { totalMs: number; fetchedEntities: number };
    uncached?: { totalMs: number } | null;
    api?: { coldMs: number; warmMs: number };
    nodePeakRssMb: number;
    jvmPeakRssMb: number;
  };
  /** The verdicts through the API (Apollo), per build measured; the one labelled `shipped` is this build. */
  sides?: {
    sides: Array<{
      label: string;
      api: { sequential: Summary; concurrent: { clients: number; totalMs: Summary } | null };
    }>;
  };
}
interface Access {
  checks: { totalMs: Summary; concurrent?: { clients: number; totalMs: Summary } | null };
  machine: { loadAverage: number[] };
}

/** The load average a result file was written at (1, 5 and 15 minutes), as the table prints it. */
export interface RunLoad {
  entities: number;
  bench: 'exposure' | 'access';
  loadAverage: number[];
}

export function scalingLoads(): RunLoad[] {
  const loads: RunLoad[] = [];
  for (const entities of SIZES) {
    const e = read<Exposure>(`exposure-${entities}.json`);
    if (e) loads.push({ entities, bench: 'exposure', loadAverage: e.machine.loadAverage });
    const a = read<Access>(`access-${entities}.json`);
    if (a) loads.push({ entities, bench: 'access', loadAverage: a.machine.loadAverage });
  }
  return loads;
}

/** The p50 and p99 of calls made from several clients at once, when the run measured them. */
function concurrentPoints(
  entities: number,
  what: string,
  c: { clients: number; totalMs: Summary } | null | undefined,
): Point[] {
  if (!c) return [];
  return (['p50', 'p99'] as const).map((p) => ({
    entities,
    figure: `${what} ${p}, ${c.clients} clients`,
    value: c.totalMs[p],
    unit: 'ms',
  }));
}

/** This build's verdicts through the API, one client and several, when the run asked them (`--api-verdicts`). */
function apiVerdictPoints(entities: number, e: Exposure): Point[] {
  const api = e.sides?.sides.find((side) => side.label === 'shipped')?.api;
  if (!api) return [];
  return [
    { entities, figure: 'API verdict p50', value: api.sequential.p50, unit: 'ms' },
    { entities, figure: 'API verdict p99', value: api.sequential.p99, unit: 'ms' },
    ...concurrentPoints(entities, 'API verdict', api.concurrent),
  ];
}

export function scalingPoints(): Point[] {
  const points: Point[] = [];
  for (const entities of SIZES) {
    const e = read<Exposure>(`exposure-${entities}.json`);
    if (e) {
      const c = e.single.concurrent;
      points.push(
        { entities, figure: 'verdict p50', value: e.single.totalMs.p50, unit: 'ms' },
        { entities, figure: 'verdict p99', value: e.single.totalMs.p99, unit: 'ms' },
        ...concurrentPoints(entities, 'verdict', c),
        ...apiVerdictPoints(entities, e),
        { entities, figure: 'sweep (cold)', value: e.sweep.cold.totalMs, unit: 'ms' },
        { entities, figure: 'sweep (warm)', value: e.sweep.warm.totalMs, unit: 'ms' },
        ...(e.sweep.uncached
          ? [{ entities, figure: 'sweep (cache off)', value: e.sweep.uncached.totalMs, unit: 'ms' as const }]
          : []),
        ...(e.sweep.api
          ? [
              {
                entities,
                figure: 'coveredEntities API (warm)',
                value: e.sweep.api.warmMs,
                unit: 'ms' as const,
              },
            ]
          : []),
        { entities, figure: 'node peak RSS', value: e.sweep.nodePeakRssMb, unit: 'MB' },
        { entities, figure: 'Neo4j JVM peak RSS', value: e.sweep.jvmPeakRssMb, unit: 'MB' },
      );
    }
    const a = read<Access>(`access-${entities}.json`);
    if (a) {
      const c = a.checks.concurrent;
      points.push(
        { entities, figure: 'accessCheck p50', value: a.checks.totalMs.p50, unit: 'ms' },
        { entities, figure: 'accessCheck p99', value: a.checks.totalMs.p99, unit: 'ms' },
        ...concurrentPoints(entities, 'accessCheck', c),
      );
    }
  }
  return points;
}

async function main(): Promise<void> {
  const points = scalingPoints();
  const loads = scalingLoads();
  // vega-lite's types resolve only under moduleResolution node16+; its one function used here is typed locally.
  const vegaLite = 'vega-lite';
  const vl = (await import(vegaLite)) as { compile(spec: unknown): { spec: unknown } };
  const vega = await import('vega');
  const panel = (unit: 'ms' | 'MB', title: string) => ({
    title,
    width: 320,
    height: 240,
    data: { values: points.filter((p) => p.unit === unit) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'entities', type: 'quantitative', scale: { type: 'log' }, title: 'entities' },
      y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: unit },
      // Up to 18 figures in one panel: 20 distinct colours, and names in full.
      color: {
        field: 'figure',
        type: 'nominal',
        title: null,
        scale: { scheme: 'category20' },
        legend: { labelLimit: 320 },
      },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    hconcat: [panel('ms', 'Time (log-log)'), panel('MB', 'Memory (log-log)')],
    resolve: { scale: { color: 'independent' } },
  };
  const compiled = vl.compile(spec).spec as Parameters<typeof vega.parse>[0];
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  const out = path.join(PROJECT_ROOT, 'docs', 'scaling.svg');
  writeFileSync(out, svg);

  const figures = [...new Set(points.map((p) => p.figure))];
  const lines = [
    `| figure | ${SIZES.map((s) => `${s / 1000}k`).join(' | ')} |`,
    `| - | ${SIZES.map(() => '-').join(' | ')} |`,
    ...figures.map((f) => {
      const cells = SIZES.map((s) => {
        const p = points.find((x) => x.figure === f && x.entities === s);
        return p ? `${p.value} ${p.unit}` : 'not measured';
      });
      return `| ${f} | ${cells.join(' | ')} |`;
    }),
    ...(['exposure', 'access'] as const).map((bench) => {
      const cells = SIZES.map((s) => {
        const l = loads.find((x) => x.bench === bench && x.entities === s);
        return l ? l.loadAverage.join(' / ') : '-';
      });
      return `| load average at the end of bench:${bench} (1 / 5 / 15 min) | ${cells.join(' | ')} |`;
    }),
  ];
  console.log(lines.join('\n'));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
