/** ?policy=ID[&asOf=]: what the policy says, and every entity it covers or may cover on the day. */
import { gql } from '../api';
import { asOfControl } from '../controls';
import { badge, h, percent, sourcesList, title } from '../dom';
import { href, type Route } from '../route';

interface PolicyData {
  policy: {
    id: string;
    name: string;
    kind: string;
    summary: string;
    effectiveFrom: string | null;
    targets: Array<{ code: string }>;
    ownershipRule: { description: string } | null;
    sources: Array<{ url: string; title: string }>;
  } | null;
  coveredEntities: {
    totalCount: number;
    nodes: Array<{
      party: { id: string; name: string };
      verdict: string;
      share: { lower: number; upper: number };
      reason: string;
    }>;
  } | null;
}

const QUERY = /* GraphQL */ `
  query Policy($id: ID!, $asOf: Date) {
    policy(id: $id) {
      id
      name
      kind
      summary
      effectiveFrom
      targets {
        code
      }
      ownershipRule {
        description
      }
      sources {
        url
        title
      }
    }
    coveredEntities(policy: $id, asOf: $asOf, first: 100) {
      totalCount
      nodes {
        party {
          id
          name
        }
        verdict
        share {
          lower
          upper
        }
        reason
      }
    }
  }
`;

export async function policyView(route: Route & { policy: string }): Promise<HTMLElement[]> {
  const data = await gql<PolicyData>(QUERY, { id: route.policy, asOf: route.asOf ?? null });
  const p = data.policy;
  if (!p) return [title('Not found', `No policy has the id ${route.policy}.`)];
  const covered = data.coveredEntities;
  return [
    title(
      p.name,
      `${p.kind.replace(/_/g, ' ').toLowerCase()} · targets ${p.targets.map((t) => t.code).join(', ') || 'none'}`,
    ),
    h('div', { class: 'controls' }, asOfControl(route)),
    h('p', {}, p.summary, ' ', sourcesList(p.sources)),
    h('p', {}, p.ownershipRule ? `Ownership rule: ${p.ownershipRule.description}.` : 'No ownership rule.'),
    h(
      'table',
      { class: 'covered' },
      h(
        'caption',
        {},
        `Entities covered or possibly covered (${covered?.totalCount ?? 0}; the first 100 shown)`,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Entity', 'Verdict', 'Share', 'Reason'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        (covered?.nodes ?? []).map((c) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('a', { href: href({ entity: c.party.id, policy: p.id, asOf: route.asOf }) }, c.party.name),
            ),
            h('td', {}, badge(c.verdict)),
            h('td', {}, percent(c.share)),
            h('td', {}, c.reason),
          ),
        ),
      ),
    ),
  ];
}
