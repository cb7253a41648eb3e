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
  /** Second reads of the file made so far to name a duplicate's earlier line (runImport.ts, bounded). */
  lineSearches: z.number().int().nonnegative().optional(),
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
 * What the checkpointed batches of an import made that a resume needs and the checkpoint does not hold, kept
 * beside it (`PATH.journal`) so that a resumed import ends as the uninterrupted one:
 * - merges: each party merged into a record of another id (its local id, the record's id), for a format whose
 *   references carry no identifier key (BODS, CSV): pass 2 finds the merged record by it, and the duplicate
 *   identifier rule reads it (runImport.ts `matchedLocal`);
 * - the problems and review entries the report lists (the first MAX_LISTED of each; the counts are in the
 *   checkpoint), so that the report of a resumed import still lists the lines rejected before the crash.
 * One JSON line per entry, appended after a batch is written and before its checkpoint: the file grows with
 * the merges and the listed entries, not with the file imported, and a crash at any point leaves at least the
 * entries of every checkpointed batch (a batch written but not checkpointed is imported again on resume; its
 * entries, if they were appended, are dropped by the checkpoint's line). A line cut short by a crash is
 * dropped when the file is read back.
 */
export type Merge = [localId: string, recordId: string];

const Problem = z.object({
  file: z.string(),
  line: z.number(),
  field: z.string().optional(),
  message: z.string(),
});
const Review = z.object({
  line: z.number(),
  localId: z.string(),
  name: z.string(),
  candidates: z.array(z.string()),
  reason: z.string(),
});
const Entry = z.union([
  z.tuple([z.literal('merge'), z.string(), z.string(), z.number()]),
  z.tuple([z.literal('problem'), Problem, z.number()]),
  z.tuple([z.literal('review'), Review, z.number()]),
]);

export interface Journal {
  merges: Merge[];
  problems: z.infer<typeof Problem>[];
  reviews: z.infer<typeof Review>[];
}

export function journalPathOf(checkpointPath: string): string {
  return `${checkpointPath}.journal`;
}

/** Appends what a batch made, stamped with the pass and line the batch's checkpoint will name. */
export async function appendJournal(path: string, at: Pick<Checkpoint, 'pass' | 'line'>, journal: Journal) {
  const stamp = at.pass * 2 ** 32 + at.line;
  const entries: readonly (readonly unknown[])[] = [
    ...journal.merges.map(([localId, recordId]) => ['merge', localId, recordId, stamp] as const),
    ...journal.problems.map((problem) => ['problem', problem, stamp] as const),
    ...journal.reviews.map((review) => ['review', review, stamp] as const),
  ];
  if (entries.length === 0) return;
  await fs.appendFile(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/**
 * What the journal at `path` holds up to the checkpoint `at` (nothing when there is no file). Entries of a
 * batch written after it (not checkpointed: imported again on resume) are left out, and so is a last line
 * cut short by a crash; the file is rewritten without them (to a temporary file renamed over it), so the next
 * append starts on a line of its own.
 */
export async function readJournal(path: string, at: Pick<Checkpoint, 'pass' | 'line'>): Promise<Journal> {
  const journal: Journal = { merges: [], problems: [], reviews: [] };
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return journal;
  }
  const last = at.pass * 2 ** 32 + at.line;
  const kept: string[] = [];
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
    const parsed = Entry.safeParse(parsedOrNull(line));
    if (!parsed.success) continue;
    const entry = parsed.data;
    const stamp = entry[0] === 'merge' ? entry[3] : entry[2];
    if (stamp > last) continue;
    kept.push(line);
    if (entry[0] === 'merge') journal.merges.push([entry[1], entry[2]]);
    else if (entry[0] === 'problem') journal.problems.push(entry[1]);
    else journal.reviews.push(entry[1]);
  }
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, kept.map((l) => `${l}\n`).join(''));
  await fs.rename(temporary, path);
  return journal;
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function removeJournal(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}

/**
 * The files of a folder import (CSV templates) imported in full, with their reports, kept at the folder's
 * checkpoint path beside the per-file checkpoints: a resume skips them and counts their reports as they were
 * (importing them again would report their records unchanged where the uninterrupted import created them).
 * Each file is named by size and modification time, as a checkpoint names its file. Rewritten (to a temporary
 * file renamed over it) after each file; bounded by the files and the problems their reports list.
 */
const Counts = Object.fromEntries(
  ['lines', 'created', 'updated', 'unchanged', 'matched', 'ambiguous', 'rejected', 'skipped'].map((k) => [
    k,
    z.number(),
  ]),
) as Record<
  'lines' | 'created' | 'updated' | 'unchanged' | 'matched' | 'ambiguous' | 'rejected' | 'skipped',
  z.ZodNumber
>;
const FinishedFile = z.object({
  file: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  report: z.object({
    ...Counts,
    problems: z.array(Problem),
    reviews: z.array(Review),
    resumedFrom: z.object({ pass: z.union([z.literal(1), z.literal(2)]), line: z.number() }).nullable(),
  }),
});
const FinishedFiles = z.object({ sourceId: z.string(), files: z.array(FinishedFile) });
export type FinishedFile = z.infer<typeof FinishedFile>;

/** The files finished so far by the folder import of this source (none when there is no record of it). */
export async function readFinishedFiles(path: string, sourceId: string): Promise<FinishedFile[]> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return [];
  }
  const parsed = FinishedFiles.safeParse(parsedOrNull(text));
  return parsed.success && parsed.data.sourceId === sourceId ? parsed.data.files : [];
}

export async function writeFinishedFiles(
  path: string,
  sourceId: string,
  files: FinishedFile[],
): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, JSON.stringify({ sourceId, files }));
  await fs.rename(temporary, path);
}
