/**
 * The API key the explorer sends, when the server needs one (READS_REQUIRE_ROLE=reader) or the person wants to
 * read as their own role. It is kept in this tab's sessionStorage only: gone when the tab closes, never in a URL,
 * never in localStorage where other tabs and later sessions would find it.
 */
const STORAGE_KEY = 'aeg.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode with storage off): the key lasts until the page is left.
  }
}

/** The request headers that carry the stored key, if there is one. */
export function credentialHeaders(): Record<string, string> {
  const key = storedKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}
