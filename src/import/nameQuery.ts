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

/**
 * The scorer's edits, except that a word with a digit is asked exactly: "Holding 12345" and "Holding 12346"
 * are two entities, not a typo (the OR of the words asked before never brought them together either).
 */
function allowedEdits(word: string): number {
  if (/\d/.test(word)) return 0;
  return word.length <= 4 ? 0 : word.length <= 8 ? 1 : 2;
}

/** True when the standard analyzer splits `name` into exactly the normaliser's words. */
function plain(name: string): boolean {
  return /^[A-Za-z0-9\s\-()/]*$/.test(name.replace(/[.,](?=\s|$)/g, ' '));
}

/** The required-words query of a plain name; null when the name is not plain (see above). */
export function requiredWordsQuery(name: string): string | null {
  if (!plain(name)) return null;
  const { distinctive } = tokenise(name);
  // No distinctive word: only the same normalised name scores, so every word of it is required, exactly.
  const required =
    distinctive.length > 0
      ? distinctive.map((w) => (allowedEdits(w) > 0 ? `+${w}~${allowedEdits(w)}` : `+${w}`))
      : normaliseName(name)
          .split(' ')
          .filter(Boolean)
          .map((w) => `+${w}`);
  if (required.length === 0 || required.length > MAX_REQUIRED) return null;
  return required.join(' ');
}

/** Names per full-text query when their required-words queries are OR-ed together. */
export const NAMES_PER_QUERY = 50;
/** Candidates kept per name, as the screening search keeps. */
export const CANDIDATES_PER_NAME = 20;

export interface NameLookup {
  /** The Lucene query. */
  text: string;
  /** Hits to ask for. */
  limit: number;
  /** Indexes, in the names given, of the names this query answers for. */
  names: number[];
}

/** The query of one name alone: its required words when plain, else the OR of its words. */
export function oneNameLookup(name: string): { text: string; limit: number } {
  return { text: requiredWordsQuery(name) ?? escapeLucene(name, false), limit: CANDIDATES_PER_NAME };
}

/**
 * The full-text queries that find candidates for a batch of names: plain names' required-words queries
 * OR-ed together by `NAMES_PER_QUERY` (each part matches only its own name's near-namesakes, so one
 * query's hits are the union of theirs, and resolution scores every hit against each of its names); any
 * other name alone, by the OR of its words.
 */
export function nameLookups(names: readonly string[]): NameLookup[] {
  const out: NameLookup[] = [];
  let group: { parts: string[]; names: number[] } = { parts: [], names: [] };
  const close = () => {
    if (group.names.length === 0) return;
    out.push({
      text: group.parts.map((p) => `(${p})`).join(' OR '),
      limit: group.names.length * CANDIDATES_PER_NAME,
      names: group.names,
    });
    group = { parts: [], names: [] };
  };
  names.forEach((name, i) => {
    const required = requiredWordsQuery(name);
    if (required === null) {
      out.push({ ...oneNameLookup(name), names: [i] });
      return;
    }
    group.parts.push(required);
    group.names.push(i);
    if (group.names.length >= NAMES_PER_QUERY) close();
  });
  close();
  return out;
}
