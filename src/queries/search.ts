import { int, type Query } from '../db/database';
import { NODE_PROJECTION, nodeListProjection, rowOfList } from '../records/projection';
import type { NodeRow } from '../records/rows';
import type { Label } from '../records/vocabulary';

/** Lucene treats + - && || ! ( ) { } [ ] ^ " ~ * ? : \ / as syntax; a user's name must be matched as text. */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/**
 * Escapes a user's text term by term, so no input can make the Lucene parser fail. Kept as syntax: a
 * trailing `~` or `~0`..`~2` after a term (fuzzy match; Lucene refuses edit distances above 2). Upper-case
 * AND, OR and NOT are operators to Lucene ("Procter AND" does not parse); lower-cased they are words.
 */
export function escapeLucene(text: string, keepFuzzy = true): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((term) => {
      if (/^(AND|OR|NOT)$/.test(term)) return term.toLowerCase();
      const fuzzy = keepFuzzy ? /^(.+?)~([0-2])?$/.exec(term) : null;
      const stem = fuzzy?.[1];
      if (fuzzy && stem !== undefined && !stem.endsWith('~'))
        return `${stem.replace(LUCENE_SPECIAL, '\\$&')}~${fuzzy[2] ?? ''}`;
      return term.replace(LUCENE_SPECIAL, '\\$&');
    })
    .join(' ');
}

/**
 * The full-text index refused a text: more terms than Lucene matches at once (its 1024 clauses, counted per
 * indexed property and per fuzzy expansion), or, should escaping ever miss a case, a syntax it cannot parse.
 * The text is the user's input, so the GraphQL layer answers BAD_USER_INPUT naming the argument.
 */
export class SearchTextRefused extends Error {
  constructor(
    readonly reason: 'too-many-terms' | 'unparsable',
    cause: unknown,
  ) {
    super(
      reason === 'too-many-terms'
        ? 'has more words than the full-text index can match at once; use fewer (or fewer fuzzy~ ones)'
        : 'could not be read by the full-text index; remove special characters',
      { cause },
    );
    this.name = 'SearchTextRefused';
  }
}

/** Rethrows a Lucene refusal of the text as SearchTextRefused; anything else as it was. */
function refusedText(error: unknown): never {
  const message = String((error as Error)?.message);
  if (/TooManyClauses|maxClauseCount/i.test(message)) throw new SearchTextRefused('too-many-terms', error);
  if (/ParseException|QueryParser|Cannot parse|Lexical error/i.test(message))
    throw new SearchTextRefused('unparsable', error);
  throw error;
}

export interface NameHit {
  row: NodeRow;
  score: number;
}

/**
 * How many hits the index is asked for at first: WINDOW_PER_HIT per hit wanted, at least MIN_WINDOW. The index
 * then keeps its top `window` by score instead of handing every match to the query (a common word in a large
 * graph matches most names: "Company" matched 90k of the bench's 100k, 31 ms of Neo4j's time to hand them
 * over before a single label was read). A window the type filter empties is widened WIDEN times over, and
 * past MAX_WINDOW the query reads every match.
 */
const WINDOW_PER_HIT = 4;
const MIN_WINDOW = 40;
const WIDEN = 16;
const MAX_WINDOW = 10_000;

/**
 * Records whose name or alias matches `text`, best first, of the given labels (all named labels if null), in
 * the index's top `window`; with `found` (how many the index returned) below `window`, those were all.
 */
function windowedSearch(projection: string): string {
  return `CALL db.index.fulltext.queryNodes('record_names', $text, {limit: $window}) YIELD node AS n, score
     WITH count(*) AS found,
       collect(CASE WHEN $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels) THEN {n: n, score: score} END) AS kept
     CALL (kept) {
       UNWIND kept AS hit
       WITH hit.n AS n, hit.score AS score ORDER BY score DESC, n.id LIMIT $first
       RETURN collect({row: ${projection}, score: score}) AS hits
     }
     RETURN found, hits`;
}

/** Every match, read and ordered: what a window the type filter keeps emptying falls back to. */
function everyMatch(projection: string): string {
  return `CALL db.index.fulltext.queryNodes('record_names', $text) YIELD node AS n, score
     WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)
     RETURN ${projection} AS row, score ORDER BY score DESC, n.id LIMIT $first`;
}

/**
 * Records whose name or alias matches `text`, best first and equal scores by id, of the given labels (all
 * named labels if null). With `properties` (plain names, `id` among them), each record carries those stored
 * properties only.
 *
 * The index is asked for its top hits only (see MIN_WINDOW), so the answer is exact on every hit scored above
 * the lowest score of that window: all of those are in it. Only when more records tie at the last place
 * returned than the window holds is the choice among those ties the index's own (Lucene keeps the first
 * indexed, the same answer while the index is unchanged) rather than the smallest ids: reading every tie to
 * sort it by id would read every match, which is what made a common word slow.
 */
export async function searchNames(
  query: Query,
  text: string,
  labels: readonly Label[] | null,
  first: number,
  properties?: readonly string[],
): Promise<NameHit[]> {
  // The planner projects after the LIMIT: only the `first` records returned are read beyond their id.
  const projection = properties ? nodeListProjection(properties) : NODE_PROJECTION;
  const params = { text: escapeLucene(text), labels, first: int(first) };
  let hits: Array<{ row: unknown; score: number }> | undefined;
  for (let window = Math.max(first * WINDOW_PER_HIT, MIN_WINDOW); !hits; window *= WIDEN) {
    if (window > MAX_WINDOW) {
      hits = await query<{ row: unknown; score: number }>(everyMatch(projection), params).catch(refusedText);
      break;
    }
    const [read] = await query<{ found: number; hits: Array<{ row: unknown; score: number }> }>(
      windowedSearch(projection),
      { ...params, window: int(window) },
    ).catch(refusedText);
    if (!read || read.found < window || read.hits.length >= first) hits = read?.hits ?? [];
  }
  return properties
    ? hits.map(({ row, score }) => ({ row: rowOfList(row as unknown[], properties), score }))
    : (hits as NameHit[]);
}

/**
 * Candidates for every name of a customer list, organizations and persons only, in one query: up to ten
 * per name, in the order of `names`. Fuzzy syntax is not kept: a customer's name is text, never a query.
 */
export async function searchPartiesByNames(query: Query, names: readonly string[]): Promise<NameHit[][]> {
  const rows = await query<{ i: number; hits: NameHit[] }>(
    `UNWIND range(0, size($queries) - 1) AS i
     CALL (i) {
       CALL db.index.fulltext.queryNodes('record_names', $queries[i], {limit: $limit}) YIELD node AS n, score
       WHERE n:Organization OR n:Person
       RETURN collect({row: ${NODE_PROJECTION}, score: score}) AS hits
     }
     RETURN i, hits`,
    { queries: names.map((n) => escapeLucene(n, false)), limit: int(10) },
  ).catch(refusedText);
  const out: NameHit[][] = names.map(() => []);
  for (const r of rows) out[r.i] = r.hits;
  return out;
}
