/**
 * The explorer at /explore: reads the view from the URL, asks the GraphQL API, draws. Errors are shown on the
 * page (and marked for the browser tests with data-state="error"), never a blank page.
 */
import './style.css';
import { CredentialsNeeded } from './api';
import { attachKeyControl, askForKey } from './keyControl';
import { h } from './dom';
import { currentRoute, navigate, setNavigationHandler, type Route } from './route';
import { attachSearch } from './search';
import { entityView } from './views/entity';
import { homeView } from './views/home';
import { modelView } from './views/model';
import { policyView } from './views/policy';
import { screenView } from './views/screen';
import { verdictView } from './views/verdict';

const main = document.getElementById('main')!;

function viewFor(route: Route): Promise<HTMLElement[]> | HTMLElement[] {
  if (route.view === 'screen') return screenView(route);
  if (route.entity && route.policy)
    return verdictView({ ...route, entity: route.entity, policy: route.policy });
  if (route.entity) return entityView({ ...route, entity: route.entity });
  if (route.model) return modelView({ ...route, model: route.model });
  if (route.policy) return policyView({ ...route, policy: route.policy });
  return homeView();
}

let rendering = 0;
async function render(): Promise<void> {
  const mine = ++rendering;
  const route = currentRoute();
  window.__graphs = {};
  main.setAttribute('data-state', 'loading');
  main.setAttribute('aria-busy', 'true');
  try {
    const children = await viewFor(route);
    if (mine !== rendering) return;
    main.replaceChildren(...children);
    const heading = main.querySelector('h1')?.textContent;
    document.title = heading ? `${heading} · AI Exposure Graph` : 'Explorer · AI Exposure Graph';
    main.setAttribute('data-state', 'ready');
  } catch (error) {
    if (mine !== rendering) return;
    main.replaceChildren(
      h('h1', {}, 'Could not show this view'),
      h('p', { class: 'error', role: 'alert' }, (error as Error).message),
      h('p', {}, h('a', { href: '/explore' }, 'Back to the start')),
    );
    main.setAttribute('data-state', 'error');
    if (error instanceof CredentialsNeeded) askForKey();
  } finally {
    main.removeAttribute('aria-busy');
  }
}

setNavigationHandler(() => void render());
window.addEventListener('explorer:navigate', (event) => navigate((event as CustomEvent<string>).detail));
attachSearch(
  document.getElementById('search-form') as HTMLFormElement,
  document.getElementById('search') as HTMLInputElement,
  document.getElementById('search-results') as HTMLUListElement,
);
attachKeyControl(() => void render());
void render();
