import type { Query } from '../db/database';
import type { ChangeSetRow } from '../queries/history';
import { fetchPolicyRulesKnownAt, fetchUpstreamKnownAt } from '../queries/knownAsOf';
import {
  fetchChangeSetsBetween,
  fetchPolicyIdsEver,
  fetchUpstreamIdsEver,
  type WatchlistRow,
} from '../queries/watchlists';
import {
  policyVerdict,
  type OwnershipGraph,
  type PolicyRule,
  type PolicyVerdict,
  type UnknownAs,
} from '../reasoning';

/**
 * "What changed for me" (issue 12 item 6): for each change set recorded in a window, which of a watchlist's
 * (entity x policy) verdicts it changed, with the verdict just before it (knownAsOf = one millisecond before
 * its record time) and just after (knownAsOf = its record time). The graphs are the knownAsOf reads
 * (src/queries/knownAsOf.ts) and the verdict is the one pure `policyVerdict`: nothing here decides coverage.
 *
 * A change set whose records are neither upstream of a watched entity (at any time) nor a watched policy or
 * one of its designations cannot change a watched verdict, and is skipped without reading a graph.
 */

/** What differs between the verdict before and after a change set. */
export type VerdictAspect = 'KNOWN' | 'VERDICT' | 'POLICY_STATUS' | 'SHARE';

export interface VerdictChangeRow {
  changeSet: ChangeSetRow;
  entityId: string;
  policyId: string;
  /** The day the verdicts were asked for. */
  asOf: string;
  /** The instant just before the change set, and its own. */
  knownBefore: string;
  knownAfter: string;
  /** Null when the entity or the policy was not known then. */
  before: (PolicyVerdict & { unknownAs: UnknownAs }) | null;
  after: (PolicyVerdict & { unknownAs: UnknownAs }) | null;
  changed: VerdictAspect[];
}

export interface VerdictChangeReport {
  changes: VerdictChangeRow[];
  /** Change sets looked at; of those, the ones skipped because they touch nothing watched. */
  examined: number;
  skipped: number;
  /** True when a bound stopped the scan before the window's end; continue from `nextSince`. */
  truncated: boolean;
  nextSince: string | null;
  /** Every change set examined, in order, with its record time (for a webhook scan's bookkeeping). */
  examinedChangeSets: Array<{ id: string; at: string }>;
}

/** The report as the API answers it: with the list and the window asked. */
export type VerdictChangeReportRow = VerdictChangeReport & {
  watchlist: WatchlistRow;
  since: string;
  until: string | null;
};

export interface WatchedSet {
  entityIds: readonly string[];
  policyIds: readonly string[];
}

export interface VerdictChangeOptions {
  /** The day verdicts are asked for; by default the day (UTC) of each change set. */
  asOf?: string | null;
  unknownAs: UnknownAs;
  maxChangeSets: number;
  /** Bound on (change set x watched pair) verdict pairs computed. */
  maxEvaluations: number;
  /** Change sets to leave out (already examined by a webhook scan). */
  skipIds?: ReadonlySet<string>;
}

/** The instant one millisecond before `at`, written as record times are. */
export function instantBefore(at: string): string {
  return new Date(Date.parse(at) - 1).toISOString();
}

/** Which aspects of a verdict differ; empty when a client would see the same answer. */
export function verdictDifference(
  before: PolicyVerdict | null,
  after: PolicyVerdict | null,
): VerdictAspect[] {
  if (!before || !after) return before === after ? [] : ['KNOWN'];
  const aspects: VerdictAspect[] = [];
  if (before.verdict !== after.verdict) aspects.push('VERDICT');
  const statusOf = (v: PolicyVerdict) => `${v.policyStatus.status}|${v.policyStatus.uncertain}`;
  if (statusOf(before) !== statusOf(after)) aspects.push('POLICY_STATUS');
  const decided = (v: PolicyVerdict) => (v.method === 'AGGREGATE' ? v.aggregate : v.lookThrough);
  const [b, a] = [decided(before), decided(after)];
  if (Math.abs(b.lower - a.lower) > 1e-12 || Math.abs(b.upper - a.upper) > 1e-12) aspects.push('SHARE');
  return aspects;
}

function intersects(touched: ReadonlySet<string>, ids: ReadonlySet<string>): boolean {
  for (const id of touched) if (ids.has(id)) return true;
  return false;
}

/**
 * The verdict changes of a watched set in [since, until]. `query` is one read transaction (or a function that
 * opens them); all reads are knownAsOf reads, so they answer the same whichever transaction serves them.
 */
export async function findVerdictChanges(
  query: Query,
  watched: WatchedSet,
  window: { since: string; until: string | null },
  options: VerdictChangeOptions,
): Promise<VerdictChangeReport> {
  // Change sets to leave out do not count towards the bound: a busy window already examined must not stall it.
  const skip = options.skipIds ?? new Set<string>();
  const fetched = await fetchChangeSetsBetween(query, {
    ...window,
    limit: options.maxChangeSets + 1 + skip.size,
  });
  const fresh = fetched.filter((c) => !skip.has(c.id));
  const stopAt = fresh.length > options.maxChangeSets ? fresh[options.maxChangeSets]! : null;
  const changeSets = stopAt ? fetched.slice(0, fetched.indexOf(stopAt)) : fetched;
  const report: VerdictChangeReport = {
    changes: [],
    examined: 0,
    skipped: 0,
    truncated: false,
    nextSince: null,
    examinedChangeSets: [],
  };
  if (changeSets.length > 0) {
    const relevantToEntity = new Map<string, Set<string>>();
    for (const id of watched.entityIds) relevantToEntity.set(id, await fetchUpstreamIdsEver(query, id));
    const relevantToPolicy = new Map<string, Set<string>>();
    for (const id of watched.policyIds) relevantToPolicy.set(id, await fetchPolicyIdsEver(query, id));

    // The graph and rule as last read: still right until a change set touches what they were read from.
    const graphs = new Map<string, OwnershipGraph>();
    const rules = new Map<string, PolicyRule | null>();
    const graphAt = async (entityId: string, at: string) =>
      graphs.get(entityId) ?? (await fetchUpstreamKnownAt(query, [entityId], at));
    const ruleAt = async (policyId: string, at: string) =>
      rules.has(policyId)
        ? rules.get(policyId)!
        : ((await fetchPolicyRulesKnownAt(query, [policyId], at)).get(policyId) ?? null);

    let evaluations = 0;
    for (const change of changeSets) {
      const touched = new Set(change.recordIds ?? []);
      const entities = watched.entityIds.filter((id) => intersects(touched, relevantToEntity.get(id)!));
      const policies = watched.policyIds.filter((id) => intersects(touched, relevantToPolicy.get(id)!));
      const pairs = watched.entityIds.flatMap((e) =>
        watched.policyIds
          .filter((p) => entities.includes(e) || policies.includes(p))
          .map((p) => [e, p] as const),
      );
      if (skip.has(change.id)) {
        // Already examined: only what it touched must be read again at the next change set.
        for (const e of entities) graphs.delete(e);
        for (const p of policies) rules.delete(p);
        continue;
      }
      if (pairs.length === 0) {
        report.examined++;
        report.skipped++;
        report.examinedChangeSets.push({ id: change.id, at: change.at });
        continue;
      }
      if (evaluations + pairs.length > options.maxEvaluations && report.examined > 0) {
        report.truncated = true;
        report.nextSince = change.at;
        return report;
      }
      evaluations += pairs.length;
      const knownBefore = instantBefore(change.at);
      const knownAfter = change.at;
      const asOf = options.asOf ?? change.at.slice(0, 10);

      const neededEntities = [...new Set(pairs.map(([e]) => e))];
      const neededPolicies = [...new Set(pairs.map(([, p]) => p))];
      const beforeGraph = new Map<string, OwnershipGraph>();
      const afterGraph = new Map<string, OwnershipGraph>();
      for (const e of neededEntities) {
        const before = await graphAt(e, knownBefore);
        const after = entities.includes(e) ? await fetchUpstreamKnownAt(query, [e], knownAfter) : before;
        beforeGraph.set(e, before);
        afterGraph.set(e, after);
        graphs.set(e, after);
      }
      const beforeRule = new Map<string, PolicyRule | null>();
      const afterRule = new Map<string, PolicyRule | null>();
      for (const p of neededPolicies) {
        const before = await ruleAt(p, knownBefore);
        const after = policies.includes(p)
          ? ((await fetchPolicyRulesKnownAt(query, [p], knownAfter)).get(p) ?? null)
          : before;
        beforeRule.set(p, before);
        afterRule.set(p, after);
        rules.set(p, after);
      }
      for (const [e, p] of pairs) {
        const before = verdictOf(beforeGraph.get(e)!, beforeRule.get(p)!, e, asOf, options.unknownAs);
        const after = verdictOf(afterGraph.get(e)!, afterRule.get(p)!, e, asOf, options.unknownAs);
        const changed = verdictDifference(before, after);
        if (changed.length === 0) continue;
        report.changes.push({
          changeSet: change,
          entityId: e,
          policyId: p,
          asOf,
          knownBefore,
          knownAfter,
          before,
          after,
          changed,
        });
      }
      report.examined++;
      report.examinedChangeSets.push({ id: change.id, at: change.at });
    }
  }
  if (stopAt) {
    report.truncated = true;
    report.nextSince = stopAt.at;
  }
  return report;
}

/** The one verdict engine; null when the entity or the policy was unknown, or the rule could not be applied. */
function verdictOf(
  graph: OwnershipGraph,
  rule: PolicyRule | null,
  entityId: string,
  asOf: string,
  unknownAs: UnknownAs,
): (PolicyVerdict & { unknownAs: UnknownAs }) | null {
  if (!rule) return null;
  const result = policyVerdict(graph, rule, entityId, { asOf, unknownAs });
  return result && result.ok ? { ...result.value, unknownAs } : null;
}
