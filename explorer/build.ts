/**
 * `npm run build:explorer [-- --if-stale]`: bundles the explorer (/explore) and the local GraphiQL
 * (/graphiql) into explorer/dist. The server does the same by itself at start when the bundle is stale.
 */
import { parseArgs } from 'node:util';
import { buildExplorer, bundleIsStale } from '../src/http/explorerBundle';

function main(): void {
  const { values } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' }, 'if-stale': { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run build:explorer [-- --if-stale]\n\n' +
        'Bundles the explorer (/explore) and the local GraphiQL (/graphiql) into explorer/dist with esbuild.\n' +
        '  --if-stale  build only when the bundle is missing or older than its sources\n' +
        '  -h, --help  show this help\n',
    );
    process.exit(0);
  }
  if (values['if-stale'] && !bundleIsStale()) {
    process.stdout.write('Explorer bundle is up to date.\n');
  } else {
    buildExplorer().then(
      ({ ms, bytes }) =>
        process.stdout.write(`Built the explorer bundle in ${ms} ms (${(bytes / 1e6).toFixed(1)} MB).\n`),
      (error: unknown) => {
        process.stderr.write(`Building the explorer failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  }
}

main();
