import type { Resolvers } from '../__generated__/resolvers';
import type { SuspensionRow, UnsettledChannelRow } from '../../records/rows';
import { readOwnershipRule, type OwnershipRuleRow } from '../../records/ownershipRule';
import { aliases, datePrecisions, edges, ref, refs, sources } from './shared';

/** The rule in words, as a compliance analyst would write it. */
export function describeRule(p: OwnershipRuleRow): string {
  const threshold = `${p.thresholdInclusive ? '' : 'more than '}${p.threshold}%${p.thresholdInclusive ? ' or more' : ''}`;
  const how = p.includesIndirect ? 'directly or indirectly' : 'directly';
  const basis =
    p.countryBasis === 'HEADQUARTERS'
      ? 'headquartered in'
      : p.countryBasis === 'INCORPORATION'
        ? 'incorporated in'
        : 'headquartered or incorporated in';
  // Roots are the policy's designated entities and, where it targets jurisdictions, entities based there.
  const who = p.targets.length
    ? `designated entities or entities ${basis} ${p.targets.join(', ')}`
    : 'designated entities';
  const control = p.controlCounts
    ? `; control without equity (${(p.controlBases ?? []).join(', ') || 'any basis'}) also counts`
    : '';
  return `${threshold} owned, ${how}, in aggregate, by ${who}${control}`;
}

export const policyResolvers: Resolvers = {
  Policy: {
    aliases,
    sources,
    issuer: (p, _, ctx) => ref(ctx, p.issuer, 'Organization'),
    suspensions: (p) => (p.suspensionsJson ? (JSON.parse(p.suspensionsJson) as SuspensionRow[]) : []),
    targets: (p, _, ctx) =>
      refs(
        ctx,
        (p.targets ?? []).map((c) => `country:${c}`),
        'Country',
      ),
    ownershipRule: (p) => {
      const rule = readOwnershipRule(p);
      return rule && { ...rule, targets: p.targets ?? [] };
    },
    coversModelsOf: (p, _, ctx) => refs(ctx, p.coversDevelopers, 'Organization'),
    coversModels: (p, _, ctx) => refs(ctx, p.coversModels, 'AIModel'),
    reachesChannels: (p, _, ctx) => refs(ctx, p.coversChannels, 'AccessChannel'),
    reachesChannelKinds: (p) => p.coversChannelKinds ?? [],
    channelsUnsettled: (p) =>
      p.coversChannelsUnsettledJson
        ? (JSON.parse(p.coversChannelsUnsettledJson) as UnsettledChannelRow[])
        : [],
    designations: (p, { asOf }, ctx) => edges(ctx, p.id, 'DESIGNATES', 'OUT', asOf),
  },
  OwnershipRule: {
    controlBases: (rule) => rule.controlBases ?? [],
    description: (rule) => describeRule(rule),
  },
  Suspension: {
    sources: (s, _, ctx) => refs(ctx, s.sources, 'Source'),
  },
  UnsettledChannel: {
    channel: (u, _, ctx) => ref(ctx, u.channel, 'AccessChannel'),
    sources: (u, _, ctx) => refs(ctx, u.sources, 'Source'),
  },
  Designation: {
    policy: (d, _, ctx) => ref(ctx, d._from, 'Policy'),
    entity: (d, _, ctx) => ref(ctx, d._to, 'Organization', 'Person'),
    ...datePrecisions,
    sources,
  },
};
