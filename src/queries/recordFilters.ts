import type { Query } from '../db/database';
import { POLICY_FORCE_BOUNDS, suspensionOn, type SuspensionWindow } from '../reasoning/policyInForce';
import type { RecordFilter } from './recordPages';

/**
 * The filters of the record lists (organizations, models, allegations, policies, channels) as Cypher
 * conditions on `n`, values always as parameters. Arguments arrive validated by the GraphQL layer.
 */

const filter = (
  conditions: Array<[condition: string, params: Record<string, unknown>] | false>,
): RecordFilter => {
  const kept = conditions.filter((c) => c !== false);
  return {
    where: kept.map(([c]) => c),
    params: Object.assign({}, ...kept.map(([, p]) => p)) as Record<string, unknown>,
  };
};
const has = <T>(value: T | null | undefined): value is T =>
  value !== null && value !== undefined && value !== '';
const hasAny = <T>(values: readonly T[] | null | undefined): values is readonly T[] =>
  !!values && values.length > 0;

export type CountryBasis = 'HEADQUARTERS' | 'INCORPORATION' | 'EITHER';

export function organizationFilter(args: {
  country?: string | null;
  countryBasis?: CountryBasis | null;
  types?: readonly string[] | null;
  nameContains?: string | null;
}): RecordFilter {
  const basis = args.countryBasis ?? 'EITHER';
  const byCountry =
    basis === 'HEADQUARTERS'
      ? 'n.headquarters = $country'
      : basis === 'INCORPORATION'
        ? 'n.incorporation = $country'
        : '(n.headquarters = $country OR n.incorporation = $country)';
  return filter([
    has(args.country) && [byCountry, { country: args.country }],
    hasAny(args.types) && ['n.type IN $types', { types: args.types }],
    has(args.nameContains) && [
      'toLower(n.name) CONTAINS toLower($nameContains)',
      { nameContains: args.nameContains },
    ],
  ]);
}

export function modelFilter(args: {
  developer?: string | null;
  family?: string | null;
  openWeights?: boolean | null;
  architecture?: string | null;
  releasedFrom?: string | null;
  releasedTo?: string | null;
}): RecordFilter {
  return filter([
    has(args.developer) && ['n.developer = $developer', { developer: args.developer }],
    has(args.family) && ['n.family = $family', { family: args.family }],
    has(args.openWeights) && ['n.openWeights = $openWeights', { openWeights: args.openWeights }],
    has(args.architecture) && ['n.architecture = $architecture', { architecture: args.architecture }],
    has(args.releasedFrom) && ['n.releaseDate >= $releasedFrom', { releasedFrom: args.releasedFrom }],
    has(args.releasedTo) && ['n.releaseDate <= $releasedTo', { releasedTo: args.releasedTo }],
  ]);
}

export function allegationFilter(args: {
  accuser?: string | null;
  accused?: string | null;
  model?: string | null;
  kinds?: readonly string[] | null;
  statuses?: readonly string[] | null;
  from?: string | null;
  to?: string | null;
}): RecordFilter {
  return filter([
    has(args.accuser) && ['$accuser IN n.accusers', { accuser: args.accuser }],
    has(args.accused) && ['$accused IN n.accused', { accused: args.accused }],
    has(args.model) && [
      '($model IN coalesce(n.accusedModels, []) OR $model IN coalesce(n.sourceModels, []))',
      { model: args.model },
    ],
    hasAny(args.kinds) && ['n.kind IN $kinds', { kinds: args.kinds }],
    hasAny(args.statuses) && ['n.status IN $statuses', { statuses: args.statuses }],
    has(args.from) && ['n.date >= $from', { from: args.from }],
    has(args.to) && ['n.date <= $to', { to: args.to }],
  ]);
}

export function channelFilter(args: {
  kinds?: readonly string[] | null;
  operator?: string | null;
}): RecordFilter {
  return filter([
    hasAny(args.kinds) && ['n.kind IN $kinds', { kinds: args.kinds }],
    has(args.operator) && ['n.operator = $operator', { operator: args.operator }],
  ]);
}

/**
 * A policy's dates bound it on `$day` exactly as reasoning/policyInForce's POLICY_FORCE_BOUNDS say: this
 * condition is generated from them (and test/policyFilters.test.ts checks it against `inForceBounds`).
 */
export const POLICY_IN_FORCE_CONDITION = POLICY_FORCE_BOUNDS.map(
  (b) => `(n.${b.property} IS NULL OR $day ${b.dayMustBe} n.${b.property})`,
).join(' AND ');

/**
 * Suspensions are stored as JSON, which Cypher cannot read, so the caller first reads the ids of the
 * policies suspended on the day (`fetchSuspendedPolicyIds`) and the page's query excludes them: pages and
 * totalCount stay exact.
 */
export function policyFilter(args: {
  kinds?: readonly string[] | null;
  issuer?: string | null;
  inForceOn?: { day: string; suspended: readonly string[] } | null;
}): RecordFilter {
  return filter([
    hasAny(args.kinds) && ['n.kind IN $kinds', { kinds: args.kinds }],
    has(args.issuer) && ['n.issuer = $issuer', { issuer: args.issuer }],
    has(args.inForceOn) && [
      `${POLICY_IN_FORCE_CONDITION} AND NOT n.id IN $suspended`,
      { day: args.inForceOn.day, suspended: args.inForceOn.suspended },
    ],
  ]);
}

/** Ids of the policies suspended on `day` (a window includes both its ends). */
export async function fetchSuspendedPolicyIds(query: Query, day: string): Promise<string[]> {
  const rows = await query<{ id: string; suspensionsJson: string }>(
    'MATCH (n:Policy) WHERE n.suspensionsJson IS NOT NULL RETURN n.id AS id, n.suspensionsJson AS suspensionsJson',
  );
  return rows
    .filter((r) => suspensionOn(JSON.parse(r.suspensionsJson) as SuspensionWindow[], day) !== undefined)
    .map((r) => r.id);
}
