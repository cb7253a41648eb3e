import { MATCH_SCORE, scoreCandidate, tokenise } from '../reasoning/nameMatch';
import { identifierKey, isUniqueKey } from '../model/identifier';
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
  /** A unique identifier another entity of this same import already holds: the file names one entity twice. */
  | { status: 'DUPLICATE'; id: string; key: string }
  | { status: 'NEW' };

export interface Evidence {
  /** The record this import derived for the party earlier, when it exists (a rerun). */
  own: NodeRow | null;
  /** Records holding any of the party's identifiers. */
  byIdentifier: NodeRow[];
  /** Full-text candidates for its name. */
  byName: NodeRow[];
  /** The import asking, to tell a record another entity of the same file wrote from one to merge into. */
  importing?: ImportingEvidence;
}

/**
 * What an import knows of the records it wrote itself, without keeping them: they cite its source, the ids
 * it derives start with its reader's prefix, and a reader whose references carry a key (FtM, GLEIF) gave
 * that key to every record it wrote or merged into. Only a format without one (BODS, CSV) names the records
 * its parties were merged into, from the merges it keeps for pass 2 anyway (in the journal beside the checkpoint
 * too, so a resumed import decides as the uninterrupted one).
 */
export interface ImportingEvidence {
  sourceId: string;
  /** The id this import derives for the party (`org:ftm-…`). */
  derivedId: string;
  /** The prefixes of the ids this import derives (`org:ftm-`, `person:ftm-`). */
  derivedPrefixes: readonly string[];
  /** The key every reference to this party carries (FtM `OPENSANCTIONS:id`), when the format has one. */
  refKey?: string;
  /** The local id of the party of this import that was merged into a record, when one was (BODS, CSV). */
  mergedFrom?: (recordId: string) => string | undefined;
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
  const duplicate = evidence.importing ? duplicateIn(party, evidence.byIdentifier, evidence.importing) : null;
  if (duplicate) return duplicate;
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

/**
 * A unique identifier of the party held by a record that another entity of this import wrote: the same
 * refusal, whatever the batch it falls in, as two such entities in one batch get. Issue 13 lists duplicate
 * identifiers among the bad files; deciding it from the stored records keeps the outcome independent of
 * batch size (and of a resume from a checkpoint) without a table of the keys seen that grows with the file.
 * A record is another entity's when it cites this import's source and is not this party's: neither the id
 * derived for it, nor (with a reference key) one holding its key, nor (without) the one it was merged into.
 */
function duplicateIn(
  party: IncomingParty,
  holders: NodeRow[],
  importing: ImportingEvidence,
): Resolution | null {
  const uniqueKeys = new Set(party.identifiers.map(identifierKey).filter(isUniqueKey));
  for (const row of holders) {
    if (row.id === importing.derivedId || !(row.sourceIds ?? []).includes(importing.sourceId)) continue;
    const held = (row.identifiers as string[] | undefined) ?? [];
    const key = held.find((k) => uniqueKeys.has(k));
    if (!key) continue;
    const derivedForAnother = importing.derivedPrefixes.some((p) => row.id.startsWith(p));
    const anotherEntity = importing.refKey
      ? !held.includes(importing.refKey)
      : (importing.mergedFrom?.(row.id) ?? party.localId) !== party.localId;
    if (derivedForAnother || anotherEntity) return { status: 'DUPLICATE', id: row.id, key };
  }
  return null;
}

/** A name as the words screening compares, legal forms set aside, in order. */
function nameWords(name: string): string {
  return tokenise(name).words.join(' ');
}
