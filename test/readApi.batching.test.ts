import { seedIds } from './support/seedFacts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../src/app';
import type { Database } from '../src/db/database';
import { createLogger } from '../src/log';
import { loadFolder } from '../src/seed/loadDataSet';
import { seededDatabase, testDatabase } from './support/database';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * No N+1: the number of Cypher queries a nested request sends depends on the shape of the query, not on how
 * many records it returns. Proved as dataloader's own tests do, by counting the calls to the backend.
 */

const CONFIG = { MAX_PAGE_SIZE: 100, MAX_DEPTH: 25, GRAPHQL_INTROSPECTION: true };
/** Everything this file writes has an id starting with one of these, and is deleted afterwards. */
const PREFIXES = ['org:batch-', 'model:batch-', 'src:batch-'];
const EXTRA_COMPANIES = 45;
const EXTRA_HOLDINGS = 5;

let db: Database;
let app: App;

beforeAll(async () => {
  db = testDatabase();
  await seededDatabase(db);
  app = await createApp(db, CONFIG, createLogger('silent'));
});

afterAll(async () => {
  await db?.write((query) =>
    query('MATCH (n:Record) WHERE any(p IN $prefixes WHERE n.id STARTS WITH p) DETACH DELETE n', {
      prefixes: PREFIXES,
    }),
  );
  await app?.stop(1000);
  await db?.close();
});

async function executeCounting(query: string, variables: Record<string, unknown> = {}) {
  const contextValue = app.context();
  const response = await app.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
  expect(response.body.singleResult.errors).toBeUndefined();
  return { data: response.body.singleResult.data as any, queries: contextValue.queries };
}

/**
 * 50 synthetic organizations in the data-set format: 5 holdings in SG, each owning 9 of 45 companies in HK
 * (60%, with 40% of the votes and 55% of the economic rights), and one model per company.
 */
async function loadSyntheticOrganizations(): Promise<void> {
  const source = 'src:batch-registry';
  const holdings = Array.from({ length: EXTRA_HOLDINGS }, (_, i) => ({
    id: `org:batch-holding-${i}`,
    name: `Batch Holding ${i}`,
    type: 'INVESTMENT_FUND',
    headquarters: 'SG',
    incorporation: 'SG',
    sources: [source],
  }));
  const companies = Array.from({ length: EXTRA_COMPANIES }, (_, i) => ({
    id: `org:batch-company-${String(i).padStart(2, '0')}`,
    name: `Batch Company ${i}`,
    type: 'COMPANY',
    headquarters: 'HK',
    incorporation: 'KY',
    sources: [source],
  }));
  const data = {
    sources: [
      {
        id: source,
        url: 'https://example.org/batch-registry',
        publisher: 'Example Registry',
        title: 'Synthetic test data',
      },
    ],
    organizations: [...holdings, ...companies],
    models: companies.map((c, i) => ({
      id: `model:batch-${i}`,
      name: `Batch Model ${i}`,
      family: 'Batch',
      developer: c.id,
      openWeights: true,
      architecture: 'DENSE',
      modalities: ['TEXT'],
      sources: [source],
    })),
    ownerships: companies.map((c, i) => ({
      id: `own:batch-${i}`,
      owner: holdings[i % EXTRA_HOLDINGS]!.id,
      owned: c.id,
      share: { exact: 60 },
      votingShare: { exclusiveMinimum: 25, maximum: 50 },
      economicShare: { minimum: 50, exclusiveMaximum: 60 },
      startDate: '2024-01-01',
      sources: [source],
    })),
  };
  const folder = mkdtempSync(path.join(os.tmpdir(), 'read-api-batching-'));
  try {
    writeFileSync(path.join(folder, '90-batch.json'), JSON.stringify(data));
    await loadFolder(db, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const NESTED = /* GraphQL */ `
  query Nested($asOf: Date) {
    organizations(first: 100) {
      nodes {
        id
        headquarters {
          code
          name
        }
        incorporation {
          code
          name
        }
        owners(asOf: $asOf) {
          share {
            display
          }
          votingShare {
            display
          }
          economicShare {
            display
          }
          sources {
            url
          }
          owner {
            id
            name
            ... on Organization {
              headquarters {
                code
              }
            }
          }
        }
        models {
          id
          name
          developer {
            id
          }
          sources {
            url
          }
        }
        sources {
          url
        }
      }
    }
  }
`;

describe('No N+1: nested queries over many organizations', () => {
  let before: { data: any; queries: string[] };
  let after: { data: any; queries: string[] };

  beforeAll(async () => {
    before = await executeCounting(NESTED, { asOf: '2026-03-01' });
    await loadSyntheticOrganizations();
    after = await executeCounting(NESTED, { asOf: '2026-03-01' });
  });

  const seeded = Math.min(seedIds('organizations').length, 100);

  it('answers the seed’s organizations with their owners, countries and models in at most 8 Cypher queries', () => {
    expect(before.data.organizations.nodes).toHaveLength(seeded);
    expect(before.queries.length).toBeLessThanOrEqual(8);
  });

  it('stays within the same bound of queries when the synthetic organizations are added', () => {
    expect(after.data.organizations.nodes).toHaveLength(
      Math.min(seedIds('organizations').length + EXTRA_COMPANIES + EXTRA_HOLDINGS, 100),
    );
    // Not "exactly as many as before": DataLoader batches per tick, and the OWNS and DEVELOPED_BY answers come
    // back on separate ticks, so the record lookups their children need may share a batch or take two. What
    // must not happen is growth with the number of organizations, owners or models.
    expect(after.queries.length).toBeLessThanOrEqual(8);
  });

  it('reads the page once, each relationship once, and records in one lookup per level of nesting', () => {
    // Each relationship type in one query, alone (READ_AHEAD=false) or with the others the selection asks for
    // below the page (read-ahead, src/graphql/lookahead.ts).
    const relationships = after.queries.flatMap((cypher) =>
      [...cypher.matchAll(/\[r:(\w+)\]/g)].map((m) => m[1]),
    );
    expect(relationships.sort()).toEqual(['DEVELOPED_BY', 'OWNS']);
    expect(after.queries.filter((cypher) => /MATCH \(n:Organization\)/.test(cypher))).toHaveLength(1);
    const records = after.queries.filter((cypher) => !/\[r:\w+\]|MATCH \(n:Organization\)/.test(cypher));
    // Countries and sources of the organizations; of their owners and models (two batches when the OWNS and
    // DEVELOPED_BY answers arrive on different ticks); of the owners' countries.
    expect(records.length).toBeLessThanOrEqual(4);
  });

  it('still answers every nested field of the synthetic organizations, shares included', () => {
    const company = after.data.organizations.nodes.find((o: any) => o.id === 'org:batch-company-07');
    expect(company).toEqual({
      id: 'org:batch-company-07',
      headquarters: { code: 'HK', name: expect.any(String) },
      incorporation: { code: 'KY', name: expect.any(String) },
      owners: [
        {
          share: { display: '60%' },
          votingShare: { display: '>25–50%' },
          economicShare: { display: '50–<60%' },
          sources: [{ url: 'https://example.org/batch-registry' }],
          owner: { id: 'org:batch-holding-2', name: 'Batch Holding 2', headquarters: { code: 'SG' } },
        },
      ],
      models: [
        {
          id: 'model:batch-7',
          name: 'Batch Model 7',
          developer: { id: 'org:batch-company-07' },
          sources: [{ url: 'https://example.org/batch-registry' }],
        },
      ],
      sources: [{ url: 'https://example.org/batch-registry' }],
    });
  });

  it('loads the lineage, offerings and allegations of every model in a handful of queries too', async () => {
    const { data, queries } = await executeCounting(`{
      models(first: 100) {
        nodes {
          id developer { name }
          derivedFrom { parent { id developer { id } } allegation { accusers { id } } }
          derivatives { child { id } }
          offerings { channel { operator { id } } }
          allegations { accused { id } derivations { id } }
        }
      }
    }`);
    expect(data.models.nodes).toHaveLength(100);
    expect(queries.length).toBeLessThanOrEqual(10);
  });
});
