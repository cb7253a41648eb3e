import { MATCH_SCORE, scoreCandidate, tokenise } from '../reasoning/nameMatch';
import type { NodeRow } from '../records/rows';
import type { IncomingParty } from './incoming';

/**
 * Entity resolution on import, as a pure decision over what the database answered: an identifier first,
 * then the name (scored by the same normaliser and scorer as screening) together with the country. Only an
 * unambiguous answer merges; anything else goes to the review list, never silently onto a record.
 */
export type Resolution =
  | { status: 'OWN'; id: string }
  | { status: 'MATCHED'; id: string; by: 'identifier' | 'name and country' }
  | { status: 'AMBIGUOUS'; candidates: string[]; reason: string }
  | { status: 'NEW' };

export interface Evidence {
  /** The record this import derived for the party earlier, when it exists (a rerun). */
  own: NodeRow | null;
  /** Records holding any of the party's identifiers. */
  byIdentifier: NodeRow[];
  /** Full-text candidates for its name. */
  byName: NodeRow[];
}

const COUNTRY_FIELDS = {
  Organization: ['headquarters', 'incorporation'],
  Person: ['nationality', 'residence'],
} as const;

function countriesOf(label: IncomingParty['label'], record: Record<string, unknown>): Set<string> {
  return new Set(
    COUNTRY_FIELDS[label].map((f) => record[f]).filter((c): c is string => typeof c === 'string' && c !== ''),
  );
}

export function resolveParty(party: IncomingParty, evidence: Evidence): Resolution {
  if (evidence.own) return { status: 'OWN', id: evidence.own.id };
  const holders = [...new Set(evidence.byIdentifier.map((r) => r.id))];
  if (holders.length === 1) return { status: 'MATCHED', id: holders[0]!, by: 'identifier' };
  if (holders.length > 1) {
    return {
      status: 'AMBIGUOUS',
      candidates: holders.sort(),
      reason: `its identifiers are held by ${holders.length} different records`,
    };
  }
  const mine = countriesOf(party.label, party.fields);
  const names = [party.name, ...(party.aliases ?? [])];
  const mineAsWords = new Set(names.map(nameWords));
  const scored = evidence.byName
    .filter((row) => row._label === party.label)
    .map((row) => {
      const candidate = {
        id: row.id,
        name: row.name as string,
        aliases: (row.aliases as string[] | undefined) ?? [],
        score: 0,
      };
      const score = Math.max(...names.map((n) => scoreCandidate(n, candidate).score));
      // The same name: the same words once legal forms are set aside ("Kazan Drones" is "Kazan Drones JSC").
      const sameName = [candidate.name, ...candidate.aliases].some((n) => mineAsWords.has(nameWords(n)));
      const theirs = countriesOf(party.label, row);
      const sameCountry = [...mine].some((c) => theirs.has(c));
      return { id: row.id, score, sameName, sameCountry, knownCountries: mine.size > 0 && theirs.size > 0 };
    })
    .filter((c) => c.score >= MATCH_SCORE);
  if (scored.length === 0) return { status: 'NEW' };
  // Same name (score 1 on the normalised name or an alias) and the same country: the one safe merge.
  const exact = scored.filter((c) => c.sameName && c.sameCountry);
  if (exact.length === 1 && scored.filter((c) => c.sameCountry).length === 1) {
    return { status: 'MATCHED', id: exact[0]!.id, by: 'name and country' };
  }
  // A same-named record in another country is another entity (a Delaware "Acme Inc." is not Acme of Beijing).
  if (scored.every((c) => c.knownCountries && !c.sameCountry)) return { status: 'NEW' };
  const candidates = scored.map((c) => c.id).sort();
  const reason =
    exact.length > 1
      ? `${exact.length} records have this name and country`
      : scored.some((c) => c.sameName)
        ? 'a record has this name but its country is unknown or not confirmed'
        : 'records have a similar name but not the same one';
  return { status: 'AMBIGUOUS', candidates, reason };
}

/** A name as the words screening compares, legal forms set aside, in order. */
function nameWords(name: string): string {
  return tokenise(name).words.join(' ');
}
