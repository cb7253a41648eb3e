/**
 * The ownership picture shared by the entity and verdict views: owners upward (from `exposure.owners`, every
 * level) and holdings downward (three levels), each party once, each stake once.
 */
import { gql } from './api';
import { countryColour, type GraphEdge, type GraphNode } from './graph';
import { href, type Route } from './route';

interface Country {
  code: string;
}
interface PartyRef {
  __typename: 'Organization' | 'Person';
  id: string;
  name: string;
  headquarters?: Country | null;
  nationality?: Country | null;
}
export interface Share {
  display: string;
  known: boolean;
  exact: number | null;
}
export interface Stake {
  id: string;
  share: Share;
  startDate: string | null;
  endDate: string | null;
  confidence: string | null;
  sources: Array<{ url: string; title: string }>;
}
interface Holding extends Stake {
  owned: PartyRef & { holdings?: Holding[] };
}
export interface OwnershipData {
  node: (PartyRef & { incorporation?: Country | null; type?: string; holdings?: Holding[] }) | null;
  exposure: {
    asOf: string;
    unknown: { lower: number; upper: number };
    countries: Array<{ country: Country | null; share: { lower: number; upper: number } }>;
    ultimateOwners: Array<{ party: PartyRef; share: { lower: number; upper: number } }>;
    owners: Array<{ depth: number; party: PartyRef; stakes: Array<Stake & { owned: { id: string } }> }>;
    controllers: Array<{
      id: string;
      basis: string;
      controller: PartyRef;
      controlled: { id: string };
      startDate: string | null;
      endDate: string | null;
    }>;
  };
}

const PARTY = `__typename id name ... on Organization { headquarters { code } } ... on Person { nationality { code } }`;
const ORG = `__typename id name headquarters { code }`;
const STAKE = `id share { display known exact } startDate endDate confidence sources { url title }`;

export const OWNERSHIP_QUERY = /* GraphQL */ `
  query Ownership($id: ID!, $asOf: Date) {
    node(id: $id) {
      ... on Party { ${PARTY} holdings(asOf: $asOf) { ${STAKE} owned { ${ORG}
        holdings(asOf: $asOf) { ${STAKE} owned { ${ORG}
          holdings(asOf: $asOf) { ${STAKE} owned { ${ORG} } } } } } } }
      ... on Organization { incorporation { code } type }
    }
    exposure(entity: $id, asOf: $asOf) {
      asOf
      unknown { lower upper }
      countries { country { code } share { lower upper } }
      ultimateOwners { party { ${PARTY} } share { lower upper } }
      owners(maxDepth: 10) { depth party { ${PARTY} } stakes { ${STAKE} owned { id } } }
      controllers { id basis controller { ${PARTY} } controlled { id } startDate endDate }
    }
  }
`;

export function fetchOwnership(id: string, asOf: string | undefined): Promise<OwnershipData> {
  return gql<OwnershipData>(OWNERSHIP_QUERY, { id, asOf: asOf ?? null });
}

function countryOf(p: PartyRef): string | null {
  return p.headquarters?.code ?? p.nationality?.code ?? null;
}

/** "2012-03-09 – " or "– 2020-08-01": the dates a person checks first. */
export function dates(s: { startDate: string | null; endDate: string | null }): string {
  if (!s.startDate && !s.endDate) return '';
  if (!s.endDate) return `since ${s.startDate}`;
  return `${s.startDate ?? '?'} – ${s.endDate}`;
}

function shareClass(share: Share): string {
  if (!share.known) return 'unknown';
  return share.exact === null ? 'range' : 'exact';
}

export function ownershipGraph(
  data: OwnershipData,
  route: Route,
  seen: Map<string, string>,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const names = new Map<string, string>();
  const edges = new Map<string, GraphEdge>();
  const addNode = (p: PartyRef, focus = false) => {
    names.set(p.id, p.name);
    if (nodes.has(p.id)) return;
    const code = countryOf(p);
    nodes.set(p.id, {
      id: p.id,
      label: `${p.name}\n${code ?? 'country not recorded'}`,
      colour: countryColour(code, seen),
      classes: [...(focus ? ['focus'] : []), ...(p.__typename === 'Person' ? ['person'] : [])],
      href: href({ ...route, entity: p.id }),
    });
  };
  const addStake = (owner: string, owned: string, s: Stake) => {
    if (edges.has(s.id)) return;
    const when = dates(s);
    const share = s.share.known ? s.share.display : 'unknown size';
    edges.set(s.id, {
      id: s.id,
      source: owner,
      target: owned,
      label: when ? `${share}\n${when}` : share,
      classes: [shareClass(s.share), ...(s.endDate ? ['ended'] : [])],
      description: '',
    });
  };
  if (!data.node) return { nodes: [], edges: [] };
  addNode(data.node, true);
  for (const o of data.exposure.owners) {
    addNode(o.party);
    for (const s of o.stakes) addStake(o.party.id, s.owned.id, s);
  }
  for (const c of data.exposure.controllers) {
    addNode(c.controller);
    edges.set(c.id, {
      id: c.id,
      source: c.controller.id,
      target: c.controlled.id,
      label: `control: ${c.basis.replace(/_/g, ' ').toLowerCase()}`,
      classes: ['control'],
      description: '',
    });
  }
  const down = (owner: PartyRef, holdings: Holding[] | undefined) => {
    for (const s of holdings ?? []) {
      addNode(s.owned);
      addStake(owner.id, s.owned.id, s);
      down(s.owned, s.owned.holdings);
    }
  };
  down(data.node, data.node.holdings);
  // Descriptions once every name is known (an owner may appear after the stake that names it).
  for (const e of edges.values()) {
    const from = names.get(e.source) ?? e.source;
    const to = names.get(e.target) ?? e.target;
    const [share, when] = e.label.split('\n');
    e.description = e.classes?.includes('control')
      ? `${from} controls ${to} (${share})`
      : `${from} owns ${share} of ${to}${when ? ` (${when})` : ''}`;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
