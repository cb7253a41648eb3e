import { ANONYMOUS, type Principal } from '../auth/principal';
import type { SweepCache } from '../cache/sweepCache';
import type { Config } from '../config';
import type { WatchLimits } from '../watch/limits';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import type { UnknownAs } from '../reasoning';
import { createLoaders, type Loaders } from './loaders';
import { today } from './scalars';

/** What every resolver gets: the database (observed for this request), its loaders and the settings. */
export interface Context {
  db: Database;
  loaders: Loaders;
  config: Pick<Config, 'MAX_PAGE_SIZE' | 'MAX_DEPTH'> &
    Partial<Pick<Config, 'READ_AHEAD' | 'READ_AHEAD_PROJECTION'>> &
    Partial<WatchLimits>;
  log: Logger;
  /** Cypher queries sent while answering this request, for logs and for the "no N+1" tests. */
  queries: string[];
  /** The day a question without `asOf` is answered for: today (UTC), fixed once per request. */
  today: string;
  /** Who is asking (src/auth/): anonymous unless the request carried credentials. */
  principal: Principal;
  /** The process's cache of sweep subgraphs (src/cache/sweepCache.ts); absent when off. */
  sweepCache?: SweepCache | null;
}

/** What a resolver assumes when an optional argument is left out, in one place. */
export const ARGUMENT_DEFAULTS = {
  /** Stakes of unknown size count as not reaching a threshold unless a client asks otherwise. */
  unknownAs: 'NOT_COVERED',
  /** Page size of the record lists. */
  pageSize: 20,
  /** Page size of a policy's covered entities. */
  coveredEntitiesPageSize: 50,
} as const satisfies { unknownAs: UnknownAs; pageSize: number; coveredEntitiesPageSize: number };

export function createContext(
  db: Database,
  config: Context['config'],
  log: Logger,
  principal: Principal = ANONYMOUS,
): Context {
  const queries: string[] = [];
  // One read transaction for the request's reads (src/db/database.ts `sharingReads`).
  const observed = db.observed({ onQuery: (cypher) => queries.push(cypher) }).sharingReads();
  return {
    db: observed,
    loaders: createLoaders(observed, { readAhead: config.READ_AHEAD }),
    config,
    log,
    queries,
    today: today(),
    principal,
  };
}
