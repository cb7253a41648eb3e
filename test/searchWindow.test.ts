import type { Database } from '../src/db/database';
import { searchNames } from '../src/queries/search';
import type { Label } from '../src/records/vocabulary';
import { resetDatabase, testDatabase } from './support/database';

/**
 * Search asks the full-text index for its top hits only (src/queries/search.ts), not every match: the answer
 * must be the one reading every match and ordering it by score, then id, would give, except which of many
 * records tied at the last place are returned. Each case builds its own names out of words no other test uses,
 * and checks the answer against every match read from the index and sorted here.
 */

let db: Database;

interface Hit {
  id: string;
  score: number;
}

/** Every match of `text` of the given labels, best first and equal scores by id: what the answer is held to. */
async function everyMatchSorted(text: string, labels: readonly Label[] | null): Promise<Hit[]> {
  const rows = await db.readRows<Hit & { labels: string[] }>(
    `CALL db.index.fulltext.queryNodes('record_names', $text) YIELD node, score
     RETURN node.id AS id, labels(node) AS labels, score`,
    { text },
  );
  return rows
    .filter((r) => labels === null || r.labels.some((l) => labels.includes(l as Label)))
    .map(({ id, score }) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function search(text: string, labels: readonly Label[] | null, first: number): Promise<Hit[]> {
  const hits = await db.read((query) => searchNames(query, text, labels, first));
  return hits.map(({ row, score }) => ({ id: row.id, score }));
}

/** Creates records of one label with the given names (ids from the names), for the index to find. */
async function create(label: 'Organization' | 'Person', names: string[]): Promise<void> {
  await db.write((query) =>
    query(
      `UNWIND $names AS name
       CREATE (n:Record {id: $prefix + replace(toLower(name), ' ', '-'), name: name, aliasText: ''})
       SET n:$($label)`,
      { names, label, prefix: label === 'Organization' ? 'org:' : 'person:' },
    ),
  );
}

const numbered = (stem: string, count: number) => Array.from({ length: count }, (_, i) => `${stem} ${i}`);

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  // "Quillwort": one record named by the word alone (the best score), five with "Fen" too, then 700 tied
  // organizations ("Quillwort N", two words each, so equal scores), and persons with longer names (lower
  // scores) that rank after all of them.
  await create('Organization', ['Quillwort', ...numbered('Quillwort Fen', 5), ...numbered('Quillwort', 700)]);
  await create('Person', numbered('Quillwort Amber Birch Cedar', 3));
  // "Sedgeling": 100 tied organizations, then persons ranked after them.
  await create('Organization', numbered('Sedgeling', 100));
  await create('Person', numbered('Sedgeling Amber Birch Cedar', 4));
});

afterAll(async () => {
  await db?.close();
});

describe('Search reads the index’s top hits, and answers as reading every match would', () => {
  it('answers by score, then id, when the ties at the cut fit in the hits the index returns', async () => {
    const expected = (await everyMatchSorted('Quillwort Fen', null)).slice(0, 3);
    // The three best are three of the five "Fen" records, cut among equal scores: the smallest ids win.
    expect(new Set(expected.map((h) => h.score)).size).toBe(1);
    expect(await search('Quillwort Fen', null, 3)).toEqual(expected);
  });

  it('answers every match, ordered, when there are fewer than the index is asked for', async () => {
    const expected = await everyMatchSorted('Fen', ['Organization']);
    expect(expected).toHaveLength(5);
    expect(await search('Fen', ['Organization'], 10)).toEqual(expected);
  });

  it('with more ties at the cut than it asks the index for, keeps every better hit and fills up from the ties', async () => {
    const every = await everyMatchSorted('Quillwort', ['Organization']);
    const answer = await search('Quillwort', ['Organization'], 10);
    expect(answer).toHaveLength(10);
    const cut = answer[answer.length - 1]!.score;
    // 700 records tie at the cut, far more than the index is asked for.
    expect(every.filter((h) => h.score === cut)).toHaveLength(700);
    const better = every.filter((h) => h.score > cut);
    expect(better.length).toBeGreaterThan(0);
    expect(answer.slice(0, better.length)).toEqual(better);
    const ties = answer.slice(better.length);
    expect(ties.every((h) => h.score === cut)).toBe(true);
    expect(ties.map((h) => h.id)).toEqual([...ties.map((h) => h.id)].sort());
    expect(ties.every((t) => every.some((h) => h.id === t.id))).toBe(true);
    // The same question gets the same answer.
    expect(await search('Quillwort', ['Organization'], 10)).toEqual(answer);
  });

  it('finds the type asked for when better hits of other types fill the index’s first answer', async () => {
    // 100 organizations rank before the persons: the first window (40) holds none, a wider one all.
    const expected = await everyMatchSorted('Sedgeling', ['Person']);
    expect(expected).toHaveLength(4);
    expect(await search('Sedgeling', ['Person'], 2)).toEqual(expected.slice(0, 2));
  });

  it('reads every match when even the widest window holds none of the type asked for', async () => {
    // 706 organizations rank before the persons: wider than the second window (640), so every match is read.
    const expected = await everyMatchSorted('Quillwort', ['Person']);
    expect(expected).toHaveLength(3);
    expect(await search('Quillwort', ['Person'], 10)).toEqual(expected);
  });
});
