/** A small element builder: enough DOM for the views without a framework. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A heading with a sub-line, used at the top of every view. */
export function title(text: string, sub?: Child): HTMLElement {
  return h('div', { class: 'title' }, h('h1', {}, text), sub ? h('p', { class: 'sub' }, sub) : null);
}

export function sourcesList(sources: Array<{ url: string; title?: string | null }>): HTMLElement {
  return h(
    'span',
    { class: 'sources' },
    sources.map((s, i) =>
      h('a', { href: s.url, target: '_blank', rel: 'noopener', title: s.title ?? s.url }, `[${i + 1}]`),
    ),
  );
}

/** Verdicts and decisions are shown as words with an icon, never by colour alone. */
export function badge(value: string): HTMLElement {
  const icon: Record<string, string> = {
    COVERED: '■',
    POSSIBLY_COVERED: '◩',
    NOT_COVERED: '□',
    BLOCKED: '⛔',
    UNCERTAIN: '?',
    ALLOWED: '✓',
    MATCHED: '✓',
    AMBIGUOUS: '?',
    NOT_FOUND: '✗',
  };
  return h('span', { class: `badge badge-${value}` }, `${icon[value] ?? ''} ${value.replace(/_/g, ' ')}`);
}

export function percent(b: { lower: number; upper: number }): string {
  const f = (x: number) => `${Number(x.toFixed(2))}%`;
  return b.lower === b.upper ? f(b.lower) : `${f(b.lower)}–${f(b.upper)}`;
}
