import type { Params, Query } from '../../db/database';
import { fetchConnections } from '../connections';
import { fetchLineage } from '../lineageSubgraph';
import {
  fetchAccessReads,
  fetchCoveringPolicies,
  fetchModelsCovered,
  fetchOpenWeightsAvailable,
} from '../modelAccess';
import { fetchDownstream, fetchUpstream } from '../ownershipSubgraph';
import { fetchPolicyRules } from '../policyRules';
import {
  allegationFilter,
  channelFilter,
  fetchSuspendedPolicyIds,
  modelFilter,
  organizationFilter,
  policyFilter,
} from '../recordFilters';
import { countRecords, fetchCountries, fetchRecordPage } from '../recordPages';
import {
  fetchDerivationsByAllegation,
  fetchLinked,
  fetchRecords,
  fetchRelationships,
  isDatabaseEmpty,
} from '../records';
import { searchNames, searchPartiesByNames } from '../search';

/**
 * The Cypher each question sends, with its parameters, as inline snapshots (as @neo4j/graphql's TCK tests
 * do): a reworded query, a changed plan hint or a new parameter shows up in review as a diff here.
 * Lines are trimmed so that re-indenting a template does not count as a change.
 */
async function sent(
  ask: (query: Query) => Promise<unknown>,
): Promise<Array<{ cypher: string; params: Params }>> {
  const calls: Array<{ cypher: string; params: Params }> = [];
  const query = (cypher: string, params: Params = {}) => {
    calls.push({
      cypher: cypher
        .split('\n')
        .map((line) => line.trim())
        .join('\n'),
      params,
    });
    return Promise.resolve([]);
  };
  await ask(query);
  return calls;
}

describe('Cypher sent by queries/', () => {
  it('asks whether the database is empty, stopping at the first record', async () => {
    expect(await sent(isDatabaseEmpty)).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (n:Record) WITH n LIMIT 1 RETURN count(n) AS found",
         "params": {},
       },
     ]
    `);
  });

  it('loads records by id', async () => {
    expect(await sent((q) => fetchRecords(q, ['org:a', 'org:b']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (n:Record) WHERE n.id IN $ids RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row",
         "params": {
           "ids": [
             "org:a",
             "org:b",
           ],
         },
       },
     ]
    `);
  });

  it('loads the relationships of one type at a batch of records, in either direction', async () => {
    expect(await sent((q) => fetchRelationships(q, 'OWNS', 'IN', ['org:a']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (k:Record)<-[r:OWNS]-(n:Record) WHERE k.id IN $ids
     RETURN k.id AS key, r {.*, _from: n.id, _to: k.id} AS edge, n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS other
     ORDER BY r.startDate, r.id",
         "params": {
           "ids": [
             "org:a",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchRelationships(q, 'OFFERS', 'OUT', ['channel:a']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (k:Record)-[r:OFFERS]->(n:Record) WHERE k.id IN $ids
     RETURN k.id AS key, r {.*, _from: k.id, _to: n.id} AS edge, n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS other
     ORDER BY r.startDate, r.id",
         "params": {
           "ids": [
             "channel:a",
           ],
         },
       },
     ]
    `);
  });

  it('loads linked records and derivations by allegation', async () => {
    expect(await sent((q) => fetchLinked(q, 'DEVELOPED_BY', 'IN', ['org:a']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (k:Record)<-[r:DEVELOPED_BY]-(n:Record) WHERE k.id IN $ids
     RETURN k.id AS key, n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS other ORDER BY n.id",
         "params": {
           "ids": [
             "org:a",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchDerivationsByAllegation(q, ['allegation:a']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (c:Record)-[r:DERIVED_FROM]->(p:Record) WHERE r.allegation IN $ids
     RETURN r.allegation AS key, r {.*, _from: c.id, _to: p.id} AS edge
     ORDER BY r.startDate, r.id",
         "params": {
           "ids": [
             "allegation:a",
           ],
         },
       },
     ]
    `);
  });

  it('searches names, and a customer list of names in one query', async () => {
    expect(await sent((q) => searchNames(q, 'Byte Dance~', ['Organization'], 5))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "CALL db.index.fulltext.queryNodes('record_names', $text, {limit: $window}) YIELD node AS n, score
     WITH count(*) AS found,
     collect(CASE WHEN $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels) THEN {n: n, score: score} END) AS kept
     CALL (kept) {
     UNWIND kept AS hit
     WITH hit.n AS n, hit.score AS score ORDER BY score DESC, n.id LIMIT $first
     RETURN collect({row: n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}, score: score}) AS hits
     }
     RETURN found, hits",
         "params": {
           "first": Integer {
             "high": 0,
             "low": 5,
           },
           "labels": [
             "Organization",
           ],
           "text": "Byte Dance~",
           "window": Integer {
             "high": 0,
             "low": 40,
           },
         },
       },
     ]
    `);
    expect(await sent((q) => searchPartiesByNames(q, ['TikTok (US)', 'Alibaba']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "UNWIND range(0, size($queries) - 1) AS i
     CALL (i) {
     CALL db.index.fulltext.queryNodes('record_names', $queries[i], {limit: $limit}) YIELD node AS n, score
     WHERE n:Organization OR n:Person
     RETURN collect({row: n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}, score: score}) AS hits
     }
     RETURN i, hits",
         "params": {
           "limit": Integer {
             "high": 0,
             "low": 10,
           },
           "queries": [
             "TikTok \\(US\\)",
             "Alibaba",
           ],
         },
       },
     ]
    `);
  });

  it('pages and counts a filtered list of records', async () => {
    const filter = organizationFilter({
      country: 'CN',
      countryBasis: 'EITHER',
      types: ['AI_LAB'],
      nameContains: 'a',
    });
    expect(await sent((q) => fetchRecordPage(q, 'Organization', filter, 'org:a', 21))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (n:Organization) WHERE (n.headquarters = $country OR n.incorporation = $country) AND n.type IN $types AND toLower(n.name) CONTAINS toLower($nameContains)
     WITH n WHERE $after IS NULL OR n.id > $after
     RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row ORDER BY n.id LIMIT $limit",
         "params": {
           "after": "org:a",
           "country": "CN",
           "limit": Integer {
             "high": 0,
             "low": 21,
           },
           "nameContains": "a",
           "types": [
             "AI_LAB",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => countRecords(q, 'Organization', filter))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (n:Organization) WHERE (n.headquarters = $country OR n.incorporation = $country) AND n.type IN $types AND toLower(n.name) CONTAINS toLower($nameContains) RETURN count(n) AS total",
         "params": {
           "country": "CN",
           "nameContains": "a",
           "types": [
             "AI_LAB",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchCountries(q))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (n:Country) RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row ORDER BY n.code",
         "params": {},
       },
     ]
    `);
  });

  it('builds the filters of every list', () => {
    expect(organizationFilter({ country: 'CN', countryBasis: 'HEADQUARTERS' })).toMatchInlineSnapshot(`
     {
       "params": {
         "country": "CN",
       },
       "where": [
         "n.headquarters = $country",
       ],
     }
    `);
    expect(organizationFilter({})).toMatchInlineSnapshot(`
     {
       "params": {},
       "where": [],
     }
    `);
    expect(
      modelFilter({
        developer: 'org:a',
        family: 'F',
        openWeights: false,
        architecture: 'DENSE',
        releasedFrom: '2025-01-01',
        releasedTo: '2025-12-31',
      }),
    ).toMatchInlineSnapshot(`
     {
       "params": {
         "architecture": "DENSE",
         "developer": "org:a",
         "family": "F",
         "openWeights": false,
         "releasedFrom": "2025-01-01",
         "releasedTo": "2025-12-31",
       },
       "where": [
         "n.developer = $developer",
         "n.family = $family",
         "n.openWeights = $openWeights",
         "n.architecture = $architecture",
         "n.releaseDate >= $releasedFrom",
         "n.releaseDate <= $releasedTo",
       ],
     }
    `);
    expect(
      allegationFilter({
        accuser: 'org:a',
        accused: 'org:b',
        model: 'model:m',
        kinds: ['DISTILLATION'],
        statuses: ['ALLEGED'],
        from: '2025-01-01',
        to: '2025-12-31',
      }),
    ).toMatchInlineSnapshot(`
     {
       "params": {
         "accused": "org:b",
         "accuser": "org:a",
         "from": "2025-01-01",
         "kinds": [
           "DISTILLATION",
         ],
         "model": "model:m",
         "statuses": [
           "ALLEGED",
         ],
         "to": "2025-12-31",
       },
       "where": [
         "$accuser IN n.accusers",
         "$accused IN n.accused",
         "($model IN coalesce(n.accusedModels, []) OR $model IN coalesce(n.sourceModels, []))",
         "n.kind IN $kinds",
         "n.status IN $statuses",
         "n.date >= $from",
         "n.date <= $to",
       ],
     }
    `);
    expect(channelFilter({ kinds: ['CONSUMER_APP'], operator: 'org:a' })).toMatchInlineSnapshot(`
     {
       "params": {
         "kinds": [
           "CONSUMER_APP",
         ],
         "operator": "org:a",
       },
       "where": [
         "n.kind IN $kinds",
         "n.operator = $operator",
       ],
     }
    `);
    expect(
      policyFilter({
        kinds: ['SANCTIONS'],
        issuer: 'org:ofac',
        inForceOn: { day: '2026-01-01', suspended: ['policy:s'] },
      }),
    ).toMatchInlineSnapshot(`
     {
       "params": {
         "day": "2026-01-01",
         "issuer": "org:ofac",
         "kinds": [
           "SANCTIONS",
         ],
         "suspended": [
           "policy:s",
         ],
       },
       "where": [
         "n.kind IN $kinds",
         "n.issuer = $issuer",
         "(n.effectiveFrom IS NULL OR $day >= n.effectiveFrom) AND (n.effectiveUntil IS NULL OR $day <= n.effectiveUntil) AND (n.rescindedOn IS NULL OR $day < n.rescindedOn) AND NOT n.id IN $suspended",
       ],
     }
    `);
  });

  it('reads policies: suspensions, rules with designations', async () => {
    expect(await sent((q) => fetchSuspendedPolicyIds(q, '2026-01-01'))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (n:Policy) WHERE n.suspensionsJson IS NOT NULL RETURN n.id AS id, n.suspensionsJson AS suspensionsJson",
         "params": {},
       },
     ]
    `);
    expect(await sent((q) => fetchPolicyRules(q, ['policy:a']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (p:Record:Policy) WHERE p.id IN $ids
     OPTIONAL MATCH (p)-[d:DESIGNATES]->(e)
     RETURN p {.*} AS policy, collect(CASE WHEN d IS NULL THEN null ELSE d {.*, entityId: e.id} END) AS designations",
         "params": {
           "ids": [
             "policy:a",
           ],
         },
       },
     ]
    `);
  });

  it('fetches the ownership subgraph upstream of entities and downstream of a policy’s roots', async () => {
    expect(await sent((q) => fetchUpstream(q, ['org:a']))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (start:Record) WHERE start.id IN $ids AND (start:Organization OR start:Person)
     MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)
     WITH DISTINCT x

     OPTIONAL MATCH (x)<-[r:OWNS|CONTROLS]-(o)
     WITH x, r, o, properties(r) AS p
     WITH x, collect(CASE WHEN r IS NOT NULL THEN
     [o.id, p.id, type(r) = 'OWNS', p.shareExact, p.shareMinimum, p.shareMaximum, p.shareExclusiveMinimum,
     p.shareExclusiveMaximum, p.shareUnknown, p.startDate, p.endDate, p.sourceIds, p.basis,
     p.startDatePrecision, p.endDatePrecision] END) AS incoming
     WITH x, incoming, properties(x) AS q
     WITH collect([q.id, q.name, x:Person, coalesce(q.headquarters, q.residence), coalesce(q.incorporation, q.nationality),
     incoming]) AS rows

     UNWIND range(0, size(rows) - 1, 1000) AS i
     RETURN rows[i..i + 1000] AS chunk",
         "params": {
           "ids": [
             "org:a",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchUpstream(q, ['org:a'], { stamped: true }))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (start:Record) WHERE start.id IN $ids AND (start:Organization OR start:Person)
     MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)
     WITH DISTINCT x

     OPTIONAL MATCH (x)<-[r:OWNS|CONTROLS]-(o)
     WITH x, r, o, properties(r) AS p
     WITH x, collect(CASE WHEN r IS NOT NULL THEN
     [o.id, p.id, type(r) = 'OWNS', p.shareExact, p.shareMinimum, p.shareMaximum, p.shareExclusiveMinimum,
     p.shareExclusiveMaximum, p.shareUnknown, p.startDate, p.endDate, p.sourceIds, p.basis,
     p.startDatePrecision, p.endDatePrecision] END) AS incoming
     WITH x, incoming, properties(x) AS q
     WITH collect([q.id, q.name, x:Person, coalesce(q.headquarters, q.residence), coalesce(q.incorporation, q.nationality),
     incoming]) AS rows
     CALL () {
     OPTIONAL MATCH (g:GraphVersion {key: $versionKey})
     RETURN g.counter AS version, toString(g.changedAt) AS changedAt ORDER BY version DESC LIMIT 1
     }
     UNWIND range(0, size(rows) - 1, 1000) AS i
     RETURN rows[i..i + 1000] AS chunk, version, changedAt",
         "params": {
           "ids": [
             "org:a",
           ],
           "versionKey": "graph",
         },
       },
     ]
    `);
    expect(await sent((q) => fetchDownstream(q, { designated: ['org:a'], targets: ['CN'], basis: 'EITHER' })))
      .toMatchInlineSnapshot(`
     [
       {
         "cypher": "CALL () {
     MATCH (n:Record) WHERE n.id IN $designated RETURN n
     UNION
     MATCH (n:Organization) WHERE n.headquarters IN $targets OR n.incorporation IN $targets RETURN n
     UNION
     MATCH (n:Person) WHERE n.residence IN $targets OR n.nationality IN $targets RETURN n
     }
     MATCH (n)-[:OWNS|CONTROLS*0..]->(x)
     WITH DISTINCT x

     OPTIONAL MATCH (x)<-[r:OWNS|CONTROLS]-(o)
     WITH x, r, o, properties(r) AS p
     WITH x, collect(CASE WHEN r IS NOT NULL THEN
     [o.id, p.id, type(r) = 'OWNS', p.shareExact, p.shareMinimum, p.shareMaximum, p.shareExclusiveMinimum,
     p.shareExclusiveMaximum, p.shareUnknown, p.startDate, p.endDate, p.sourceIds, p.basis,
     p.startDatePrecision, p.endDatePrecision] END) AS incoming
     WITH x, incoming, properties(x) AS q
     WITH collect([q.id, q.name, x:Person, coalesce(q.headquarters, q.residence), coalesce(q.incorporation, q.nationality),
     incoming]) AS rows
     UNWIND range(0, size(rows) - 1, 1000) AS i
     RETURN rows[i..i + 1000] AS chunk",
         "params": {
           "designated": [
             "org:a",
           ],
           "targets": [
             "CN",
           ],
         },
       },
     ]
    `);
  });

  it('fetches model lineage, offers and the policies that cover models', async () => {
    expect(await sent((q) => fetchLineage(q, ['model:a'], 'BOTH'))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (m:Record:AIModel) WHERE m.id IN $ids
     CALL (m) { MATCH (m)-[:DERIVED_FROM*0..]->(x) RETURN DISTINCT x
     UNION
     MATCH (m)<-[:DERIVED_FROM*0..]-(x) RETURN DISTINCT x }
     WITH DISTINCT x
     OPTIONAL MATCH (x)-[d:DERIVED_FROM]->(p)
     RETURN x.id AS id, x.name AS name, x.developer AS developer,
     collect(CASE WHEN d IS NULL THEN null ELSE d {.*, parent: p.id} END) AS parents",
         "params": {
           "ids": [
             "model:a",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchAccessReads(q, [{ customer: 'org:a', model: 'model:a' }])))
      .toMatchInlineSnapshot(`
     [
       {
         "cypher": "CALL () {
     UNWIND range(0, size($customers) - 1) AS i
     CALL (i) {
     OPTIONAL MATCH (start:Record {id: $customers[i]}) WHERE start:Organization OR start:Person
     MATCH (start)<-[:OWNS|CONTROLS*0..]-(x)
     WITH DISTINCT x

     OPTIONAL MATCH (x)<-[r:OWNS|CONTROLS]-(o)
     WITH x, r, o, properties(r) AS p
     WITH x, collect(CASE WHEN r IS NOT NULL THEN
     [o.id, p.id, type(r) = 'OWNS', p.shareExact, p.shareMinimum, p.shareMaximum, p.shareExclusiveMinimum,
     p.shareExclusiveMaximum, p.shareUnknown, p.startDate, p.endDate, p.sourceIds, p.basis,
     p.startDatePrecision, p.endDatePrecision] END) AS incoming
     WITH x, incoming, properties(x) AS q
     WITH collect([q.id, q.name, x:Person, coalesce(q.headquarters, q.residence), coalesce(q.incorporation, q.nationality),
     incoming]) AS rows
     RETURN rows
     }
     RETURN collect({i: i, rows: rows}) AS upstreams
     }
     CALL () {
     UNWIND range(0, size($models) - 1) AS i
     OPTIONAL MATCH (m:Record:AIModel {id: $models[i]})
     CALL (m) {
     OPTIONAL MATCH (n:AccessChannel)-[o:OFFERS]->(m)
     WITH m, n, o ORDER BY n.id, o.id
     RETURN collect(CASE WHEN o IS NULL THEN null
     ELSE {offering: o {.*, _from: n.id, _to: m.id}, channel: n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}} END) AS offers
     }
     CALL (m) {
     MATCH (p:Policy)
     WHERE m.id IN coalesce(p.coversModels, []) OR m.developer IN coalesce(p.coversDevelopers, [])
     WITH p.id AS policyId ORDER BY policyId
     RETURN collect(policyId) AS policyIds
     }
     RETURN collect({i: i, found: m IS NOT NULL, offers: offers, policyIds: policyIds}) AS models
     }
     CALL () {
     OPTIONAL MATCH (g:GraphVersion {key: $versionKey})
     RETURN g.counter AS version, toString(g.changedAt) AS changedAt ORDER BY version DESC LIMIT 1
     }
     RETURN upstreams, models, version, changedAt",
         "params": {
           "customers": [
             "org:a",
           ],
           "models": [
             "model:a",
           ],
           "versionKey": "graph",
         },
       },
     ]
    `);
    expect(await sent((q) => fetchCoveringPolicies(q, { ids: ['model:a'], developers: ['org:a'] })))
      .toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (p:Policy)
     WHERE CASE WHEN $all THEN size(coalesce(p.coversModels, [])) > 0 OR size(coalesce(p.coversDevelopers, [])) > 0
     ELSE any(id IN coalesce(p.coversModels, []) WHERE id IN $ids)
     OR any(d IN coalesce(p.coversDevelopers, []) WHERE d IN $developers) END
     OPTIONAL MATCH (p)-[d:DESIGNATES]->(e)
     RETURN p {.*} AS policy, collect(CASE WHEN d IS NULL THEN null ELSE d {.*, entityId: e.id} END) AS designations
     ORDER BY policy.id",
         "params": {
           "all": false,
           "developers": [
             "org:a",
           ],
           "ids": [
             "model:a",
           ],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchModelsCovered(q, []))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "UNWIND $reaches AS reach
     CALL (reach) {
     CALL (reach) {
     MATCH (n:Record:AIModel) WHERE n.id IN reach.ids RETURN n
     UNION
     MATCH (n:AIModel) WHERE n.developer IN reach.developers RETURN n
     }
     WITH n ORDER BY n.id
     RETURN collect(n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}) AS models,
     collect([(c:AccessChannel)-[o:OFFERS]->(n) | o {.*, _from: c.id, _to: n.id}]) AS offerings
     }
     RETURN reach.policyId AS policyId, models, offerings",
         "params": {
           "reaches": [],
         },
       },
     ]
    `);
    expect(await sent((q) => fetchOpenWeightsAvailable(q, '2026-01-01'))).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (:AccessChannel {kind: 'OPEN_WEIGHTS_DOWNLOAD'})-[o:OFFERS]->(n:AIModel)
     WHERE (o.startDate IS NULL OR o.startDate <= $asOf) AND (o.endDate IS NULL OR $asOf <= o.endDate)
     WITH DISTINCT n
     RETURN n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]} AS row ORDER BY n.id",
         "params": {
           "asOf": "2026-01-01",
         },
       },
     ]
    `);
  });

  it('finds the shortest connections between two records, with or without country links', async () => {
    expect(
      await sent((q) =>
        fetchConnections(q, { from: 'org:a', to: 'model:b', maxHops: 3, viaCountries: false }),
      ),
    ).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (a:Record {id: $from}), (b:Record {id: $to})
     MATCH p = allShortestPaths((a)-[:OWNS|CONTROLS|DERIVED_FROM|OFFERS|DESIGNATES|DEVELOPED_BY|OPERATED_BY|ISSUED_BY|COVERS_MODELS_OF|COVERS_MODEL|REACHES|ALLEGED_BY|AGAINST|CONCERNS_MODEL|CONCERNS_SOURCE_MODEL*..3]-(b))
     RETURN [n IN nodes(p) | n.id] AS nodeIds,
     [r IN relationships(p) | r {.*, _type: type(r), _from: startNode(r).id, _to: endNode(r).id}] AS rels
     LIMIT 25",
         "params": {
           "from": "org:a",
           "to": "model:b",
         },
       },
     ]
    `);
    expect(
      await sent((q) =>
        fetchConnections(q, { from: 'org:a', to: 'model:b', maxHops: 2, viaCountries: true }),
      ),
    ).toMatchInlineSnapshot(`
     [
       {
         "cypher": "MATCH (a:Record {id: $from}), (b:Record {id: $to})
     MATCH p = allShortestPaths((a)-[:OWNS|CONTROLS|DERIVED_FROM|OFFERS|DESIGNATES|DEVELOPED_BY|OPERATED_BY|ISSUED_BY|COVERS_MODELS_OF|COVERS_MODEL|REACHES|ALLEGED_BY|AGAINST|CONCERNS_MODEL|CONCERNS_SOURCE_MODEL|HEADQUARTERED_IN|INCORPORATED_IN|NATIONAL_OF|RESIDES_IN|TARGETS*..2]-(b))
     RETURN [n IN nodes(p) | n.id] AS nodeIds,
     [r IN relationships(p) | r {.*, _type: type(r), _from: startNode(r).id, _to: endNode(r).id}] AS rels
     LIMIT 25",
         "params": {
           "from": "org:a",
           "to": "model:b",
         },
       },
     ]
    `);
  });
});
