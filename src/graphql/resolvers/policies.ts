import type { Resolvers } from '../__generated__/resolvers';
import type { SuspensionRow, UnsettledChannelRow } from '../../records/rows';
import { readOwnershipRule, type OwnershipRuleRow } from '../../records/ownershipRule';
import { aliases, datePrecisions, edges, ref, refs } from './shared';
import { at, inherit } from '../knownAsOf';
import { recorded, sourcesAt as sources } from './recorded';

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
    ...recorded,
    aliases,
    sources,
    issuer: (p, _, ctx) => ref(at(ctx, p), p.issuer, 'Organization'),
    suspensions: (p) =>
      (p.suspensionsJson ? (JSON.parse(p.suspensionsJson) as SuspensionRow[]) : []).map((s) => inherit(p, s)),
    targets: (p, _, ctx) =>
      refs(
        at(ctx, p),
        (p.targets ?? []).map((c) => `country:${c}`),
        'Country',
      ),
    ownershipRule: (p) => {
      const rule = readOwnershipRule(p);
      return rule && { ...rule, targets: p.targets ?? [] };
    },
    coversModelsOf: (p, _, ctx) => refs(at(ctx, p), p.coversDevelopers, 'Organization'),
    coversModels: (p, _, ctx) => refs(at(ctx, p), p.coversModels, 'AIModel'),
    reachesChannels: (p, _, ctx) => refs(at(ctx, p), p.coversChannels, 'AccessChannel'),
    reachesChannelKinds: (p) => p.coversChannelKinds ?? [],
    channelsUnsettled: (p) =>
      p.coversChannelsUnsettledJson
        ? (JSON.parse(p.coversChannelsUnsettledJson) as UnsettledChannelRow[]).map((u) => inherit(p, u))
        : [],
    designations: (p, { asOf }, ctx) => edges(at(ctx, p), p.id, 'DESIGNATES', 'OUT', asOf),
  },
  OwnershipRule: {
    controlBases: (rule) => rule.controlBases ?? [],
    description: (rule) => describeRule(rule),
  },
  Suspension: {
    sources: (s, _, ctx) => refs(at(ctx, s), s.sources, 'Source'),
  },
  UnsettledChannel: {
    channel: (u, _, ctx) => ref(at(ctx, u), u.channel, 'AccessChannel'),
    sources: (u, _, ctx) => refs(at(ctx, u), u.sources, 'Source'),
  },
  Designation: {
    ...recorded,
    policy: (d, _, ctx) => ref(at(ctx, d), d._from, 'Policy'),
    entity: (d, _, ctx) => ref(at(ctx, d), d._to, 'Organization', 'Person'),
    ...datePrecisions,
    sources,
  },
};
