import { Database, createDriver } from '../src/db/database';
import { applyMigrations } from '../src/db/migrations';
import { createLogger } from '../src/log';
import { loadFile } from '../src/seed/loadDataSet';
import { applyChange } from '../src/write/applyChange';
import { startTestNeo4j } from './support/testNeo4j';
import { baseGraph, PRINCIPALS } from './support/writeHarness';

/**
 * Issue 12: Neo4j killed (SIGKILL, no clean shutdown) in the middle of a batch write leaves nothing of the
 * batch once it is restarted on the same data: the batch is one transaction, which never committed.
 * Its own Neo4j, since this one is killed.
 */

const START_MS = 600_000;

function connect(neo4j: { uri: string; password: string }, onQuery?: (cypher: string) => void): Database {
  const db = new Database(createDriver(neo4j.uri, 'neo4j', neo4j.password), 'neo4j', createLogger('silent'));
  return onQuery ? db.observed({ onQuery }) : db;
}

async function census(db: Database) {
  const [row] = await db.readRows<{ records: number; rels: number; versions: number; changes: number }>(
    `CALL () { MATCH (n:Record) RETURN count(n) AS records }
     CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
     CALL () { MATCH (v:RecordVersion) RETURN count(v) AS versions }
     CALL () { MATCH (c:ChangeSet) RETURN count(c) AS changes }
     RETURN records, rels, versions, changes`,
  );
  return row!;
}

it(
  'leaves nothing of a batch half-written when Neo4j is killed in the middle of it',
  async () => {
    const first = await startTestNeo4j();
    let second: Awaited<ReturnType<typeof startTestNeo4j>> | undefined;
    try {
      const setup = connect(first);
      await applyMigrations(setup);
      await loadFile(setup, { file: 'base.json', data: baseGraph('crash') });
      const before = await census(setup);
      await setup.close();

      // 2,000 organizations with a stake each, and a correction of the stake already stored: the batch is
      // killed right after its organizations are written, before its stakes are.
      const src = 'src:crash-filing';
      const organizations = Array.from({ length: 2000 }, (_, i) => ({
        id: `org:crash-${i}`,
        name: `Crash ${i}`,
        type: 'COMPANY',
        sources: [src],
      }));
      const ownerships = [
        ...organizations.map((o, i) => ({
          id: `own:crash-${i}`,
          owner: 'org:crash-parent',
          owned: o.id,
          share: { exact: 51 },
          sources: [src],
        })),
        { ...baseGraph('crash').ownerships![0]!, share: { exact: 10 } },
      ];
      let killed = false;
      const db = connect(first, (cypher) => {
        if (!killed && /MERGE \(n:Record \{id: row\.id\}\)/.test(cypher)) {
          killed = true;
          process.kill(first.pid, 'SIGKILL');
        }
      });
      const write = applyChange(db, {
        author: PRINCIPALS.editor,
        reason: 'a batch cut short',
        records: { organizations, ownerships },
      });
      await expect(write).rejects.toThrow();
      expect(killed).toBe(true);
      await first.exited;
      await db.close().catch(() => undefined);

      second = await startTestNeo4j({ dataDir: first.dataDir });
      const after = connect(second);
      expect(await census(after)).toEqual(before);
      const [stake] = await after.readRows<{ share: number; version: number }>(
        'MATCH ()-[r:OWNS {id: "own:crash-parent-sub"}]->() RETURN r.shareExact AS share, r.version AS version',
      );
      expect(stake).toEqual({ share: 60, version: 1 });
      await after.close();
    } finally {
      await (second ?? first).dispose().catch(() => undefined);
    }
  },
  START_MS * 2,
);
