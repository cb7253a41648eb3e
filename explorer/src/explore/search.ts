/** Full-text search as you type (debounced), over organizations, persons, models and policies. */
import { gql } from './api';
import { h } from './dom';
import { href, navigate } from './route';

interface Hit {
  score: number;
  matched: string;
  node: { __typename: string; id: string; name?: string };
}

const SEARCH = /* GraphQL */ `
  query Search($text: String!) {
    search(text: $text, types: [ORGANIZATION, PERSON, MODEL, POLICY], first: 10) {
      score
      matched
      node {
        __typename
        id
        ... on Party {
          name
        }
        ... on AIModel {
          name
        }
        ... on Policy {
          name
        }
      }
    }
  }
`;

function linkFor(node: Hit['node']): string {
  switch (node.__typename) {
    case 'AIModel':
      return href({ model: node.id });
    case 'Policy':
      return href({ policy: node.id });
    default:
      return href({ entity: node.id });
  }
}

const KIND: Record<string, string> = {
  AIModel: 'model',
  Policy: 'policy',
  Organization: 'organization',
  Person: 'person',
};

export function attachSearch(form: HTMLFormElement, input: HTMLInputElement, list: HTMLUListElement): void {
  let timer: number | undefined;
  let asked = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  };
  const run = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    if (text.length < 2) return close();
    // The API escapes wildcards but keeps fuzzy terms, so while typing each word is asked fuzzily
    // ("bytedan" finds ByteDance); a ~ typed by the user is kept as typed.
    const query = text.includes('~')
      ? text
      : text
          .split(/\s+/)
          .map((w) => (w.length >= 4 ? `${w}~` : w))
          .join(' ');
    const hits = await gql<{ search: Hit[] }>(SEARCH, { text: query }).then(
      (d) => d.search,
      () => [] as Hit[],
    );
    if (mine !== asked) return;
    list.replaceChildren(
      ...(hits.length === 0
        ? [h('li', { class: 'empty' }, `Nothing matches “${text}”.`)]
        : hits.map((hit) =>
            h(
              'li',
              { role: 'option' },
              h(
                'a',
                { href: linkFor(hit.node) },
                hit.node.name ?? hit.matched,
                h('small', {}, ` ${KIND[hit.node.__typename] ?? ''} · ${hit.node.id}`),
              ),
            ),
          )),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void run(), 200);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      list.querySelector('a')?.focus();
    }
  });
  list.addEventListener('keydown', (event) => {
    const links = [...list.querySelectorAll('a')];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'ArrowDown') links[Math.min(i + 1, links.length - 1)]?.focus();
    else if (event.key === 'ArrowUp') (i <= 0 ? input : links[i - 1]!).focus();
    else if (event.key === 'Escape') {
      close();
      input.focus();
    } else return;
    event.preventDefault();
  });
  list.addEventListener('click', () => close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const first = list.querySelector('a');
    if (first) {
      close();
      navigate(first.getAttribute('href')!);
    } else void run();
  });
}
