/**
 * ?entity=ID&policy=ID[&asOf=]: whether the policy covers the entity, with the explanation paths highlighted on
 * the ownership picture, each step's share, dates and sources, the bounds of both methods and the sentence.
 */
import { gql } from '../api';
import { asOfControl } from '../controls';
import { badge, h, percent, sourcesList, title } from '../dom';
import { countryLegend, drawGraph } from '../graph';
import { dates, fetchOwnership, ownershipGraph } from '../ownership';
import { href, type Route } from '../route';

interface Step {
  kind: string;
  from: { id: string; name: string };
  to: { id: string; name: string };
  share: { display: string } | null;
  basis: string | null;
  startDate: string | null;
  endDate: string | null;
  sources: Array<{ url: string; title: string }>;
  coverageAfter: { lower: number; upper: number };
}
interface VerdictData {
  policyVerdict: {
    verdict: string;
    asOf: string;
    method: string;
    threshold: number;
    thresholdInclusive: boolean;
    entity: { name: string };
    policy: { id: string; name: string; ownershipRule: { description: string } | null };
    policyStatus: { status: string; note: string };
    aggregate: { lower: number; upper: number; verdict: string };
    lookThrough: { lower: number; upper: number; verdict: string };
    explanation: {
      sentence: string;
      capped: boolean;
      rootReason: { kind: string; country: { code: string } | null } | null;
      paths: Array<{
        root: { id: string; name: string };
        rootReason: { kind: string; country: { code: string } | null };
        contribution: { lower: number; upper: number };
        steps: Step[];
      }>;
    };
  };
}

const VERDICT_QUERY = /* GraphQL */ `
  query Verdict($entity: ID!, $policy: ID!, $asOf: Date) {
    policyVerdict(entity: $entity, policy: $policy, asOf: $asOf) {
      verdict
      asOf
      method
      threshold
      thresholdInclusive
      entity {
        name
      }
      policy {
        id
        name
        ownershipRule {
          description
        }
      }
      policyStatus {
        status
        note
      }
      aggregate {
        lower
        upper
        verdict
      }
      lookThrough {
        lower
        upper
        verdict
      }
      explanation {
        sentence
        capped
        rootReason {
          kind
          country {
            code
          }
        }
        paths {
          root {
            id
            name
          }
          rootReason {
            kind
            country {
              code
            }
          }
          contribution {
            lower
            upper
          }
          steps {
            kind
            from {
              id
              name
            }
            to {
              id
              name
            }
            share {
              display
            }
            basis
            startDate
            endDate
            sources {
              url
              title
            }
            coverageAfter {
              lower
              upper
            }
          }
        }
      }
    }
  }
`;

export async function verdictView(route: Route & { entity: string; policy: string }): Promise<HTMLElement[]> {
  const [verdict, ownership] = await Promise.all([
    gql<VerdictData>(VERDICT_QUERY, { entity: route.entity, policy: route.policy, asOf: route.asOf ?? null }),
    fetchOwnership(route.entity, route.asOf),
  ]);
  const v = verdict.policyVerdict;
  const seen = new Map<string, string>();
  const { nodes, edges } = ownershipGraph(ownership, route, seen);
  // A step is highlighted on the picture by its endpoints (a path step is one ownership or control edge).
  const onPath = new Set(v.explanation.paths.flatMap((p) => p.steps.map((s) => `${s.from.id}->${s.to.id}`)));
  const pathNodes = new Set(v.explanation.paths.flatMap((p) => [p.root.id, ...p.steps.map((s) => s.to.id)]));
  for (const e of edges) {
    if (onPath.has(`${e.source}->${e.target}`)) {
      e.classes = [...(e.classes ?? []), 'on-path'];
      e.label = `▶ ${e.label}`;
      e.description = `On the explanation path: ${e.description}`;
    }
  }
  for (const n of nodes) if (pathNodes.has(n.id)) n.classes = [...(n.classes ?? []), 'on-path'];
  const graph = drawGraph(
    'verdict',
    `Explanation paths (thick, marked ▶) for ${v.policy.name} on ${v.entity.name}`,
    nodes,
    edges,
    countryLegend(seen),
  );
  const method = (name: string, m: { lower: number; upper: number; verdict: string }) =>
    h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, percent(m)), h('td', {}, badge(m.verdict)));
  const verdictLine = h(
    'p',
    { class: 'verdict-line' },
    badge(v.verdict),
    ' ',
    h('span', { class: 'sentence' }, v.explanation.sentence),
  );
  const summary = h(
    'section',
    { class: 'verdict', 'aria-label': 'Verdict' },
    h(
      'p',
      {},
      `Policy status on ${v.asOf}: ${v.policyStatus.status.replace(/_/g, ' ').toLowerCase()}. `,
      v.policy.ownershipRule ? `Rule: ${v.policy.ownershipRule.description}. ` : '',
      `Threshold ${v.thresholdInclusive ? '≥' : '>'} ${v.threshold}%, decided by ${v.method.replace('_', '-').toLowerCase()}.`,
    ),
    h(
      'table',
      { class: 'bounds' },
      h('caption', {}, 'Covered share, lower and upper bound'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Method'),
          h('th', { scope: 'col' }, 'Bounds'),
          h('th', { scope: 'col' }, 'Verdict'),
        ),
      ),
      h('tbody', {}, method('Aggregate (OFAC-style)', v.aggregate), method('Look-through', v.lookThrough)),
    ),
  );
  const paths = h(
    'section',
    { class: 'paths', 'aria-label': 'Explanation paths' },
    h(
      'h2',
      {},
      `Explanation paths (${v.explanation.paths.length}${v.explanation.capped ? ', more not listed' : ''})`,
    ),
    v.explanation.paths.length === 0 ? h('p', {}, 'No ownership path contributes.') : null,
    v.explanation.paths.map((p, i) =>
      h(
        'ol',
        { class: 'path', 'aria-label': `Path ${i + 1}`, 'data-path': i },
        h(
          'li',
          {},
          h('a', { href: href({ entity: p.root.id, asOf: route.asOf }) }, p.root.name),
          `: starting point (${p.rootReason.kind.toLowerCase()}${p.rootReason.country ? ` ${p.rootReason.country.code}` : ''}); adds ${percent(p.contribution)}`,
        ),
        p.steps.map((s) =>
          h(
            'li',
            { 'data-step': `${s.from.id}->${s.to.id}` },
            `${s.from.name} → `,
            h('a', { href: href({ entity: s.to.id, policy: route.policy, asOf: route.asOf }) }, s.to.name),
            `: ${s.kind === 'CONTROL' ? `control (${s.basis ?? ''})` : (s.share?.display ?? 'unknown')}`,
            dates(s) ? `, ${dates(s)}` : '',
            `; covered share after this step ${percent(s.coverageAfter)} `,
            sourcesList(s.sources),
          ),
        ),
      ),
    ),
  );
  return [
    title(
      `${v.entity.name} under ${v.policy.name}`,
      h('a', { href: href({ policy: v.policy.id }) }, 'Everything this policy covers'),
    ),
    h(
      'div',
      { class: 'controls' },
      asOfControl(route),
      h('a', { href: href({ entity: route.entity, asOf: route.asOf }) }, 'Entity view'),
    ),
    // The verdict and its picture first; the numbers and the paths in words follow.
    verdictLine,
    graph.element,
    summary,
    paths,
  ];
}
