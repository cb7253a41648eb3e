import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { useSeededApp } from './support/seededApp';

/** Every GraphQL block the README shows runs against the curated seed and answers without errors. */
const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README queries', () => {
  const { execute } = useSeededApp();

  it('shows at least the six questions of the README', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  it.each(
    blocks.map((query, i) => ({
      i,
      query,
      first: query
        .split('\n')
        .find((l) => /\w/.test(l) && !/^\s*\{\s*$/.test(l))!
        .trim(),
    })),
  )('answers block $i ($first) with data and no errors', async ({ query }) => {
    const result = await execute(query);
    expect(result.errors).toBeUndefined();
    const data = JSON.stringify(result.data);
    // A top-level lookup that found nothing means the README names an id the seed does not have.
    expect(data).not.toMatch(/"(organization|model|policy|deepseek|alibabaCloud|anthropic)":null/);
    expect(data.length).toBeGreaterThan(200);
  });
});
