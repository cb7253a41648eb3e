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
