/**
 * Every view is a URL: /explore?entity=…&asOf=…, ?entity=…&policy=… (a verdict), ?policy=…, ?model=…&customer=…,
 * ?view=screen. Links are real links (open in a new tab, copy, share); navigation within the page uses
 * history.pushState so Back works.
 */
export const PARAMS = ['view', 'entity', 'policy', 'model', 'customer', 'asOf'] as const;
export type Param = (typeof PARAMS)[number];
export type Route = Partial<Record<Param, string>>;

export function currentRoute(): Route {
  const search = new URLSearchParams(window.location.search);
  const route: Route = {};
  for (const p of PARAMS) {
    const v = search.get(p);
    if (v) route[p] = v;
  }
  return route;
}

export function href(route: Route): string {
  const search = new URLSearchParams();
  for (const p of PARAMS) if (route[p]) search.set(p, route[p]);
  const s = search.toString();
  return s ? `/explore?${s}` : '/explore';
}

let onNavigate: () => void = () => undefined;

export function setNavigationHandler(handler: () => void): void {
  onNavigate = handler;
  window.addEventListener('popstate', handler);
  // Same-page links navigate without a reload; modified clicks (new tab) keep the browser's behaviour.
  document.addEventListener('click', (event) => {
    const a = (event.target as Element | null)?.closest?.('a');
    if (
      !a ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey
    ) {
      return;
    }
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== '/explore' || a.target) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}

export function navigate(to: string | Route, replace = false): void {
  const url = typeof to === 'string' ? to : href(to);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  onNavigate();
}
