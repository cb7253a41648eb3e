/** ?entity=ID[&asOf=]: who owns the entity (upward, every level) and what it owns (downward), on a day. */
import { asOfControl, idControl } from '../controls';
import { h, percent, title } from '../dom';
import { countryLegend, drawGraph } from '../graph';
import { fetchOwnership, ownershipGraph } from '../ownership';
import { href, type Route } from '../route';

export async function entityView(route: Route & { entity: string }): Promise<HTMLElement[]> {
  const data = await fetchOwnership(route.entity, route.asOf);
  if (!data.node) return [title('Not found', `No organization or person has the id ${route.entity}.`)];
  const seen = new Map<string, string>();
  const { nodes, edges } = ownershipGraph(data, route, seen);
  const e = data.exposure;
  const org = data.node;
  const sub = [
    org.type ? org.type.replace(/_/g, ' ').toLowerCase() : 'person',
    org.headquarters ? `headquartered in ${org.headquarters.code}` : null,
    org.incorporation ? `incorporated in ${org.incorporation.code}` : null,
    `as of ${e.asOf}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const graph = drawGraph(
    'ownership',
    `Ownership of ${org.name}: owners above, holdings below`,
    nodes,
    edges,
    countryLegend(seen),
  );
  const facts = h(
    'section',
    { class: 'facts', 'aria-label': 'Look-through ownership' },
    h('h2', {}, 'Who stands behind it'),
    h(
      'table',
      {},
      h('caption', {}, 'Ultimate owners (look-through share)'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Owner'), h('th', { scope: 'col' }, 'Share'))),
      h(
        'tbody',
        {},
        e.ultimateOwners.map((u) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: href({ entity: u.party.id, asOf: route.asOf }) }, u.party.name)),
            h('td', {}, percent(u.share)),
          ),
        ),
        h('tr', {}, h('td', {}, 'No known owner'), h('td', {}, percent(e.unknown))),
      ),
    ),
    h(
      'table',
      {},
      h('caption', {}, 'By country of headquarters'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Country'), h('th', { scope: 'col' }, 'Share'))),
      h(
        'tbody',
        {},
        e.countries.map((c) =>
          h('tr', {}, h('td', {}, c.country?.code ?? 'not recorded'), h('td', {}, percent(c.share))),
        ),
      ),
    ),
    idControl(route, 'policy', 'Check against a policy', 'policy:anthropic-unsupported-regions-2025'),
  );
  return [title(org.name, sub), h('div', { class: 'controls' }, asOfControl(route)), graph.element, facts];
}
