/**
 * ?model=ID[&customer=ID][&asOf=]: the model's lineage as a DAG (declared derivations solid, alleged ones dashed,
 * labelled "alleged" and linked to the allegation) and, for a customer, the access matrix: each channel
 * offering the model against each policy in force that covers it.
 */
import { gql } from '../api';
import { asOfControl, idControl } from '../controls';
import { badge, h, sourcesList, title } from '../dom';
import { drawGraph, type GraphEdge, type GraphNode } from '../graph';
import { href, type Route } from '../route';

interface Derivation {
  id: string;
  method: string;
  basis: 'DECLARED' | 'ALLEGED';
  child: { id: string };
  parent: { id: string };
  sources: Array<{ url: string; title: string }>;
  allegation: {
    id: string;
    title: string;
    status: string;
    date: string;
    response: string | null;
    accusers: Array<{ name: string }>;
    sources: Array<{ url: string; title: string }>;
  } | null;
}
interface LineageData {
  model: { id: string; name: string; openWeights: boolean; developer: { id: string; name: string } } | null;
  lineage: {
    nodes: Array<{
      depth: number;
      side: string;
      model: { id: string; name: string; developer: { name: string } };
    }>;
    edges: Derivation[];
  };
}
interface AccessData {
  accessCheck: {
    decision: string;
    customer: { name: string };
    channels: Array<{
      channel: { id: string; name: string; kind: string };
      decision: string;
      enforceable: boolean;
      note: string;
      policies: Array<{ policy: { id: string; name: string }; decision: string; reason: string }>;
    }>;
  };
}

const LINEAGE = /* GraphQL */ `
  query Lineage($id: ID!, $asOf: Date) {
    model(id: $id) {
      id
      name
      openWeights
      developer {
        id
        name
      }
    }
    lineage(model: $id, direction: BOTH, asOf: $asOf) {
      nodes {
        depth
        side
        model {
          id
          name
          developer {
            name
          }
        }
      }
      edges {
        id
        method
        basis
        child {
          id
        }
        parent {
          id
        }
        sources {
          url
          title
        }
        allegation {
          id
          title
          status
          date
          response
          accusers {
            name
          }
          sources {
            url
            title
          }
        }
      }
    }
  }
`;
const ACCESS = /* GraphQL */ `
  query Access($customer: ID!, $model: ID!, $asOf: Date) {
    accessCheck(customer: $customer, model: $model, asOf: $asOf) {
      decision
      customer {
        name
      }
      channels {
        channel {
          id
          name
          kind
        }
        decision
        enforceable
        note
        policies {
          policy {
            id
            name
          }
          decision
          reason
        }
      }
    }
  }
`;

export async function modelView(route: Route & { model: string }): Promise<HTMLElement[]> {
  const [lineage, access] = await Promise.all([
    gql<LineageData>(LINEAGE, { id: route.model, asOf: route.asOf ?? null }),
    route.customer
      ? gql<AccessData>(ACCESS, { customer: route.customer, model: route.model, asOf: route.asOf ?? null })
      : Promise.resolve(null),
  ]);
  const m = lineage.model;
  if (!m) return [title('Not found', `No model has the id ${route.model}.`)];
  const names = new Map(lineage.lineage.nodes.map((n) => [n.model.id, n.model.name]));
  const nodes: GraphNode[] = lineage.lineage.nodes.map((n) => ({
    id: n.model.id,
    label: `${n.model.name}\n${n.model.developer.name}`,
    classes: ['model', ...(n.model.id === m.id ? ['focus'] : [])],
    href: href({ model: n.model.id, customer: route.customer, asOf: route.asOf }),
  }));
  const edges: GraphEdge[] = lineage.lineage.edges.map((d) => {
    const method = d.method.replace(/_/g, ' ').toLowerCase();
    const alleged = d.basis === 'ALLEGED';
    return {
      id: d.id,
      source: d.parent.id,
      target: d.child.id,
      label: alleged ? `alleged ${method}` : method,
      classes: [alleged ? 'alleged' : 'declared'],
      description: `${names.get(d.child.id) ?? d.child.id} ${alleged ? 'allegedly derived' : 'derived'} from ${names.get(d.parent.id) ?? d.parent.id} by ${method}${d.allegation ? ` (${d.allegation.title}, ${d.allegation.status.toLowerCase()})` : ''}`,
    };
  });
  const graph = drawGraph(
    'lineage',
    `Lineage of ${m.name}: parents above, derived models below; alleged derivations dashed`,
    nodes,
    edges,
    h(
      'ul',
      { class: 'legend' },
      h('li', {}, '—— declared derivation'),
      h('li', {}, '- - - alleged derivation (see the allegations below)'),
    ),
  );
  const allegations = lineage.lineage.edges.filter((d) => d.allegation);
  const allegationList = h(
    'section',
    { class: 'allegations', 'aria-label': 'Allegations' },
    h('h2', {}, 'Allegations behind dashed edges'),
    allegations.length === 0
      ? h('p', {}, 'None: every derivation shown is declared by its developer.')
      : null,
    h(
      'ul',
      {},
      allegations.map((d) =>
        h(
          'li',
          { id: `allegation-${d.allegation!.id}`, 'data-derivation': d.id },
          h('strong', {}, d.allegation!.title),
          ` (${d.allegation!.date}, ${d.allegation!.status.toLowerCase()}), by ${d.allegation!.accusers.map((a) => a.name).join(', ')}. `,
          d.allegation!.response ? `Response: ${d.allegation!.response} ` : '',
          sourcesList(d.allegation!.sources),
        ),
      ),
    ),
  );
  return [
    title(
      m.name,
      h(
        'span',
        {},
        'by ',
        h('a', { href: href({ entity: m.developer.id, asOf: route.asOf }) }, m.developer.name),
        m.openWeights ? ' · open weights' : '',
      ),
    ),
    h(
      'div',
      { class: 'controls' },
      asOfControl(route),
      idControl(route, 'customer', 'Customer', 'org:bytedance'),
    ),
    graph.element,
    allegationList,
    access
      ? accessMatrix(access, m.name)
      : h('p', { class: 'hint' }, 'Choose a customer to see the access matrix (channels by policies).'),
  ];
}

function accessMatrix(data: AccessData, model: string): HTMLElement {
  const a = data.accessCheck;
  const policies = new Map<string, string>();
  for (const c of a.channels) for (const p of c.policies) policies.set(p.policy.id, p.policy.name);
  const policyIds = [...policies.keys()];
  return h(
    'section',
    { class: 'access', 'aria-label': 'Access matrix' },
    h('h2', {}, `Can ${a.customer.name} use ${model}? `, badge(a.decision)),
    h(
      'table',
      { class: 'matrix' },
      h('caption', {}, 'Channels (rows) by policies in force that cover the model (columns)'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Channel'),
          h('th', { scope: 'col' }, 'Overall'),
          policyIds.map((id) => h('th', { scope: 'col' }, policies.get(id))),
        ),
      ),
      h(
        'tbody',
        {},
        a.channels.map((c) =>
          h(
            'tr',
            { 'data-channel': c.channel.id },
            h(
              'th',
              { scope: 'row' },
              `${c.channel.name} (${c.channel.kind.replace(/_/g, ' ').toLowerCase()})`,
              c.enforceable ? '' : ' — not enforceable',
            ),
            h('td', { title: c.note }, badge(c.decision)),
            policyIds.map((id) => {
              const p = c.policies.find((x) => x.policy.id === id);
              return h('td', { 'data-policy': id, title: p?.reason ?? '' }, p ? badge(p.decision) : '—');
            }),
          ),
        ),
      ),
    ),
  );
}
