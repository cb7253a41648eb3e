/**
 * Not public API: the questions of the peer benchmark, each in our dialect and in @neo4j/graphql's
 * (bench/peerTypeDefs.ts), with a canonical form of each answer so that the two can be checked equal before
 * anything is timed. Edge lists are sorted by edge id and nulls dropped, since neither API promises an order
 * of relationships; ids of the edges are always selected (the peer's Cypher for a relationship to an interface
 * uses UNION, not UNION ALL, and merges two edges whose selected fields are equal: selecting the edge id keeps
 * them apart).
 */
import type { Query } from '../src/db/database';
import { int } from '../src/db/database';

export type Variables = Record<string, unknown>;

export interface Question {
  name: string;
  /** What it asks, for the table. */
  title: string;
  ours: string;
  peer: string;
  /** Sets of variables to cycle through (the same for both dialects). */
  inputs(query: Query, count: number): Promise<Variables[]>;
  /** The answer in one form for both dialects. */
  canonicalOurs(data: unknown): unknown;
  canonicalPeer(data: unknown): unknown;
}

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const byId = (a: Obj, b: Obj) => String(a.id).localeCompare(String(b.id));

/** Drops nulls and empty share objects, so `share { exact: null }` and a missing property read the same. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v);
      if (c === null || c === undefined) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return value;
}

const SHARE_KEYS = ['exact', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
const PEER_SHARE = `shareExact shareMinimum shareMaximum shareExclusiveMinimum shareExclusiveMaximum`;
const OUR_SHARE = `share { ${SHARE_KEYS.join(' ')} }`;

/** Our Ownership edge or the peer's edge properties, as {id, share, startDate, endDate}. */
function ownership(edge: Obj, node: unknown): Obj {
  const share: Obj = {};
  const ours = edge.share as Obj | undefined;
  for (const key of SHARE_KEYS) {
    share[key] = ours ? ours[key] : edge[`share${key[0]!.toUpperCase()}${key.slice(1)}`];
  }
  return { id: edge.id, share, startDate: edge.startDate, endDate: edge.endDate, node };
}

function peerEdges(connection: unknown, node: (n: Obj) => unknown, props: (p: Obj) => Obj): Obj[] {
  const edges = list((connection as Obj | undefined)?.edges);
  return edges.map((e) => ({ ...props(e.properties as Obj), node: node(e.node as Obj) })).sort(byId);
}

async function ids(query: Query, cypher: string, count: number): Promise<string[]> {
  const rows = await query<{ id: string }>(cypher, { count: int(count) });
  if (rows.length === 0) throw new Error(`No inputs for a question: ${cypher}`);
  return rows.map((r) => r.id);
}

/** `count` groups of `size` ids, the groups overlapping when there are fewer than count x size ids. */
function groups(all: string[], size: number, count: number): string[][] {
  const out: string[][] = [];
  for (let g = 0; g < count; g++) {
    const start = (g * size) % all.length;
    const group = [
      ...new Set(
        Array.from({ length: Math.min(size, all.length) }, (_, i) => all[(start + i) % all.length]!),
      ),
    ];
    out.push(group.sort());
  }
  return out;
}

const party = (n: Obj) => ({ type: n.__typename, id: n.id, name: n.name });

export const ORGANIZATION: Question = {
  name: 'organization',
  title: 'one organization with owners and holdings',
  ours: `query One($id: ID!) { organization(id: $id) { id name
    owners { id ${OUR_SHARE} startDate endDate owner { __typename id name } }
    holdings { id ${OUR_SHARE} startDate endDate owned { id name } } } }`,
  peer: `query One($id: ID!) { organizations(where: { id: { eq: $id } }) { id name
    ownersConnection { edges { properties { id ${PEER_SHARE} startDate endDate } node { __typename id name } } }
    holdingsConnection { edges { properties { id ${PEER_SHARE} startDate endDate } node { id name } } } } }`,
  async inputs(query, count) {
    const found = await ids(
      query,
      `MATCH (o:Organization) WHERE EXISTS { (o)<-[:OWNS]-() } AND EXISTS { (o)-[:OWNS]->() }
       RETURN o.id AS id ORDER BY o.id LIMIT $count`,
      count,
    );
    return found.map((id) => ({ id }));
  },
  canonicalOurs(data) {
    const o = (data as Obj).organization as Obj;
    return clean({
      id: o.id,
      name: o.name,
      owners: list(o.owners)
        .map((e) => ownership(e, party(e.owner as Obj)))
        .sort(byId),
      holdings: list(o.holdings)
        .map((e) => ownership(e, { id: (e.owned as Obj).id, name: (e.owned as Obj).name }))
        .sort(byId),
    });
  },
  canonicalPeer(data) {
    const o = list((data as Obj).organizations)[0]!;
    return clean({
      id: o.id,
      name: o.name,
      owners: peerEdges(o.ownersConnection, party, (p) => ownership(p, undefined)),
      holdings: peerEdges(
        o.holdingsConnection,
        (n) => ({ id: n.id, name: n.name }),
        (p) => ownership(p, undefined),
      ),
    });
  },
};

const MODELS = 'models { id name }';
export const ORGANIZATIONS: Question = {
  name: 'organizations50',
  title: '50 organizations, two levels of owners and their models',
  ours: `query Fifty($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { id name ${MODELS}
    owners { id share { exact } owner { __typename id name ... on Organization { ${MODELS}
      owners { id share { exact } owner { __typename id name } } } } } } } }`,
  peer: `query Fifty($ids: [ID!]!) { organizations(where: { id: { in: $ids } }, sort: [{ id: ASC }]) { id name ${MODELS}
    ownersConnection { edges { properties { id shareExact } node { __typename id name ... on Organization { ${MODELS}
      ownersConnection { edges { properties { id shareExact } node { __typename id name } } } } } } } } }`,
  async inputs(query, count) {
    const found = await ids(
      query,
      `MATCH (o:Organization) WHERE EXISTS { (o)<-[:OWNS]-() } RETURN o.id AS id ORDER BY o.id LIMIT $count`,
      count * 50,
    );
    return groups(found, 50, count).map((g) => ({ ids: g }));
  },
  canonicalOurs(data) {
    const level = (o: Obj, depth: number): Obj => ({
      id: o.id,
      name: o.name,
      models: list(o.models).sort(byId),
      owners:
        depth === 0
          ? undefined
          : list(o.owners)
              .map((e) => {
                const n = e.owner as Obj;
                const node = n.__typename === 'Organization' && depth > 1 ? level(n, depth - 1) : party(n);
                return { id: e.id, exact: (e.share as Obj).exact, node: { ...node, type: n.__typename } };
              })
              .sort(byId),
    });
    return clean(
      list((data as Obj).nodes)
        .map((o) => level(o, 2))
        .sort(byId),
    );
  },
  canonicalPeer(data) {
    const level = (o: Obj, depth: number): Obj => ({
      id: o.id,
      name: o.name,
      models: list(o.models).sort(byId),
      owners:
        depth === 0
          ? undefined
          : peerEdges(
              o.ownersConnection,
              (n) => ({
                ...(n.__typename === 'Organization' && depth > 1 ? level(n, depth - 1) : party(n)),
                type: n.__typename,
              }),
              (p) => ({ id: p.id, exact: p.shareExact }),
            ),
    });
    return clean(
      list((data as Obj).organizations)
        .map((o) => level(o, 2))
        .sort(byId),
    );
  },
};

const derivation = (inner: string) => `derivedFrom { id method basis parent { id name ${inner} } }`;
const peerDerivation = (inner: string) =>
  `derivedFromConnection { edges { properties { id method basis } node { id name ${inner} } } }`;
export const LINEAGE: Question = {
  name: 'lineage',
  title: '20 models, three levels of lineage',
  ours: `query Lineage($ids: [ID!]!) { nodes(ids: $ids) { ... on AIModel { id name
    ${derivation(derivation(derivation('')))} } } }`,
  peer: `query Lineage($ids: [ID!]!) { models(where: { id: { in: $ids } }, sort: [{ id: ASC }]) { id name
    ${peerDerivation(peerDerivation(peerDerivation('')))} } }`,
  async inputs(query, count) {
    const found = await ids(
      query,
      `MATCH (m:AIModel) WHERE EXISTS { (m)-[:DERIVED_FROM]->() } RETURN m.id AS id ORDER BY m.id LIMIT $count`,
      count * 20,
    );
    return groups(found, 20, count).map((g) => ({ ids: g }));
  },
  canonicalOurs(data) {
    const model = (m: Obj): Obj => ({
      id: m.id,
      name: m.name,
      derivedFrom: list(m.derivedFrom)
        .map((d) => ({ id: d.id, method: d.method, basis: d.basis, node: model(d.parent as Obj) }))
        .sort(byId),
    });
    return clean(
      list((data as Obj).nodes)
        .map(model)
        .sort(byId),
    );
  },
  canonicalPeer(data) {
    const model = (m: Obj): Obj => ({
      id: m.id,
      name: m.name,
      derivedFrom: peerEdges(m.derivedFromConnection, model, (p) => ({
        id: p.id,
        method: p.method,
        basis: p.basis,
      })),
    });
    return clean(
      list((data as Obj).models)
        .map(model)
        .sort(byId),
    );
  },
};

/**
 * Top-10 full-text hits. Hits of equal score may be cut at the tenth place differently by the two APIs (ours
 * breaks ties by id, the peer does not say), so the canonical form is the scores in order and the ids of the
 * hits scoring above the lowest score listed.
 */
function topHits(hits: Array<{ id: unknown; score: number }>): unknown {
  const scores = hits.map((h) => Math.round(h.score * 1e6) / 1e6).sort((a, b) => b - a);
  const lowest = scores.at(-1);
  const above = hits.filter((h) => Math.round(h.score * 1e6) / 1e6 !== lowest).map((h) => String(h.id));
  return { scores, above: above.sort() };
}

export const SEARCH: Question = {
  name: 'search',
  title: 'full-text search, top 10 organizations',
  ours: `query Find($text: String!) { search(text: $text, types: [ORGANIZATION], first: 10) {
    score node { ... on Organization { id name } } } }`,
  peer: `query Find($text: String!) { organizationsByName(phrase: $text, first: 10) { edges { score node { id name } } } }`,
  async inputs(query, count) {
    // Names that are plain words: our API escapes Lucene syntax, the peer passes the phrase through as is.
    const rows = await query<{ name: string }>(
      `MATCH (o:Organization) WHERE o.name =~ '[A-Za-z0-9 ]+' AND NOT o.name =~ '.*\\\\b(AND|OR|NOT)\\\\b.*'
       RETURN o.name AS name ORDER BY o.id LIMIT $count`,
      { count: int(count) },
    );
    return rows.map((r) => ({ text: r.name }));
  },
  canonicalOurs(data) {
    return topHits(
      list((data as Obj).search).map((h) => ({ id: (h.node as Obj).id, score: h.score as number })),
    );
  },
  canonicalPeer(data) {
    return topHits(
      list(((data as Obj).organizationsByName as Obj).edges).map((h) => ({
        id: (h.node as Obj).id,
        score: h.score as number,
      })),
    );
  },
};

export const QUESTIONS: readonly Question[] = [ORGANIZATION, ORGANIZATIONS, LINEAGE, SEARCH];
