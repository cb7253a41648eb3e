/** Form controls shared by the views; each changes the URL, so the view it produces can be shared. */
import { h } from './dom';
import { navigate, type Route } from './route';

/** The as-of date: empty means today (the server's default). */
export function asOfControl(route: Route): HTMLElement {
  const input = h('input', { id: 'as-of', type: 'date', value: route.asOf ?? '' });
  input.addEventListener('change', () => navigate({ ...route, asOf: input.value || undefined }));
  const today = h('button', { type: 'button' }, 'Today');
  today.addEventListener('click', () => navigate({ ...route, asOf: undefined }));
  return h('div', { class: 'control' }, h('label', { for: 'as-of' }, 'As of'), input, today);
}

/** A field that takes an id (org:…, model:…, policy:…) and sets it on the route. */
export function idControl(
  route: Route,
  param: 'customer' | 'policy' | 'entity',
  label: string,
  placeholder: string,
): HTMLElement {
  const id = `ctl-${param}`;
  const input = h('input', { id, type: 'text', value: route[param] ?? '', placeholder, size: 34 });
  const form = h(
    'form',
    { class: 'control' },
    h('label', { for: id }, label),
    input,
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate({ ...route, [param]: input.value.trim() || undefined });
  });
  return form;
}
