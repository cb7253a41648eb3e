import { ConfigError, RESPONSE_CACHE_DEFAULT_ENTRIES, loadConfig } from '../config';

describe('loadConfig: settings from the environment', () => {
  it('defaults to the embedded Neo4j, port 4000 and seeding an empty database', () => {
    const config = loadConfig({});
    expect(config.NEO4J_URI).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 4000,
      NEO4J_DATABASE: 'neo4j',
      SEED_ON_EMPTY: true,
      EMBEDDED_NEO4J_DATA: '.data/neo4j',
    });
  });

  it('accepts the Neo4j URI schemes for a single server, a cluster and Aura', () => {
    for (const uri of ['bolt://localhost:7687', 'neo4j://cluster:7687', 'neo4j+s://abc.databases.neo4j.io']) {
      expect(loadConfig({ NEO4J_URI: uri }).NEO4J_URI).toBe(uri);
    }
  });

  it('gives the embedded Neo4j 180 s to start unless told otherwise', () => {
    expect(loadConfig({}).EMBEDDED_NEO4J_START_TIMEOUT).toBe(180);
    expect(loadConfig({ EMBEDDED_NEO4J_START_TIMEOUT: '600' }).EMBEDDED_NEO4J_START_TIMEOUT).toBe(600);
  });

  it('caches answers against one server by default, but not through a routing (cluster) URI unless asked', () => {
    expect(loadConfig({}).RESPONSE_CACHE_ENTRIES).toBe(RESPONSE_CACHE_DEFAULT_ENTRIES);
    expect(loadConfig({ NEO4J_URI: 'bolt://db:7687' }).RESPONSE_CACHE_ENTRIES).toBe(
      RESPONSE_CACHE_DEFAULT_ENTRIES,
    );
    expect(loadConfig({ NEO4J_URI: 'neo4j://cluster:7687' }).RESPONSE_CACHE_ENTRIES).toBe(0);
    expect(loadConfig({ NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io' }).RESPONSE_CACHE_ENTRIES).toBe(0);
    expect(
      loadConfig({ NEO4J_URI: 'neo4j://cluster:7687', RESPONSE_CACHE_ENTRIES: '500' }).RESPONSE_CACHE_ENTRIES,
    ).toBe(500);
    expect(loadConfig({ RESPONSE_CACHE_ENTRIES: '0' }).RESPONSE_CACHE_ENTRIES).toBe(0);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ NEO4J_URI: '', PORT: '' });
    expect(config.NEO4J_URI).toBeUndefined();
    expect(config.PORT).toBe(4000);
  });

  it.each([
    ['NEO4J_URI', 'http://localhost:7474', /NEO4J_URI must be a Neo4j URI starting with one of bolt:\/\//],
    ['PORT', '70000', /PORT must be between 0 and 65535, got "70000"/],
    ['PORT', 'abc', /PORT must be a port number, got "abc"/],
    ['SEED_ON_EMPTY', 'maybe', /SEED_ON_EMPTY must be true or false, got "maybe"/],
    ['EMBEDDED_NEO4J_HEAP', '2 gigs', /EMBEDDED_NEO4J_HEAP must be a size such as 512m or 2g/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    [
      'EMBEDDED_NEO4J_START_TIMEOUT',
      '5',
      /EMBEDDED_NEO4J_START_TIMEOUT must be between 10 and 86400, got "5"/,
    ],
    ['RESPONSE_CACHE_ENTRIES', 'lots', /RESPONSE_CACHE_ENTRIES must be a whole number, got "lots"/],
  ])('refuses %s=%s with a message naming the variable and what it must be', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('lists every wrong variable at once', () => {
    try {
      loadConfig({ PORT: '-1', NEO4J_URI: 'x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
