/**
 * Not public API: the `bench:generate` entry. It lives apart from generateOwnershipGraph.ts so that the
 * generator does not import the bench database that imports it (an import cycle).
 */
import { openBenchDatabase, parseArgs } from './benchDatabase';

/** `npm run bench:generate -- --size 1000000`: loads the graph into .data/bench-<size> (or finds it there). */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { size: 10000, seed: 42, heap: '4g', pageCache: '4g' });
  const started = performance.now();
  const bench = await openBenchDatabase(args, (line) => console.log(line));
  const m = bench.meta;
  console.log(
    `${m.reused ? 'reused' : 'generated'} graph of ${m.nodes} entities and ${m.owns} ownerships ` +
      `in .data/bench-${args.size} (generate ${m.generateSeconds.toFixed(1)} s, load ${m.loadSeconds.toFixed(1)} s; ` +
      `this run ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  await bench.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
