import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendMerges, mergesPathOf, readMerges, removeMerges } from '../checkpoint';

/** The merges kept beside a checkpoint: appended a batch at a time, read back whole lines only. */
describe('merges kept beside a checkpoint', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'checkpoint-merges-'));
  });
  afterAll(() => fs.rm(folder, { recursive: true, force: true }));

  it('reads back what the batches appended, in order', async () => {
    const file = mergesPathOf(path.join(folder, 'a.checkpoint.json'));
    await appendMerges(file, [['ent-1', 'org:one']]);
    await appendMerges(file, []);
    await appendMerges(file, [
      ['ent-2', 'org:two'],
      ['ent-3', 'person:three'],
    ]);
    expect(await readMerges(file)).toEqual([
      ['ent-1', 'org:one'],
      ['ent-2', 'org:two'],
      ['ent-3', 'person:three'],
    ]);
  });

  it('drops a last line cut short by a crash, so the next append starts a line of its own', async () => {
    const file = mergesPathOf(path.join(folder, 'b.checkpoint.json'));
    await fs.writeFile(file, `${JSON.stringify(['ent-1', 'org:one'])}\n["ent-2", "org:t`);
    expect(await readMerges(file)).toEqual([['ent-1', 'org:one']]);
    await appendMerges(file, [['ent-2', 'org:two']]);
    expect(await readMerges(file)).toEqual([
      ['ent-1', 'org:one'],
      ['ent-2', 'org:two'],
    ]);
  });

  it('has none when there is no file, and none once removed', async () => {
    const file = mergesPathOf(path.join(folder, 'c.checkpoint.json'));
    expect(await readMerges(file)).toEqual([]);
    await appendMerges(file, [['ent-1', 'org:one']]);
    await removeMerges(file);
    expect(await readMerges(file)).toEqual([]);
  });
});
