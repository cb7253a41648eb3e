import { loadConfig, type Config } from '../config';

/** The settings watchlists and verdictChanges obey, from the app's config or else their defaults. */
export type WatchLimits = Pick<
  Config,
  | 'WATCHLIST_MAX_ENTITIES'
  | 'WATCHLIST_MAX_POLICIES'
  | 'VERDICT_CHANGES_MAX_CHANGE_SETS'
  | 'VERDICT_CHANGES_MAX_EVALUATIONS'
>;

let defaults: WatchLimits | undefined;

export function watchLimits(config: Partial<WatchLimits>): WatchLimits {
  defaults ??= loadConfig({});
  const pick = (name: keyof WatchLimits) => config[name] ?? defaults![name];
  return {
    WATCHLIST_MAX_ENTITIES: pick('WATCHLIST_MAX_ENTITIES'),
    WATCHLIST_MAX_POLICIES: pick('WATCHLIST_MAX_POLICIES'),
    VERDICT_CHANGES_MAX_CHANGE_SETS: pick('VERDICT_CHANGES_MAX_CHANGE_SETS'),
    VERDICT_CHANGES_MAX_EVALUATIONS: pick('VERDICT_CHANGES_MAX_EVALUATIONS'),
  };
}
