/** The "API key" control in the header: set or forget the key the explorer sends, then draw the view again. */
import { rememberKey, storedKey } from './credentials';

const details = () => document.getElementById('api-key') as HTMLDetailsElement;
const input = () => document.getElementById('api-key-input') as HTMLInputElement;
const state = () => document.getElementById('api-key-state') as HTMLElement;

function showState(): void {
  state().textContent = storedKey()
    ? 'A key is set for this tab.'
    : 'No key: reading as an anonymous client.';
}

export function attachKeyControl(redraw: () => void): void {
  const form = document.getElementById('api-key-form') as HTMLFormElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input().value.trim();
    rememberKey(key || null);
    input().value = '';
    showState();
    details().open = false;
    redraw();
  });
  document.getElementById('api-key-forget')!.addEventListener('click', () => {
    rememberKey(null);
    input().value = '';
    showState();
    redraw();
  });
  showState();
}

/** Opens the control when the server refused the view for want of a key. */
export function askForKey(): void {
  details().open = true;
  showState();
  input().focus();
}
