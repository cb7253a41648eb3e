import { GraphQLError } from 'graphql';
import type { Resolvers } from '../__generated__/resolvers';
import type { Context } from '../context';
import { ErrorCode, badInput, notFound } from '../errors';
import {
  controlRow,
  ownershipRow,
  percent,
  type CoveredEntityRow,
  type ExposureRow,
  type ScreenVerdictRow,
} from '../exposureRows';
import { today } from '../scalars';
import {
  coveredEntities,
  describeDesignation,
  inForce,
  lookThrough,
  ownersByDepth,
  policyVerdict,
  type OwnershipGraph,
  type PolicyRule,
  type Result,
  type Share,
  type UnknownAs,
} from '../../reasoning';
import { fetchDownstream, fetchUpstream } from '../../queries/ownershipSubgraph';
import { fetchPolicyRules } from '../../queries/policyRules';
import { fetchConnections, MAX_HOPS } from '../../queries/connections';
import type { NodeRow, ShareRow } from '../rows';
import { encodeCursor, decodeCursor } from './pagination';
import { screenCustomers } from './screening';
import { displayShare, ref, refs, sources } from './shared';

/** The party an id names, or a NOT_FOUND error naming the argument. */
export async function requireParty(ctx: Context, argument: string, id: string): Promise<NodeRow> {
  const row = await ctx.loaders.record.load(id);
  if (!row || (row._label !== 'Organization' && row._label !== 'Person'))
    throw notFound(argument, 'organization or person', id);
  return row;
}

export async function requirePolicy(ctx: Context, argument: string, id: string): Promise<PolicyRule> {
  const rules = await ctx.db.read((query) => fetchPolicyRules(query, [id]));
  const rule = rules.get(id);
  if (!rule) throw notFound(argument, 'policy', id);
  return rule;
}

/** A reasoning result, or its first error as BAD_USER_INPUT naming the argument it concerns. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const first = result.errors[0]!;
  throw new GraphQLError(first.message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument: first.path.join('.') },
  });
}

/** A policy with its threshold overridden for a what-if question ("would they be covered at 25%?"). */
export function withThreshold(
  rule: PolicyRule,
  threshold: number | null | undefined,
  inclusive: boolean | null | undefined,
): PolicyRule {
  if (threshold == null && inclusive == null) return rule;
  if (threshold != null && !(threshold > 0 && threshold <= 100)) {
    throw badInput('threshold', 'must be above 0 and at most 100 (percent)', threshold);
  }
  return {
    ...rule,
    threshold: threshold != null ? threshold / 100 : rule.threshold,
    thresholdInclusive: inclusive ?? rule.thresholdInclusive,
    includesIndirect: threshold != null ? true : rule.includesIndirect,
  };
}

export function toShareRow(share: Share | null): ShareRow | null {
  if (!share) return null;
  if (share.unknown) return {};
  if (share.min === share.max) return { exact: share.min * 100 };
  return {
    [share.minExclusive ? 'exclusiveMinimum' : 'minimum']: share.min * 100,
    [share.maxExclusive ? 'exclusiveMaximum' : 'maximum']: share.max * 100,
  };
}

const countryRecord = (code: string | null, ctx: Context) =>
  code ? ctx.loaders.record.load(`country:${code}`) : null;

/** Reasons in a few words, for screening rows and sweeps. */
export function shortReason(
  rule: PolicyRule,
  graph: OwnershipGraph,
  entityId: string,
  coverage: { reason: string | null; share: { lower: number; upper: number }; verdict: string },
): string {
  const entity = graph.entities.get(entityId);
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  if (coverage.reason === 'ROOT') {
    const designated = rule.designations.some((d) => d.entityId === entityId);
    if (designated)
      return describeDesignation(
        rule.designations.filter((d) => d.entityId === entityId),
        rule.name,
      );
    const hq = entity?.headquartersCountry;
    const inc = entity?.incorporationCountry;
    if (rule.countryBasis !== 'INCORPORATION' && hq && rule.targetCountries.includes(hq))
      return `headquartered in ${hq}`;
    return `incorporated in ${inc}`;
  }
  if (coverage.reason === 'CONTROL') return 'controlled without equity by a covered party';
  const range =
    coverage.share.lower === coverage.share.upper
      ? pct(coverage.share.lower)
      : `${pct(coverage.share.lower)}–${pct(coverage.share.upper)}`;
  if (coverage.verdict === 'NOT_COVERED') return `covered owners hold at most ${pct(coverage.share.upper)}`;
  return `owned ${range} by covered owners`;
}

export const exposureResolvers: Resolvers = {
  Query: {
    exposure: async (_, { entity, asOf, basis, stopAt, targetCountries }, ctx) => {
      await requireParty(ctx, 'entity', entity);
      if (stopAt === 'TARGETED_COUNTRY' && !targetCountries?.length)
        throw badInput('targetCountries', 'must name at least one country with stopAt TARGETED_COUNTRY', []);
      const day = asOf ?? today();
      const graph = await ctx.db.read((query) => fetchUpstream(query, [entity]));
      const how = { basis: basis ?? 'HEADQUARTERS', stopAt: stopAt ?? 'ULTIMATE_OWNER' } as const;
      const look = unwrap(
        lookThrough(graph, entity, { asOf: day, ...how, targetCountries: targetCountries ?? [] })!,
      );
      return { entityId: entity, asOf: day, basis: basis ?? 'HEADQUARTERS', look, graph };
    },
    policyVerdict: async (_, { entity, policy, asOf, unknownAs, threshold, thresholdInclusive }, ctx) => {
      await requireParty(ctx, 'entity', entity);
      const rule = withThreshold(await requirePolicy(ctx, 'policy', policy), threshold, thresholdInclusive);
      const day = asOf ?? today();
      const graph = await ctx.db.read((query) => fetchUpstream(query, [entity]));
      const how = (unknownAs ?? 'NOT_COVERED') as UnknownAs;
      const verdict = unwrap(policyVerdict(graph, rule, entity, { asOf: day, unknownAs: how })!);
      return { ...verdict, unknownAs: how };
    },
    screen: (_, args, ctx) => screenCustomers(ctx, args),
    coveredEntities: async (
      _,
      { policy, asOf, unknownAs, first, after, threshold, thresholdInclusive },
      ctx,
    ) => {
      const rule = withThreshold(await requirePolicy(ctx, 'policy', policy), threshold, thresholdInclusive);
      const limit = first ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      }
      const afterId = after ? decodeCursor(after) : null;
      const day = asOf ?? today();
      const designated = rule.designations.filter((d) => inForce(d, day)).map((d) => d.entityId);
      const graph = await ctx.db.read((query) =>
        fetchDownstream(query, { designated, targets: rule.targetCountries, basis: rule.countryBasis }),
      );
      const sweep = unwrap(
        coveredEntities(graph, rule, { asOf: day, unknownAs: (unknownAs ?? 'NOT_COVERED') as UnknownAs }),
      );
      const all: CoveredEntityRow[] = sweep.entities
        .filter((e) => e.verdict !== 'NOT_COVERED')
        .map((e) => {
          const share = rule.aggregation === 'AGGREGATE' || !e.lookThrough ? e.aggregate : e.lookThrough;
          return {
            entityId: e.entityId,
            verdict: e.verdict,
            share,
            reason: shortReason(rule, graph, e.entityId, { reason: e.reason, share, verdict: e.verdict }),
          };
        })
        .sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0));
      const start = afterId === null ? 0 : all.findIndex((e) => e.entityId > afterId);
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const edges = page.map((node) => ({ cursor: encodeCursor(node.entityId), node }));
      return {
        policyId: rule.id,
        asOf: day,
        policyStatus: sweep.policyStatus,
        edges,
        nodes: page,
        pageInfo: {
          hasNextPage: start >= 0 && start + limit < all.length,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: all.length,
      };
    },
    connections: async (_, { from, to, maxHops, viaCountries }, ctx) => {
      const hops = maxHops ?? 6;
      if (!Number.isInteger(hops) || hops < 1 || hops > MAX_HOPS)
        throw badInput('maxHops', `must be between 1 and ${MAX_HOPS}`, maxHops);
      const [a, b] = await ctx.loaders.record.loadMany([from, to]);
      if (!a || a instanceof Error) throw notFound('from', 'record', from);
      if (!b || b instanceof Error) throw notFound('to', 'record', to);
      const paths = await ctx.db.read((query) =>
        fetchConnections(query, { from, to, maxHops: hops, viaCountries: viaCountries ?? false }),
      );
      const names = new Map<string, string>();
      const rows = await refs(ctx, [...new Set(paths.flatMap((p) => p.nodeIds))]);
      for (const row of rows) names.set(row.id, (row.name as string) ?? (row.title as string) ?? row.id);
      return paths.map((p) => ({
        nodeIds: p.nodeIds,
        steps: p.steps.map((s) => ({
          ...s,
          description: describeStep(
            s.type,
            names.get(s.fromId) ?? s.fromId,
            names.get(s.toId) ?? s.toId,
            s.edge,
          ),
        })),
      }));
    },
  },
  Exposure: {
    entity: (e, _, ctx) => ref(ctx, e.entityId),
    ultimateOwners: (e) => e.look.owners,
    countries: (e) => (e.basis === 'INCORPORATION' ? e.look.byIncorporation : e.look.byHeadquarters),
    byHeadquarters: (e) => e.look.byHeadquarters,
    byIncorporation: (e) => e.look.byIncorporation,
    unknown: (e) => percent(e.look.unknown),
    selfHeld: (e) => percent(e.look.selfHeld),
    owners: (e, { maxDepth }, ctx) => {
      const depth = maxDepth ?? 10;
      if (!Number.isInteger(depth) || depth < 1 || depth > ctx.config.MAX_DEPTH) {
        throw badInput('maxDepth', `must be between 1 and ${ctx.config.MAX_DEPTH}`, maxDepth);
      }
      return ownersByDepth(e.graph, e.entityId, e.asOf, depth);
    },
    controllers: (e: ExposureRow) => e.graph.controls.filter((c) => inForce(c, e.asOf)).map(controlRow),
    approximate: (e) => e.look.approximate,
  },
  UltimateOwner: {
    party: (o, _, ctx) => ref(ctx, o.entityId),
    share: (o) => percent(o.share),
    headquarters: (o, _, ctx) => countryRecord(o.headquartersCountry, ctx) as never,
    incorporation: (o, _, ctx) => countryRecord(o.incorporationCountry, ctx) as never,
  },
  CountryShare: {
    country: (c, _, ctx) => countryRecord(c.country, ctx) as never,
    share: (c) => percent(c.share),
  },
  OwnerAtDepth: {
    party: (o, _, ctx) => ref(ctx, o.ownerId),
    stakes: (o) => o.stakes.map(ownershipRow),
  },
  PolicyVerdict: {
    entity: (v, _, ctx) => ref(ctx, v.entityId),
    policy: (v, _, ctx) => ref(ctx, v.policyId),
    threshold: (v) => Math.round(v.threshold.value * 100 * 1e9) / 1e9,
    thresholdInclusive: (v) => v.threshold.inclusive,
    aggregate: (v) => ({ ...percent(v.aggregate), verdict: v.aggregate.verdict }),
    lookThrough: (v) => ({ ...percent(v.lookThrough), verdict: v.lookThrough.verdict }),
    overallocated: (v, _, ctx) => refs(ctx, v.overallocated),
  },
  RootReason: {
    country: (r, _, ctx) => (r.kind === 'DESIGNATED' ? null : (countryRecord(r.country, ctx) as never)),
    designations: (r) =>
      r.kind === 'DESIGNATED'
        ? r.designations.map((d) => ({
            id: d.id,
            _from: d.policyId,
            _to: d.entityId,
            sourceIds: d.sourceIds,
            ...(d.startDate ? { startDate: d.startDate } : {}),
            ...(d.endDate ? { endDate: d.endDate } : {}),
            ...(d.listName ? { listName: d.listName } : {}),
          }))
        : [],
  },
  ExplanationPath: {
    root: (p, _, ctx) => ref(ctx, p.rootId),
    contribution: (p) => percent(p.contribution),
  },
  PathStep: {
    from: (s, _, ctx) => ref(ctx, s.fromId),
    to: (s, _, ctx) => ref(ctx, s.toId),
    share: (s) => toShareRow(s.share),
    sources: (s, _, ctx) => refs(ctx, s.sourceIds),
    coverageAfter: (s) => percent(s.toCoverage),
  },
  ScreenResult: {
    match: (r, _, ctx) => (r.matchId ? ref(ctx, r.matchId) : null),
  },
  ScreenVerdict: {
    policy: (v: ScreenVerdictRow, _, ctx) => ref(ctx, v.policyId),
    share: (v) => percent(v.share),
  },
  CoveredEntity: {
    party: (e, _, ctx) => ref(ctx, e.entityId),
    share: (e) => percent(e.share),
  },
  CoveredEntityConnection: {
    policy: (c, _, ctx) => ref(ctx, c.policyId),
  },
  ConnectionPath: {
    length: (p) => p.steps.length,
    nodes: (p, _, ctx) => refs(ctx, p.nodeIds),
  },
  ConnectionStep: {
    from: (s, _, ctx) => ref(ctx, s.fromId),
    to: (s, _, ctx) => ref(ctx, s.toId),
    share: (s) => (s.type === 'OWNS' ? (toShareRowFromEdge(s.edge) ?? {}) : null),
    startDate: (s) => (s.edge.startDate as string | undefined) ?? null,
    endDate: (s) => (s.edge.endDate as string | undefined) ?? null,
    sources: (s, _, ctx) => sources(s.edge, null, ctx),
  },
};

function toShareRowFromEdge(edge: Record<string, unknown>): ShareRow | null {
  const pick = (k: string) => edge[`share${k}`] as number | undefined;
  const row: ShareRow = {
    exact: pick('Exact'),
    minimum: pick('Minimum'),
    maximum: pick('Maximum'),
    exclusiveMinimum: pick('ExclusiveMinimum'),
    exclusiveMaximum: pick('ExclusiveMaximum'),
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as ShareRow;
}

const VERBS: Record<string, string> = {
  OWNS: 'owns',
  CONTROLS: 'controls',
  DERIVED_FROM: 'is derived from',
  OFFERS: 'offers',
  DESIGNATES: 'designates',
  DEVELOPED_BY: 'is developed by',
  OPERATED_BY: 'is operated by',
  ISSUED_BY: 'is issued by',
  TARGETS: 'targets',
  COVERS_MODELS_OF: 'covers the models of',
  COVERS_MODEL: 'covers',
  REACHES: 'reaches',
  ALLEGED_BY: 'is alleged by',
  AGAINST: 'is made against',
  CONCERNS_MODEL: 'concerns',
  CONCERNS_SOURCE_MODEL: 'concerns the source model',
  HEADQUARTERED_IN: 'is headquartered in',
  INCORPORATED_IN: 'is incorporated in',
  NATIONAL_OF: 'is a national of',
  RESIDES_IN: 'resides in',
};

export function describeStep(type: string, from: string, to: string, edge: Record<string, unknown>): string {
  const verb = VERBS[type] ?? type.toLowerCase().replace(/_/g, ' ');
  if (type === 'OWNS') {
    const share = toShareRowFromEdge(edge) ?? {};
    const shown = edge.shareUnknown ? 'an undisclosed stake in' : `${displayShare(share)} of`;
    return `${from} owns ${shown} ${to}${edge.startDate ? ` (since ${edge.startDate})` : ''}`;
  }
  return `${from} ${verb} ${to}`;
}
