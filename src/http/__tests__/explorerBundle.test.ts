import { readmeExamples } from '../explorerBundle';

describe("Explorer bundle: the README's queries as GraphiQL's saved tabs", () => {
  it('takes each graphql block with the last line of prose above it as its title', () => {
    const readme = [
      '# Title',
      '',
      'Some intro.',
      '',
      'Who owns **ByteDance**:',
      '',
      '```graphql',
      '{ organization(id: "org:bytedance") { name } }',
      '```',
      '',
      '```sh',
      'npm start',
      '```',
      '',
      'Which models `DeepSeek` makes.',
      '',
      '```graphql',
      '{ models { nodes { name } } }',
      '```',
    ].join('\n');
    expect(readmeExamples(readme)).toEqual([
      { title: 'Who owns ByteDance', query: '{ organization(id: "org:bytedance") { name } }' },
      { title: 'Which models DeepSeek makes', query: '{ models { nodes { name } } }' },
    ]);
  });

  it('finds every block of the real README', () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const e of examples) expect(e.title).not.toMatch(/^Example \d+$/);
  });
});
