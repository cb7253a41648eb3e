/**
 * ?view=screen[&policy=ID][&asOf=]: paste or upload a customer list (one name or id per line, or a CSV whose
 * first column is the name), screen it against policies, read the verdicts, export them as CSV.
 */
import { gql } from '../api';
import { badge, h, percent, title } from '../dom';
import { href, type Route } from '../route';

interface Policies {
  policies: { nodes: Array<{ id: string; name: string }> };
}
interface ScreenData {
  screen: {
    asOf: string;
    summary: {
      total: number;
      matched: number;
      ambiguous: number;
      notFound: number;
      covered: number;
      possiblyCovered: number;
    };
    results: Array<{
      input: string;
      status: string;
      score: number | null;
      matchedName: string | null;
      match: { id: string; name: string } | null;
      candidates: Array<{ matched: string }>;
      verdicts: Array<{
        policy: { id: string; name: string };
        verdict: string;
        share: { lower: number; upper: number };
        reason: string;
      }>;
    }>;
  };
}

const SCREEN = /* GraphQL */ `
  query Screen($names: [String!], $ids: [ID!], $policies: [ID!]!, $asOf: Date) {
    screen(customers: { names: $names, ids: $ids }, policies: $policies, asOf: $asOf) {
      asOf
      summary {
        total
        matched
        ambiguous
        notFound
        covered
        possiblyCovered
      }
      results {
        input
        status
        score
        matchedName
        match {
          id
          name
        }
        candidates {
          matched
        }
        verdicts {
          policy {
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
  }
`;

/** One customer per line; for CSV, the first column (quotes removed); a header line named "name" is skipped. */
export function parseCustomerList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const first = line.match(/^\s*"((?:[^"]|"")*)"|^([^,]*)/);
      return (first?.[1]?.replace(/""/g, '"') ?? first?.[2] ?? '').trim();
    })
    .filter((name, i) => name && !(i === 0 && /^(name|customer|company)$/i.test(name)));
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function screenView(route: Route): Promise<HTMLElement[]> {
  const { policies } = await gql<Policies>('{ policies(first: 100) { nodes { id name } } }');
  const list = h('textarea', {
    id: 'customers',
    rows: 8,
    cols: 50,
    placeholder: 'ByteDance\nTikTok Pte. Ltd.\norg:anthropic',
  });
  const file = h('input', { id: 'customer-file', type: 'file', accept: '.csv,.txt,text/csv,text/plain' });
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void f.text().then((t) => (list.value = parseCustomerList(t).join('\n')));
  });
  const selected = new Set(route.policy ? [route.policy] : policies.nodes.slice(0, 1).map((p) => p.id));
  const boxes = policies.nodes.map((p) =>
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', value: p.id, checked: selected.has(p.id) }),
      ` ${p.name}`,
    ),
  );
  const asOf = h('input', { id: 'screen-as-of', type: 'date', value: route.asOf ?? '' });
  const output = h('div', { id: 'screen-output', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'screen-form' },
    h('label', { for: 'customers' }, 'Customers, one name or id per line'),
    list,
    h('label', { for: 'customer-file' }, 'or upload a list (CSV: first column; or plain text)'),
    file,
    h('fieldset', {}, h('legend', {}, 'Policies'), boxes),
    h('label', { for: 'screen-as-of' }, 'As of (empty: today)'),
    asOf,
    h('button', { type: 'submit' }, 'Screen'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lines = parseCustomerList(list.value);
    const ids = lines.filter((l) => /^[a-z]+:[^\s]+$/.test(l));
    const names = lines.filter((l) => !ids.includes(l));
    const chosen = boxes
      .map((b) => b.querySelector('input')!)
      .filter((i) => i.checked)
      .map((i) => i.value);
    output.replaceChildren(h('p', {}, `Screening ${lines.length} customers…`));
    gql<ScreenData>(SCREEN, { names, ids, policies: chosen, asOf: asOf.value || null }).then(
      (data) => output.replaceChildren(...results(data, asOf.value || undefined)),
      (error: Error) => output.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message)),
    );
  });
  return [title('Screen a customer list'), form, output];
}

function results(data: ScreenData, asOf: string | undefined): HTMLElement[] {
  const s = data.screen;
  const rows = s.results.flatMap((r) =>
    r.verdicts.length > 0
      ? r.verdicts.map((v) => ({ r, v }))
      : [{ r, v: null as ScreenData['screen']['results'][number]['verdicts'][number] | null }],
  );
  const csv = [
    ['input', 'status', 'matched', 'id', 'policy', 'verdict', 'lower', 'upper', 'reason'].join(','),
    ...rows.map(({ r, v }) =>
      [
        r.input,
        r.status,
        r.matchedName ?? '',
        r.match?.id ?? '',
        v?.policy.name ?? '',
        v?.verdict ?? '',
        v?.share.lower ?? '',
        v?.share.upper ?? '',
        v?.reason ?? '',
      ]
        .map((x) => csvCell(String(x)))
        .join(','),
    ),
  ].join('\n');
  const download = h(
    'a',
    {
      class: 'button',
      href: URL.createObjectURL(new Blob([csv + '\n'], { type: 'text/csv' })),
      download: `screening-${s.asOf}.csv`,
    },
    'Export CSV',
  );
  return [
    h(
      'p',
      { class: 'summary' },
      `${s.summary.total} screened on ${s.asOf}: ${s.summary.matched} matched, ${s.summary.ambiguous} ambiguous, ${s.summary.notFound} not found; `,
      `${s.summary.covered} covered, ${s.summary.possiblyCovered} possibly covered. `,
      download,
    ),
    h(
      'table',
      { class: 'screen-results' },
      h('caption', {}, 'Screening results'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Input', 'Match', 'Policy', 'Verdict', 'Share', 'Reason'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(({ r, v }) =>
          h(
            'tr',
            {},
            h('td', {}, r.input),
            h(
              'td',
              {},
              r.match ? h('a', { href: href({ entity: r.match.id, asOf }) }, r.match.name) : badge(r.status),
              r.status === 'AMBIGUOUS' ? ` (${r.candidates.map((c) => c.matched).join(', ')})` : '',
            ),
            h('td', {}, v?.policy.name ?? ''),
            h(
              'td',
              {},
              v
                ? h('a', { href: href({ entity: r.match!.id, policy: v.policy.id, asOf }) }, badge(v.verdict))
                : '',
            ),
            h('td', {}, v ? percent(v.share) : ''),
            h('td', {}, v?.reason ?? ''),
          ),
        ),
      ),
    ),
  ];
}
