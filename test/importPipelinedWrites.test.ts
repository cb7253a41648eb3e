import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database';
import { ftmReader } from '../src/import/ftm';
import { runImport, type ImportOptions } from '../src/import/runImport';
import { testDatabase } from './support/database';
import { IMPORT_FIXTURES, OPENSANCTIONS_SDN, graphSnapshot, policiesOnly } from './support/imports';

/**
 * Issue 13: pass 2 of an import resolves a batch's references while the batch before it is being written
 * (pass 2 writes no party, so nothing it writes changes what the next batch reads). The writes stay one at a
 * time and in file order, and a checkpoint names a batch only once it is committed.
 */

const GROUP = path.join(IMPORT_FIXTURES, 'ftm', 'sanctioned-group.ftm.json');
const BAD = path.join(IMPORT_FIXTURES, 'ftm', 'bad-lines.ftm.json');
const db = testDatabase();
afterAll(() => db.close());

function ftm(database: Database, file: string, extra: Partial<ImportOptions> = {}) {
  return runImport(database, {
    file,
    format: 'ftm',
    reader: ftmReader(),
    source: OPENSANCTIONS_SDN,
    ...extra,
  });
}

/** The statement pass 2 resolves a batch's references with (src/queries/keyHolders.ts). */
const RESOLVE = 'UNWIND $records AS record';

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

describe('Import pass 2: reads of a batch overlap the write of the one before', () => {
  beforeEach(() => policiesOnly(db));

  it("resolves the next batch's references while a batch is being written, and writes one batch at a time", async () => {
    await ftm(db, GROUP);
    const whole = await graphSnapshot(db, { recordTime: false });
    await policiesOnly(db);

    let resolves = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const observed = db.observed({
      onQuery(cypher) {
        if (cypher.includes(RESOLVE)) resolves++;
      },
    });
    // Pass 2's first write waits at the gate, after the reads of its own batch and before anything else.
    const gated = Object.create(observed) as Database;
    gated.write = async (work) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        if (resolves === 1) await gate;
        return await observed.write(work);
      } finally {
        inFlight--;
      }
    };
    // Batches of one line: pass 2 has three (lines 1, 4 and 6).
    const running = ftm(gated, GROUP, { batchSize: 1 });
    const overlapped = await until(() => resolves === 2, 60_000);
    release();
    const report = await running;

    expect(overlapped).toBe(true);
    expect(resolves).toBe(3);
    expect(mostInFlight).toBe(1);
    expect(report).toMatchObject({ lines: 8, created: 8, rejected: 0 });
    expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
  });

  it('resumes from a checkpoint taken in pass 2 and counts each rejected line once', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'import-pass2-checkpoint-'));
    const checkpointPath = path.join(folder, 'checkpoint.json');
    try {
      const uninterrupted = await ftm(db, BAD, { batchSize: 1 });
      const whole = await graphSnapshot(db, { recordTime: false });
      await policiesOnly(db);

      const crash = ftm(db, BAD, {
        batchSize: 1,
        checkpointPath,
        onProgress: (p) => {
          if (p.pass === 2 && p.line === 6) throw new Error('simulated crash');
        },
      });
      await expect(crash).rejects.toThrow('simulated crash');
      const checkpoint = JSON.parse(await fs.readFile(checkpointPath, 'utf8')) as Record<string, unknown>;

      // Pass 1 rejected lines 2, 3, 4, 5, 7 and 10 (line 9's LEI twin, refused in batches of one line as in one
      // batch), and line 6's stake refers to no party: seven. Line 8's stake (owner and owned the same) is
      // refused by the next batch, read while line 6's was written, and must not be counted yet.
      expect(checkpoint).toMatchObject({ pass: 2, line: 6, counts: { rejected: 7 } });

      const resumed = await ftm(db, BAD, { batchSize: 1, checkpointPath });
      expect(resumed.resumedFrom).toEqual({ pass: 2, line: 6 });
      expect(resumed).toMatchObject({
        lines: uninterrupted.lines,
        created: uninterrupted.created,
        rejected: uninterrupted.rejected,
      });
      expect(resumed.rejected).toBe(8);
      // The lines rejected before the crash are listed too (from the journal beside the checkpoint).
      expect(resumed.problems).toEqual(uninterrupted.problems);
      expect(await graphSnapshot(db, { recordTime: false })).toEqual(whole);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
