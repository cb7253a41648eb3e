import { z } from 'zod';
import type { WatchLimits } from './limits';

/**
 * A watchlist as a client writes it, validated once: a name, at least one entity and one policy (ids,
 * duplicates dropped), each list within its setting, and an optional webhook with an http(s) URL and a secret
 * long enough to sign with.
 */

export const MIN_SECRET_LENGTH = 16;

const Ids = (what: string, max: number, setting: string) =>
  z
    .array(z.string().trim().min(1, `must be a ${what} id, not empty`))
    .min(1, `must name at least one ${what}`)
    .max(max, `must name at most ${max} ${what}s (${setting})`)
    .transform((ids) => [...new Set(ids)]);

export function watchlistInputSchema(limits: WatchLimits) {
  return z.object({
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    entities: Ids('party', limits.WATCHLIST_MAX_ENTITIES, 'WATCHLIST_MAX_ENTITIES'),
    policies: Ids('policy', limits.WATCHLIST_MAX_POLICIES, 'WATCHLIST_MAX_POLICIES'),
    webhook: z
      .object({
        url: z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }),
        secret: z
          .string()
          .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)
          .max(512, 'must be at most 512 characters'),
      })
      .nullable()
      .optional(),
  });
}

export type WatchlistInput = z.infer<ReturnType<typeof watchlistInputSchema>>;
