import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../src/config';
import { NEO4J_CURRENT } from '../src/db/java';

/** docker compose cannot run here (no Docker engine); these checks keep the file honest by review. */
const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'));
const pom = readFileSync(path.join(PROJECT_ROOT, 'neo4j', 'pom.xml'), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the same Neo4j version as the embedded launcher the tests use', () => {
    const pomVersion = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(pom)?.[1];
    expect(pomVersion).toBe(NEO4J_CURRENT.neo4jVersion);
    expect(compose.services.neo4j.image).toBe(`neo4j:${NEO4J_CURRENT.neo4jVersion}-community`);
  });

  it('gives Neo4j a health check and a named volume', () => {
    expect(compose.services.neo4j.healthcheck.test.join(' ')).toMatch(/cypher-shell/);
    expect(compose.services.neo4j.volumes).toContain('neo4j-data:/data');
    expect(Object.keys(compose.volumes)).toContain('neo4j-data');
  });

  it('starts the API once Neo4j is healthy, pointed at it, seeding on first start', () => {
    const api = compose.services.api;
    expect(api.build).toBe('.');
    expect(api.depends_on.neo4j.condition).toBe('service_healthy');
    expect(api.environment.NEO4J_URI).toBe('bolt://neo4j:7687');
    expect(api.environment.SEED_ON_EMPTY).toBe('true');
    expect(api.environment.NEO4J_PASSWORD).toBe(
      compose.services.neo4j.environment.NEO4J_AUTH.replace('neo4j/', ''),
    );
  });

  it('has no default password: compose stops with a message when NEO4J_PASSWORD is unset', () => {
    const required = /^\$\{NEO4J_PASSWORD:\?Set NEO4J_PASSWORD [^}]+\}$/;
    expect(compose.services.api.environment.NEO4J_PASSWORD).toMatch(required);
    expect(compose.services.neo4j.environment.NEO4J_AUTH.replace('neo4j/', '')).toMatch(required);
  });

  it('publishes Neo4j’s ports on the loopback interface only', () => {
    expect(compose.services.neo4j.ports).toEqual(['127.0.0.1:7474:7474', '127.0.0.1:7687:7687']);
  });

  it('runs the image in production mode, listening on every interface inside the container', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production HOST=0\.0\.0\.0$/m);
  });

  it('builds an image that ships the schema and the seed the server reads at start', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY schema \.\/schema/);
    expect(dockerfile).toMatch(/COPY seed \.\/seed/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/server\.js"\]/);
  });
});
