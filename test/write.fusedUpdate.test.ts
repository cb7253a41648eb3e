import type { DataSetFile } from '../src/model/dataset';
import { applyChange } from '../src/write/applyChange';
import { newChangeSet } from '../src/write/changeSet';
import { writeRecords } from '../src/write/writeRecords';
import { baseGraph, useWriteHarness } from './support/writeHarness';

/**
 * Issue 12, the update of a batch in one statement per kind (src/write/writeRecords.ts): it locks, checks
 * that each record is still at the version its unlocked read saw, archives the old version and sets the new
 * one. A write committed between that read and the lock must not be lost: the batch then compares and archives
 * what the other write committed, as a locking read would have given it.
 */

const h = useWriteHarness();
const p = 'fused';
const graph = baseGraph(p);
const src = `src:${p}-filing`;
const stake = graph.ownerships![0]!;
const sub = graph.organizations!.find((o) => o.id === `org:${p}-sub`)!;
const AUTHOR = { id: 'test:fused', name: 'Fused test' };

beforeAll(() => h.load(graph));

const HISTORY = `query($id: ID!) { history(id: $id) { version changeSet { reason } supersededBy { reason } } }`;

/** Holds the locks of what `data` changes in an open write transaction, uncommitted, until `release`. */
async function holdWrite(data: DataSetFile, reason: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let written!: () => void;
  const isWritten = new Promise<void>((resolve) => (written = resolve));
  const done = h.db.write(async (query) => {
    await writeRecords(query, reason, data, newChangeSet(AUTHOR, reason, [src]));
    written();
    await released;
  });
  await isWritten;
  return { release, done };
}

/** A database that resolves `hasRead` once a statement matching `pattern` (the unlocked read) has run. */
function watching(pattern: RegExp) {
  let seen!: () => void;
  const hasRead = new Promise<void>((resolve) => (seen = resolve));
  const db = h.db.observed({
    onQuery(cypher) {
      if (pattern.test(cypher)) seen();
    },
  });
  return { db, hasRead };
}

const UNLOCKED_NODE_READ = /RETURN n\.id AS id, properties\(n\) AS props/;
const UNLOCKED_STAKE_READ = /RETURN r\.id AS id, r \{/;

interface Version {
  version: number;
  changeSet: { reason: string } | null;
  supersededBy: { reason: string } | null;
}

const HISTORY_OF = async (id: string) =>
  ((await h.as('reader', HISTORY, { id })).data.history as Version[]).map((v) => ({
    version: v.version,
    by: v.changeSet?.reason ?? null,
    supersededBy: v.supersededBy?.reason ?? null,
  }));

it.each([
  {
    kind: 'a relationship (a stake)',
    id: stake.id,
    read: UNLOCKED_STAKE_READ,
    change: (tag: string, n: number): DataSetFile => ({ ownerships: [{ ...stake, share: { exact: n } }] }),
  },
  {
    kind: 'a node (an organization)',
    id: sub.id,
    read: UNLOCKED_NODE_READ,
    change: (tag: string): DataSetFile => ({ organizations: [{ ...sub, name: `${p} Sub ${tag}` }] }),
  },
])(
  'archives and builds on the version another write committed between a batch reading $kind and locking it',
  async ({ id, read, change }) => {
    const start = (await HISTORY_OF(id)).length;
    const first = await holdWrite(change('first', 70), 'first');
    const { db, hasRead } = watching(read);
    const second = applyChange(db, { author: AUTHOR, reason: 'second', records: change('second', 80) });
    await hasRead;
    first.release();
    await first.done;
    const outcome = await second;

    expect(outcome).toMatchObject({ written: true, created: 0, updated: 1, unchanged: 0, problems: [] });
    const history = await HISTORY_OF(id);
    expect(history.slice(start - 1)).toEqual([
      { version: start, by: expect.anything(), supersededBy: 'first' },
      { version: start + 1, by: 'first', supersededBy: 'second' },
      { version: start + 2, by: 'second', supersededBy: null },
    ]);
  },
);

it('answers CONFLICT, writing nothing, when the version a batch expects was replaced between its read and its lock', async () => {
  const start = await HISTORY_OF(stake.id);
  const version = start.at(-1)!.version;
  const first = await holdWrite({ ownerships: [{ ...stake, share: { exact: 90 } }] }, 'third');
  const { db, hasRead } = watching(UNLOCKED_STAKE_READ);
  const second = applyChange(db, {
    author: AUTHOR,
    reason: 'stale',
    records: { ownerships: [{ ...stake, share: { exact: 95 } }] },
    expectedVersions: new Map([[stake.id, version]]),
  });
  await hasRead;
  first.release();
  await first.done;
  await expect(second).rejects.toMatchObject({
    name: 'VersionConflict',
    recordId: stake.id,
    expected: version,
    found: version + 1,
  });
  const after = await HISTORY_OF(stake.id);
  expect(after.map((v) => v.by)).toEqual([...start.map((v) => v.by), 'third']);
});

describe('two writes creating one new record at once', () => {
  const RELATIONSHIP_COUNT = 'MATCH ()-[r]->() WHERE r.id = $id RETURN count(r) AS n';

  it.each([
    {
      kind: 'a node (an organization)',
      id: `org:${p}-twin`,
      read: UNLOCKED_NODE_READ,
      make: (tag: string): DataSetFile => ({
        organizations: [{ ...sub, id: `org:${p}-twin`, name: `${p} Twin ${tag}` }],
      }),
    },
    {
      kind: 'a relationship (a stake)',
      id: `own:${p}-twin`,
      read: UNLOCKED_STAKE_READ,
      make: (tag: string): DataSetFile => ({
        ownerships: [{ ...stake, id: `own:${p}-twin`, share: { exact: tag === 'first' ? 10 : 20 } }],
      }),
    },
  ])(
    'keeps the first creation of $kind and answers CONFLICT to the second, which writes nothing',
    async ({ id, read, make }) => {
      const first = await holdWrite(make('first'), 'first creation');
      const { db, hasRead } = watching(read);
      const second = applyChange(db, { author: AUTHOR, reason: 'second creation', records: make('second') });
      await hasRead;
      first.release();
      await first.done;
      await expect(second).rejects.toMatchObject({
        name: 'VersionConflict',
        recordId: id,
        expected: 0,
        message: expect.stringContaining('was created by another write'),
      });
      expect(await HISTORY_OF(id)).toEqual([{ version: 1, by: 'first creation', supersededBy: null }]);
      if (id.startsWith('own:')) {
        expect(await h.db.readRows<{ n: number }>(RELATIONSHIP_COUNT, { id })).toEqual([{ n: 1 }]);
      }
    },
  );
});
