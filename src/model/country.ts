import { z } from 'zod';
import { CountryCode, SourceRefs, idOf } from './common';

export const CountryId = idOf('country');

/** A jurisdiction, keyed by its ISO 3166-1 alpha-2 code; its id is `country:` and the code. */
export const CountryRecord = z
  .strictObject({
    id: CountryId,
    code: CountryCode,
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    sources: SourceRefs,
  })
  .refine((c) => c.id === `country:${c.code}`, {
    path: ['id'],
    message: 'must be "country:" followed by the code',
  });
export type CountryRecord = z.infer<typeof CountryRecord>;
