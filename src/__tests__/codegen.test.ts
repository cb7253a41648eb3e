import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateResolverTypes, OUTPUT } from '../../codegen';
import { PROJECT_ROOT } from '../config';

describe('Generated resolver types', () => {
  it('match the SDL in schema/ (run `npm run codegen` after changing it)', async () => {
    const committed = readFileSync(path.join(PROJECT_ROOT, OUTPUT), 'utf8');
    expect(await generateResolverTypes()).toBe(committed);
  }, 120000);
});
