import { normaliseName, tokenise } from '../reasoning/nameMatch';
import { escapeLucene } from '../queries/search';

/**
 * The full-text query that finds the records an incoming name could be resolved to. Resolution only keeps a
 * candidate the screening scorer gives a positive score (reasoning/nameMatch.ts): the same normalised name,
 * or distinctive words that pair one to one, each within its allowed edits (none up to 4 letters, one up to
 * 8, two beyond). So every distinctive word is REQUIRED, fuzzy by its allowed edits: Lucene intersects the
 * rare words' postings instead of scoring every record that shares "Holding" or "Ltd" with the name, which
 * an OR of the words did (its cost grew with the graph, one such query per incoming party).
 *
 * Only where the index's tokens are the normaliser's words: plain ASCII letters and digits, separated by
 * spaces or hyphens (or followed by "." or ","). Any other name (accents, Han script, "&", "U.S.",
 * apostrophes), or one with many words, keeps the OR of its words, as before.
 */

const MAX_REQUIRED = 8;

function allowedEdits(word: string): number {
  return word.length <= 4 ? 0 : word.length <= 8 ? 1 : 2;
}

/** True when the standard analyzer splits `name` into exactly the normaliser's words. */
function plain(name: string): boolean {
  return /^[A-Za-z0-9\s\-()/]*$/.test(name.replace(/[.,](?=\s|$)/g, ' '));
}

export function nameQuery(name: string): string {
  const fallback = escapeLucene(name, false);
  if (!plain(name)) return fallback;
  const { distinctive } = tokenise(name);
  // No distinctive word: only the same normalised name scores, so every word of it is required, exactly.
  const required =
    distinctive.length > 0
      ? distinctive.map((w) => (allowedEdits(w) > 0 ? `+${w}~${allowedEdits(w)}` : `+${w}`))
      : normaliseName(name)
          .split(' ')
          .filter(Boolean)
          .map((w) => `+${w}`);
  if (required.length === 0 || required.length > MAX_REQUIRED) return fallback;
  return required.join(' ');
}
