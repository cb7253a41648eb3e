import { seededDatabase } from './support/database';
import { useAppsOver, type SeededApp } from './support/seededApp';
import { seedIds, seedRecords } from './support/seedFacts';

/**
 * Look-ahead (src/graphql/lookahead.ts): a root field that reads records by id fetches the levels its
 * selection asks for in one query and primes the loaders. The answers must be exactly those of the loaders
 * reading level by level (READ_AHEAD off), for every relationship field it knows, and the request must send
 * fewer queries.
 */

// The every-field question over 100 records costs more than the default limit allows; the limit is not what is tested.
const CONFIG = {
  MAX_PAGE_SIZE: 100,
  MAX_DEPTH: 25,
  GRAPHQL_INTROSPECTION: true,
  MAX_QUERY_COST: 100_000_000,
};

const { ahead, levelByLevel } = useAppsOver(seededDatabase, {
  ahead: { ...CONFIG, READ_AHEAD: true },
  levelByLevel: { ...CONFIG, READ_AHEAD: false },
});

/** Runs an operation on one of the apps; it must answer without errors. */
async function execute(app: SeededApp, query: string, variables: Record<string, unknown> = {}) {
  const answer = await app.execute(query, variables);
  expect(answer.errors).toBeUndefined();
  return { data: answer.data, queries: answer.queries };
}

async function both(query: string, variables: Record<string, unknown> = {}) {
  const on = await execute(ahead, query, variables);
  const off = await execute(levelByLevel, query, variables);
  return { on, off };
}

/** Every relationship field the look-ahead knows, two levels deep, with fragments, aliases and `asOf`. */
const EVERY_FIELD = /* GraphQL */ `
  query Every($ids: [ID!]!, $day: Date) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Party {
        holdings {
          ...Stake
          owned {
            id
            name
            owners {
              id
              owner {
                __typename
                id
              }
            }
          }
        }
        inForce: holdings(asOf: $day) {
          id
        }
        controls {
          id
          controlled {
            id
            controllers {
              id
            }
          }
        }
        designations {
          id
          policy {
            id
            name
          }
          entity {
            __typename
            id
          }
        }
        allegationsMade {
          id
          title
        }
        allegationsAgainst {
          id
          accused {
            __typename
            id
          }
        }
      }
      ... on Organization {
        owners {
          ...Stake
          owner {
            __typename
            id
            name
            ...Deeper
          }
        }
        controllers(asOf: $day) {
          id
          controller {
            __typename
            id
          }
        }
        models {
          id
          name
          derivedFrom {
            id
            parent {
              id
            }
          }
          offerings {
            id
            channel {
              id
            }
          }
        }
        channels {
          id
          offerings(asOf: $day) {
            id
            model {
              id
            }
          }
          policiesReaching {
            id
          }
        }
        policiesIssued {
          id
        }
      }
      ... on AIModel {
        derivedFrom {
          id
          method
          basis
          parent {
            id
            derivedFrom {
              id
              parent {
                id
                name
              }
            }
          }
        }
        derivatives {
          id
          child {
            id
            derivatives {
              id
            }
          }
        }
        offerings {
          id
          startDate
          channel {
            id
            name
            operator {
              id
            }
          }
        }
        allegations {
          id
          derivations {
            id
          }
        }
        developer {
          id
        }
      }
      ... on AccessChannel {
        offerings {
          id
          model {
            id
            name
            allegations {
              id
            }
          }
        }
        policiesReaching {
          id
          name
        }
        operator {
          id
        }
      }
    }
  }
  fragment Stake on Ownership {
    id
    share {
      exact
      minimum
      maximum
    }
    startDate
    endDate
    sources {
      id
    }
  }
  fragment Deeper on Organization {
    models {
      id
    }
    owners {
      id
      share {
        exact
      }
      owner {
        __typename
        id
      }
    }
  }
`;

const chunks = (ids: string[], size: number) =>
  Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));

describe('Look-ahead answers exactly what the loaders answer level by level', () => {
  const ids = [
    ...seedIds('organizations'),
    ...seedIds('persons'),
    ...seedIds('models'),
    ...seedIds('channels'),
    ...seedIds('policies'),
  ];

  it.each([undefined, '2024-06-30'])(
    'for every relationship field at every seed record, in fewer queries (asOf %s)',
    async (day) => {
      // Never more queries for any group; fewer over all. (A group of one kind of record, such as the last
      // chunk holding only policies, may have few levels to plan, so the count can be level there.)
      let ahead = 0;
      let levels = 0;
      for (const group of chunks(ids, 100)) {
        const { on, off } = await both(EVERY_FIELD, { ids: group, day });
        expect(on.data).toEqual(off.data);
        expect(on.queries.length).toBeLessThanOrEqual(off.queries.length);
        ahead += on.queries.length;
        levels += off.queries.length;
      }
      expect(ahead).toBeLessThan(levels);
    },
  );

  it('reads ahead below a page of records too (nodes and edges.node), with the same answers', async () => {
    const query = `query ($after: String) { organizations(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id owners { id share { exact } owner { __typename id name } } models { id derivatives { id } } }
      edges { cursor node { id holdings(asOf: "2024-06-30") { id owned { id } } } } } }`;
    let after: string | null = null;
    do {
      const { on, off } = await both(query, { after });
      expect(on.data).toEqual(off.data);
      expect(on.queries.length).toBeLessThan(off.queries.length);
      const page = on.data.organizations;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  });

  it('answers null for ids not found and for records of another kind, as before', async () => {
    const model = seedIds('models')[0]!;
    const query = `query ($ids: [ID!]!, $model: ID!) {
      nodes(ids: $ids) { id ... on Organization { owners { id } } }
      organization(id: $model) { id owners { id } }
      model(id: $model) { id derivedFrom { id } }
    }`;
    const { on, off } = await both(query, { ids: ['org:no-such-thing', model], model });
    expect(on.data).toEqual(off.data);
    expect(on.data.nodes).toEqual([null, { id: model }]);
    expect(on.data.organization).toBeNull();
    expect(on.data.model.id).toBe(model);
  });
});

describe('Look-ahead sends one query where the loaders send one per level', () => {
  it('reads one organization with its owners and holdings in one query', async () => {
    // An organization that both has owners and holds stakes.
    const stakes = seedRecords('ownerships');
    const id = stakes.map((s) => s.owner).find((owner) => stakes.some((s) => s.owned === owner));
    expect(id).toBeDefined();
    const query = `query ($id: ID!) { organization(id: $id) { id name
      owners { id share { exact } owner { __typename id name } }
      holdings { id startDate owned { id name } } } }`;
    const { on, off } = await both(query, { id });
    expect(on.data).toEqual(off.data);
    expect(on.data.organization.owners.length).toBeGreaterThan(0);
    expect(on.queries).toHaveLength(1);
    expect(off.queries.length).toBeGreaterThan(1);
  });

  it('reads organizations with two levels of owners and their models in one query', async () => {
    const ids = seedIds('organizations').slice(0, 50);
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { id name models { id name }
      owners { id share { exact } owner { __typename id name ... on Organization { models { id name }
        owners { id share { exact } owner { __typename id name } } } } } } } }`;
    const { on, off } = await both(query, { ids });
    expect(on.data).toEqual(off.data);
    expect(on.queries).toHaveLength(1);
    expect(off.queries.length).toBeGreaterThanOrEqual(5);
  });

  it('reads models with three levels of lineage in one query', async () => {
    const ids = [...new Set(seedRecords('derivations').map((d) => d.child))].sort().slice(0, 20);
    expect(ids.length).toBeGreaterThan(0);
    const level = (inner: string) => `derivedFrom { id method basis parent { id name ${inner} } }`;
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on AIModel { id name ${level(level(level('')))} } } }`;
    const { on, off } = await both(query, { ids });
    expect(on.data).toEqual(off.data);
    expect(on.queries).toHaveLength(1);
    expect(off.queries.length).toBeGreaterThan(1);
  });

  it('sees a write made between two requests (nothing is kept across requests)', async () => {
    const id = 'org:lookahead-new';
    const query = `query ($id: ID!) { organization(id: $id) { id owners { id } } }`;
    expect((await execute(ahead, query, { id })).data.organization).toBeNull();
    await ahead.db.write((q) =>
      q(`CREATE (:Record:Organization {id: $id, name: 'New', type: 'COMPANY', sourceIds: []})`, { id }),
    );
    try {
      expect((await execute(ahead, query, { id })).data.organization).toEqual({ id, owners: [] });
    } finally {
      await ahead.db.write((q) => q('MATCH (n:Record {id: $id}) DETACH DELETE n', { id }));
    }
  });
});
