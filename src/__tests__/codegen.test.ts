import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';

// The codegen plugins load ESM-only packages, which Jest's CommonJS runtime cannot require on Node 20:
// the generator runs in its own process (tsx), as `npm run codegen` does, and writes to a temporary file.
describe('Generated resolver types', () => {
  it('match the SDL in schema/ (run `npm run codegen` after changing it)', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
    const out = path.join(folder, 'resolvers.ts');
    try {
      execFileSync(
        process.execPath,
        [
          path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'),
          path.join(PROJECT_ROOT, 'scripts/codegen.ts'),
        ],
        { cwd: PROJECT_ROOT, env: { ...process.env, CODEGEN_OUT: out }, stdio: 'pipe' },
      );
      const committed = readFileSync(
        path.join(PROJECT_ROOT, 'src/graphql/__generated__/resolvers.ts'),
        'utf8',
      );
      expect(readFileSync(out, 'utf8')).toBe(committed);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120000);
});
