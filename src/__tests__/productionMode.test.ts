import { createApolloServer } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../log';

/** NODE_ENV=production (as the Docker image sets) turns off what helps an explorer and also an attacker. */
describe('Settings: production mode and binding', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
  });

  it('allows introspection and suggestions in development, and neither in production unless enabled', () => {
    expect(loadConfig({})).toMatchObject({ GRAPHQL_INTROSPECTION: true, GRAPHQL_SUGGESTIONS: true });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      GRAPHQL_INTROSPECTION: false,
      GRAPHQL_SUGGESTIONS: false,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_SUGGESTIONS: 'true' }),
    ).toMatchObject({ GRAPHQL_INTROSPECTION: true, GRAPHQL_SUGGESTIONS: true });
  });

  it.each([
    ['MAX_QUERY_DEPTH', '0', /MAX_QUERY_DEPTH must be between 1 and 1000, got "0"/],
    ['REQUEST_TIMEOUT_MS', 'soon', /REQUEST_TIMEOUT_MS must be a whole number, got "soon"/],
  ])('refuses %s=%s naming the setting', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  async function ask(env: Record<string, string>, query: string) {
    const apollo = createApolloServer(createLogger('silent'), loadConfig(env));
    await apollo.start();
    try {
      const response = await apollo.executeOperation({ query });
      return response.body.kind === 'single' ? response.body.singleResult : null;
    } finally {
      await apollo.stop();
    }
  }

  it('refuses introspection in production', async () => {
    const result = await ask({ NODE_ENV: 'production' }, '{ __schema { queryType { name } } }');
    expect(result?.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
  });

  it('answers introspection in development', async () => {
    const result = await ask({}, '{ __schema { queryType { name } } }');
    expect(result?.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('suggests field names in development only', async () => {
    const dev = await ask({}, '{ countrie { code } }');
    expect(dev?.errors?.[0]?.message).toMatch(/Did you mean "countries"/);
    const prod = await ask({ NODE_ENV: 'production' }, '{ countrie { code } }');
    expect(prod?.errors?.[0]?.message).toBe('Cannot query field "countrie" on type "Query".');
  });
});
