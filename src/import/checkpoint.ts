import { promises as fs } from 'node:fs';
import { z } from 'zod';

/**
 * Where an interrupted import resumes: after the last batch it committed. Written after every batch (to a
 * temporary file renamed over the old one, so a crash mid-write leaves the previous checkpoint whole) and
 * removed when the import ends. It names the file by size and modification time, so a checkpoint of
 * another file, or of this file since changed, is never applied.
 */
export const Checkpoint = z.object({
  file: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  format: z.string(),
  sourceId: z.string(),
  /** Pass 1 writes parties, pass 2 relationships. */
  pass: z.union([z.literal(1), z.literal(2)]),
  /** The last line of the last committed batch of that pass. */
  line: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.number()),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export async function fileIdentity(file: string): Promise<{ size: number; mtimeMs: number }> {
  const stat = await fs.stat(file);
  return { size: stat.size, mtimeMs: stat.mtimeMs };
}

/** The checkpoint at `path` when it is for this file and import, else null. */
export async function readCheckpoint(
  path: string,
  expect: Pick<Checkpoint, 'file' | 'size' | 'mtimeMs' | 'format' | 'sourceId'>,
): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return null;
  }
  const parsed = Checkpoint.safeParse(JSON.parse(text));
  if (!parsed.success) return null;
  const c = parsed.data;
  const same =
    c.file === expect.file &&
    c.size === expect.size &&
    c.mtimeMs === expect.mtimeMs &&
    c.format === expect.format &&
    c.sourceId === expect.sourceId;
  return same ? c : null;
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(checkpoint));
  await fs.rename(temporary, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}

/**
 * The merges an import made so far, beside its checkpoint: each party of the file merged into a record of
 * another id (its local id, the record's id), for a format whose references carry no identifier key (BODS,
 * CSV), so that a resumed import finds the merged record again in pass 2 and decides duplicate identifiers as
 * the uninterrupted one does (runImport.ts `matchedLocal`). One JSON line per merge, appended after a batch is
 * written and before its checkpoint: the file grows with the merges, not with the file imported, and a crash
 * at any point leaves at least the merges of every checkpointed batch (a batch written but not checkpointed is
 * imported again on resume, and makes the same merges again). A line cut short by a crash is dropped when the
 * file is read back (it belongs to a batch the checkpoint does not name).
 */
export type Merge = [localId: string, recordId: string];

export function mergesPathOf(checkpointPath: string): string {
  return `${checkpointPath}.merges`;
}

export async function appendMerges(path: string, merges: readonly Merge[]): Promise<void> {
  if (merges.length === 0) return;
  await fs.appendFile(path, merges.map((m) => `${JSON.stringify(m)}\n`).join(''));
}

/**
 * The merges kept at `path` (none when there is no file). A last line without its newline, cut short by a
 * crash, is dropped and the file rewritten without it (to a temporary file renamed over it), so the next
 * append starts on a line of its own.
 */
export async function readMerges(path: string): Promise<Merge[]> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return [];
  }
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  if (whole.length !== text.length) {
    const temporary = `${path}.tmp`;
    await fs.writeFile(temporary, whole);
    await fs.rename(temporary, path);
  }
  const merges: Merge[] = [];
  for (const line of whole.split('\n')) {
    if (line === '') continue;
    const parsed = MergeLine.safeParse(parsedOrNull(line));
    if (parsed.success) merges.push(parsed.data);
  }
  return merges;
}

const MergeLine = z.tuple([z.string(), z.string()]);

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function removeMerges(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}
