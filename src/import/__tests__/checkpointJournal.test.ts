import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendJournal, journalPathOf, readJournal, removeJournal } from '../checkpoint';

/**
 * The journal kept beside a checkpoint: what each batch made (merges, listed problems and review entries),
 * appended before the batch's checkpoint; read back up to the checkpoint a resume starts from.
 */
describe('the journal beside a checkpoint', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'checkpoint-journal-'));
  });
  afterAll(() => fs.rm(folder, { recursive: true, force: true }));

  const none = { merges: [], problems: [], reviews: [] };
  const problem = (line: number) => ({ file: 'f.jsonl', line, field: 'name', message: `problem ${line}` });
  const review = { line: 3, localId: 'ent-3', name: 'Three', candidates: ['org:a', 'org:b'], reason: 'two' };

  it('reads back, in order, what the checkpointed batches appended', async () => {
    const file = journalPathOf(path.join(folder, 'a.checkpoint.json'));
    await appendJournal(
      file,
      { pass: 1, line: 2 },
      { ...none, merges: [['ent-1', 'org:one']], problems: [problem(2)] },
    );
    await appendJournal(file, { pass: 1, line: 4 }, none);
    await appendJournal(file, { pass: 2, line: 3 }, { ...none, reviews: [review], problems: [problem(3)] });
    expect(await readJournal(file, { pass: 2, line: 3 })).toEqual({
      merges: [['ent-1', 'org:one']],
      problems: [problem(2), problem(3)],
      reviews: [review],
    });
  });

  it('leaves out what batches after the checkpoint appended (they are imported again), and drops it', async () => {
    const file = journalPathOf(path.join(folder, 'b.checkpoint.json'));
    await appendJournal(file, { pass: 1, line: 2 }, { ...none, problems: [problem(2)] });
    await appendJournal(
      file,
      { pass: 1, line: 5 },
      { ...none, merges: [['ent-5', 'org:five']], problems: [problem(5)] },
    );
    expect(await readJournal(file, { pass: 1, line: 2 })).toEqual({ ...none, problems: [problem(2)] });
    // The batch is imported again and appends its entries again: once each.
    await appendJournal(
      file,
      { pass: 1, line: 5 },
      { ...none, merges: [['ent-5', 'org:five']], problems: [problem(5)] },
    );
    expect(await readJournal(file, { pass: 1, line: 5 })).toEqual({
      merges: [['ent-5', 'org:five']],
      problems: [problem(2), problem(5)],
      reviews: [],
    });
  });

  it('drops a last line cut short by a crash, so the next append starts a line of its own', async () => {
    const file = journalPathOf(path.join(folder, 'c.checkpoint.json'));
    await appendJournal(file, { pass: 1, line: 1 }, { ...none, merges: [['ent-1', 'org:one']] });
    await fs.appendFile(file, '["merge","ent-2","org:t');
    expect(await readJournal(file, { pass: 1, line: 9 })).toEqual({
      ...none,
      merges: [['ent-1', 'org:one']],
    });
    await appendJournal(file, { pass: 1, line: 2 }, { ...none, merges: [['ent-2', 'org:two']] });
    expect((await readJournal(file, { pass: 1, line: 9 })).merges).toEqual([
      ['ent-1', 'org:one'],
      ['ent-2', 'org:two'],
    ]);
  });

  it('holds nothing when there is no file, and nothing once removed', async () => {
    const file = journalPathOf(path.join(folder, 'd.checkpoint.json'));
    expect(await readJournal(file, { pass: 2, line: 1 })).toEqual(none);
    await appendJournal(file, { pass: 1, line: 1 }, { ...none, merges: [['ent-1', 'org:one']] });
    await removeJournal(file);
    expect(await readJournal(file, { pass: 2, line: 1 })).toEqual(none);
  });
});
