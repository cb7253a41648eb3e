import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver gets: the database (observed for this request), its loaders and the settings. */
export interface Context {
  db: Database;
  loaders: Loaders;
  config: Pick<Config, 'MAX_PAGE_SIZE' | 'MAX_DEPTH'>;
  log: Logger;
  /** Cypher queries sent while answering this request, for logs and for the "no N+1" tests. */
  queries: string[];
}

export function createContext(db: Database, config: Context['config'], log: Logger): Context {
  const queries: string[] = [];
  const observed = db.observed({ onQuery: (cypher) => queries.push(cypher) });
  return { db: observed, loaders: createLoaders(observed), config, log, queries };
}
