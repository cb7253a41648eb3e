/**
 * Deciding whether a name from a customer list matches one record: an exact match of a name or alias
 * (ignoring case, punctuation and spacing) wins; two records matching equally well are AMBIGUOUS and
 * flagged, never guessed; a fuzzy best hit counts only when it clearly outscores the next.
 */
export interface Candidate {
  id: string;
  name: string;
  aliases: string[];
  score: number;
}

export type MatchStatus = 'MATCHED' | 'AMBIGUOUS' | 'NOT_FOUND';

export interface NameMatch {
  status: MatchStatus;
  match: Candidate | null;
  matchedName: string | null;
  candidates: Candidate[];
}

/** A fuzzy best hit must score this many times the runner-up to count as a match. */
export const CLEAR_MARGIN = 2;

export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[.,'"()&/\\-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function matchName(input: string, candidates: readonly Candidate[]): NameMatch {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  if (sorted.length === 0) return { status: 'NOT_FOUND', match: null, matchedName: null, candidates: [] };
  const wanted = normaliseName(input);
  const exact = sorted
    .map((c) => ({ c, name: [c.name, ...c.aliases].find((n) => normaliseName(n) === wanted) }))
    .filter((x): x is { c: Candidate; name: string } => x.name !== undefined);
  if (exact.length === 1)
    return { status: 'MATCHED', match: exact[0]!.c, matchedName: exact[0]!.name, candidates: sorted };
  if (exact.length > 1)
    return { status: 'AMBIGUOUS', match: null, matchedName: null, candidates: exact.map((x) => x.c) };
  const [best, next] = sorted;
  // A full-text hit on one generic word ("Unknown Customer 17" → "Clean Customer Inc.") is no match, however
  // far it outscores the rest: the best hit must carry at least half of the words asked for.
  if (!sharesMostWords(best!, wanted))
    return { status: 'NOT_FOUND', match: null, matchedName: null, candidates: sorted };
  if (!next || best!.score >= CLEAR_MARGIN * next.score) {
    return { status: 'MATCHED', match: best!, matchedName: closestName(best!, wanted), candidates: sorted };
  }
  return { status: 'AMBIGUOUS', match: null, matchedName: null, candidates: sorted };
}

function sharesMostWords(c: Candidate, wanted: string): boolean {
  const words = wanted.split(' ');
  if (words.length < 2) return true;
  const hits = Math.max(
    ...[c.name, ...c.aliases].map((n) => words.filter((w) => normaliseName(n).includes(w)).length),
  );
  return hits * 2 >= words.length;
}

function closestName(c: Candidate, wanted: string): string {
  const words = wanted.split(' ');
  const names = [c.name, ...c.aliases];
  const hits = (n: string) => words.filter((w) => normaliseName(n).includes(w)).length;
  return names.reduce((best, n) => (hits(n) > hits(best) ? n : best), c.name);
}
