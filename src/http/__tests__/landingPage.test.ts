import { ApolloServer } from '@apollo/server';
import { landingPagePlugin, localLandingPage, sandboxEnabled } from '../landingPage';

/** What GET / answers a browser, through Apollo itself (its landing page hook), without a database. */
async function landingHtml(config: Parameters<typeof landingPagePlugin>[0]): Promise<string> {
  const apollo = new ApolloServer({
    typeDefs: 'type Query { ok: Boolean }',
    plugins: [landingPagePlugin(config)],
  });
  await apollo.start();
  try {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'GET',
        headers: new Map([['accept', 'text/html']]) as never,
        search: '',
        body: undefined,
      },
      context: () => Promise.resolve({}),
    });
    if (response.body.kind !== 'complete') throw new Error('expected a complete body');
    return response.body.string;
  } finally {
    await apollo.stop();
  }
}

describe('Landing page: Sandbox when it can load, the local pages always', () => {
  it.each([
    { name: 'development, unset', config: {}, sandbox: true },
    { name: 'production, unset', config: { NODE_ENV: 'production' }, sandbox: false },
    {
      name: 'production, turned on',
      config: { NODE_ENV: 'production', LANDING_PAGE_SANDBOX: true },
      sandbox: true,
    },
    { name: 'development, turned off', config: { LANDING_PAGE_SANDBOX: false }, sandbox: false },
  ])('uses Sandbox: $name -> $sandbox', ({ config, sandbox }) => {
    expect(sandboxEnabled(config)).toBe(sandbox);
  });

  it('serves Sandbox with telemetry off, no Google Fonts, and the offline text naming /graphiql and /explore', async () => {
    const html = await landingHtml({});
    expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(html).toMatch(/"runTelemetry":\s*false/);
    expect(html).not.toMatch(/<link[^>]*fonts\.googleapis\.com/);
    expect(html).not.toContain('rel="manifest"');
    expect(html).toContain('Apollo Sandbox cannot be loaded');
    expect(html).toMatch(/<div class="fallback">[\s\S]*href="\/graphiql"[\s\S]*href="\/explore"/);
    expect(html).toContain('id="local-links"');
  });

  it('serves a page that asks no other origin for anything in production', async () => {
    const html = await landingHtml({ NODE_ENV: 'production' });
    expect(html).toBe(localLandingPage());
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('href="/graphiql"');
    expect(html).toContain('href="/explore"');
  });
});
