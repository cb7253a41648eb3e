import { z } from 'zod';
import { IsoDate, Note, SourceId } from './common';

/** Where a fact comes from: the page a user can open to check it. */
export const SourceRecord = z.strictObject({
  id: SourceId,
  url: z.url({ message: 'must be an absolute URL' }),
  publisher: z.string().min(1),
  title: z.string().min(1),
  date: IsoDate.nullable().optional(),
  note: Note,
});
export type SourceRecord = z.infer<typeof SourceRecord>;
