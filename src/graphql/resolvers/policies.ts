import type { Resolvers } from '../__generated__/resolvers';
import type { CountryRow, ModelRow, OrganizationRow, PolicyRow, SuspensionRow } from '../rows';
import { aliases, edges, ref, refs, sources } from './shared';

/** The rule in words, as a compliance analyst would write it. */
export function describeRule(p: PolicyRow): string {
  const threshold = `${p.ruleThresholdInclusive ? '' : 'more than '}${p.ruleThreshold}%${p.ruleThresholdInclusive ? ' or more' : ''}`;
  const how = p.ruleIncludesIndirect ? 'directly or indirectly' : 'directly';
  const basis =
    p.ruleCountryBasis === 'HEADQUARTERS'
      ? 'headquartered in'
      : p.ruleCountryBasis === 'INCORPORATION'
        ? 'incorporated in'
        : 'headquartered or incorporated in';
  // Roots are the policy's designated entities and, where it targets jurisdictions, entities based there.
  const who = p.targets?.length
    ? `designated entities or entities ${basis} ${p.targets.join(', ')}`
    : 'designated entities';
  const control = p.ruleControlCounts
    ? `; control without equity (${(p.ruleControlBases ?? []).join(', ') || 'any basis'}) also counts`
    : '';
  return `${threshold} owned, ${how}, in aggregate, by ${who}${control}`;
}

export const policyResolvers: Resolvers = {
  Policy: {
    aliases,
    sources,
    issuer: (p, _, ctx) => ref(ctx, p.issuer),
    suspensions: (p) => (p.suspensionsJson ? (JSON.parse(p.suspensionsJson) as SuspensionRow[]) : []),
    targets: (p, _, ctx) =>
      refs(
        ctx,
        (p.targets ?? []).map((c) => `country:${c}`),
      ),
    ownershipRule: (p) => (p.ruleThreshold === undefined ? null : p),
    coversModelsOf: (p, _, ctx) => refs(ctx, p.coversDevelopers),
    coversModels: (p, _, ctx) => refs(ctx, p.coversModels),
    reachesChannels: (p, _, ctx) => refs(ctx, p.coversChannels),
    reachesChannelKinds: (p) => (p.coversChannelKinds ?? []) as never,
    designations: (p, { asOf }, ctx) => edges(ctx, p.id, 'DESIGNATES', 'OUT', asOf),
  },
  OwnershipRule: {
    threshold: (p) => p.ruleThreshold!,
    thresholdInclusive: (p) => p.ruleThresholdInclusive ?? true,
    countryBasis: (p) => (p.ruleCountryBasis ?? 'HEADQUARTERS') as never,
    includesIndirect: (p) => p.ruleIncludesIndirect ?? true,
    aggregation: (p) => (p.ruleAggregation ?? 'AGGREGATE') as never,
    controlCounts: (p) => p.ruleControlCounts ?? false,
    controlBases: (p) => (p.ruleControlBases ?? []) as never,
    description: (p) => describeRule(p),
  },
  Suspension: {
    sources: (s, _, ctx) => refs(ctx, s.sources),
  },
  Designation: {
    policy: (d, _, ctx) => ref(ctx, d._from),
    entity: (d, _, ctx) => ref(ctx, d._to),
    sources,
  },
};
