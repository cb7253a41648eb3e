import type { Resolvers } from '../__generated__/resolvers';
import { ARGUMENT_DEFAULTS, type Context } from '../context';
import { badInput, notFound } from '../errors';
import type { ExposureRow } from '../exposureRows';
import type { ChannelAccessRow, ModelExposureRow } from '../lineageRows';
import type { RowOf } from '../../records/rows';
import {
  accessByChannel,
  overallAccess,
  overallNote,
  policyDecision,
  worstFirst,
  inForce,
  lineage,
  lookThrough,
  policyVerdict,
  type CustomerVerdict,
  type DerivationMethod,
  type Lineage,
  type OwnershipGraph,
  type UnknownAs,
} from '../../reasoning';
import { fetchLineage, type LineageData } from '../../queries/lineageSubgraph';
import {
  fetchCoveringPolicies,
  fetchModelsCovered,
  fetchOffers,
  fetchOpenWeightsAvailable,
} from '../../queries/modelAccess';
import { fetchUpstream } from '../../queries/ownershipSubgraph';
import { requireParty, unwrap } from '../arguments';
import { ref, refs, rowOf } from './shared';

async function requireModel(ctx: Context, argument: string, id: string): Promise<RowOf<'AIModel'>> {
  const row = await ctx.loaders.record.load(id);
  if (!row || row._label !== 'AIModel') throw notFound(argument, 'model', id);
  return rowOf(row, ['AIModel']);
}

function checkDepth(ctx: Context, maxDepth: number | null | undefined): number {
  const depth = maxDepth ?? 10;
  if (!Number.isInteger(depth) || depth < 0 || depth > ctx.config.MAX_DEPTH) {
    throw badInput('maxDepth', `must be between 0 and ${ctx.config.MAX_DEPTH}`, maxDepth);
  }
  return depth;
}

/** Derivations in force on a day (all of them without a day), then the pure DAG walk. */
function walk(
  data: LineageData,
  rootId: string,
  options: {
    direction: 'UP' | 'DOWN' | 'BOTH';
    methods?: DerivationMethod[] | null;
    includeAlleged: boolean;
    asOf?: string | null;
    maxDepth: number;
  },
): Lineage {
  const derivations = options.asOf
    ? data.derivations.filter((d) => inForce(d, options.asOf!))
    : data.derivations;
  return unwrap(
    lineage(data.models, derivations, rootId, {
      direction: options.direction,
      includeAlleged: options.includeAlleged,
      maxDepth: options.maxDepth,
      ...(options.methods ? { methods: options.methods } : {}),
    })!,
  );
}

function exposureOf(graph: OwnershipGraph, entityId: string, asOf: string): ExposureRow {
  return {
    entityId,
    asOf,
    basis: 'HEADQUARTERS',
    look: unwrap(lookThrough(graph, entityId, { asOf })!),
    graph,
  };
}

export const lineageResolvers: Resolvers = {
  Query: {
    lineage: async (_, { model, direction, methods, includeAlleged, asOf, maxDepth }, ctx) => {
      await requireModel(ctx, 'model', model);
      if (methods && methods.length === 0)
        throw badInput('methods', 'must name at least one method, or be left out for all', methods);
      const depth = checkDepth(ctx, maxDepth);
      const dir = direction ?? 'BOTH';
      const data = await ctx.db.read((query) => fetchLineage(query, [model], dir));
      const result = walk(data, model, {
        direction: dir,
        methods,
        includeAlleged: includeAlleged ?? true,
        asOf,
        maxDepth: depth,
      });
      const developerIds = [
        ...new Set(
          result.nodes.map((n) => data.models.get(n.id)?.developerId).filter((d): d is string => !!d),
        ),
      ];
      return {
        rootId: model,
        nodes: result.nodes,
        edges: result.edges.map((e) => data.rows.get(e.id)!),
        developerIds,
      };
    },
    modelJurisdiction: async (_, { model, asOf, includeAlleged, maxDepth }, ctx) => {
      const row = await requireModel(ctx, 'model', model);
      const depth = checkDepth(ctx, maxDepth);
      const day = asOf ?? ctx.today;
      const data = await ctx.db.read((query) => fetchLineage(query, [model], 'UP'));
      const result = walk(data, model, {
        direction: 'UP',
        includeAlleged: includeAlleged ?? true,
        asOf: day,
        maxDepth: depth,
      });
      const developerOf = (id: string) => data.models.get(id)?.developerId ?? null;
      const developers = [
        ...new Set([
          row.developer,
          ...result.nodes.map((n) => developerOf(n.id)).filter((d): d is string => !!d),
        ]),
      ];
      const graph = await ctx.db.read((query) => fetchUpstream(query, developers));
      return {
        modelId: model,
        developerId: row.developer,
        developerExposure: exposureOf(graph, row.developer, day),
        upstream: result.nodes
          .filter((n) => n.side !== 'ROOT' && developerOf(n.id))
          .map((n) => ({
            modelId: n.id,
            depth: n.depth,
            developerId: developerOf(n.id)!,
            developerExposure: exposureOf(graph, developerOf(n.id)!, day),
          })),
      };
    },
    accessCheck: async (_, { customer, model, asOf, unknownAs }, ctx) => {
      const [, modelRow] = await Promise.all([
        requireParty(ctx, 'customer', customer),
        requireModel(ctx, 'model', model),
      ]);
      const day = asOf ?? ctx.today;
      const how = unknownAs ?? ARGUMENT_DEFAULTS.unknownAs;
      // Three independent queries of one transaction, pipelined on its connection rather than one after another.
      const [offers, policies, graph] = await ctx.db.read((query) =>
        Promise.all([
          fetchOffers(query, model),
          fetchCoveringPolicies(query, { ids: [model], developers: [modelRow.developer] }),
          fetchUpstream(query, [customer]),
        ]),
      );
      const verdicts = new Map(
        policies.map((p) => [
          p.rule.id,
          {
            ...unwrap(policyVerdict(graph, p.rule, customer, { asOf: day, unknownAs: how })!),
            unknownAs: how,
          },
        ]),
      );
      const customerVerdicts = new Map<string, CustomerVerdict>(
        [...verdicts].map(([id, v]) => [id, { verdict: v.verdict, policyStatus: v.policyStatus }]),
      );
      const current = offers.filter((o) => inForce(o.offering, day));
      const decisions = accessByChannel(
        current.map((o) => ({
          offeringId: o.offering.id,
          channelId: o.channel.id,
          channelName: o.channel.name as string,
          kind: rowOf(o.channel, ['AccessChannel']).kind,
        })),
        policies.map((p) => p.reach),
        customerVerdicts,
      );
      const channels: ChannelAccessRow[] = decisions.map((d, i) => ({
        channel: current[i]!.channel,
        offering: current[i]!.offering,
        decision: d.decision,
        enforceable: d.enforceable,
        note: d.note,
        policies: d.policies.map((p) => ({ ...p, verdict: verdicts.get(p.policyId)! })),
      }));
      const decision = overallAccess(channels.map((c) => c.decision));
      const named = channels.map((c) => ({ decision: c.decision, channelName: c.channel.name as string }));
      return {
        customerId: customer,
        modelId: model,
        asOf: day,
        decision,
        note: overallNote(decision, named, day),
        channels,
      };
    },
    modelExposure: async (_, { entity, asOf, includeAlleged }, ctx): Promise<ModelExposureRow> => {
      await requireParty(ctx, 'entity', entity);
      const day = asOf ?? ctx.today;
      const develops = await ctx.loaders.linked('DEVELOPED_BY', 'IN').load(entity);
      const { data, policies, graph, open } = await ctx.db.read(async (query) => ({
        data:
          develops.length > 0
            ? await fetchLineage(
                query,
                develops.map((m) => m.id),
                'UP',
              )
            : null,
        policies: await fetchCoveringPolicies(query),
        graph: await fetchUpstream(query, [entity]),
        open: await fetchOpenWeightsAvailable(query, day),
      }));
      const derivesFrom = new Map<string, string>();
      const upstream = new Set<string>();
      for (const m of develops) {
        if (!data) break;
        const result = walk(data, m.id, {
          direction: 'UP',
          includeAlleged: includeAlleged ?? true,
          asOf: day,
          maxDepth: ctx.config.MAX_DEPTH,
        });
        for (const e of result.edges) derivesFrom.set(e.id, e.id);
        for (const n of result.nodes) if (n.side === 'UP') upstream.add(n.id);
      }
      for (const m of develops) upstream.delete(m.id);
      // One query for the models of every policy, not one per policy.
      const covered = await ctx.db.read((query) =>
        fetchModelsCovered(
          query,
          policies.map((p) => p.reach),
        ),
      );
      const byPolicy = policies.map((p) => {
        const verdict = {
          ...unwrap(policyVerdict(graph, p.rule, entity, { asOf: day, unknownAs: 'NOT_COVERED' })!),
          unknownAs: 'NOT_COVERED' as UnknownAs,
        };
        const decision = policyDecision(verdict);
        const models = covered.get(p.rule.id) ?? [];
        return { policyId: p.rule.id, verdict, models, channelIds: p.reach.reachesChannels, decision };
      });
      return {
        entityId: entity,
        asOf: day,
        develops,
        derivesFrom: [...derivesFrom.keys()].map((id) => data!.rows.get(id)!),
        upstreamModelIds: [...upstream],
        byPolicy: byPolicy.sort((a, b) => worstFirst(a.decision, b.decision)),
        openWeightsAvailable: open,
      };
    },
  },
  Lineage: {
    root: (l, _, ctx) => ref(ctx, l.rootId, 'AIModel'),
    developers: (l, _, ctx) => refs(ctx, l.developerIds, 'Organization'),
  },
  LineageNode: {
    model: (n, _, ctx) => ref(ctx, n.id, 'AIModel'),
  },
  UpstreamJurisdiction: {
    model: (u, _, ctx) => ref(ctx, u.modelId, 'AIModel'),
    developer: (u, _, ctx) => ref(ctx, u.developerId, 'Organization'),
  },
  ModelJurisdiction: {
    model: (m, _, ctx) => ref(ctx, m.modelId, 'AIModel'),
    developer: (m, _, ctx) => ref(ctx, m.developerId, 'Organization'),
  },
  PolicyOnChannel: {
    policy: (p, _, ctx) => ref(ctx, p.policyId, 'Policy'),
  },
  AccessCheck: {
    customer: (a, _, ctx) => ref(ctx, a.customerId, 'Organization', 'Person'),
    model: (a, _, ctx) => ref(ctx, a.modelId, 'AIModel'),
  },
  PolicyModelAccess: {
    policy: (p, _, ctx) => ref(ctx, p.policyId, 'Policy'),
    channels: (p, _, ctx) => refs(ctx, p.channelIds, 'AccessChannel'),
  },
  ModelExposure: {
    entity: (m, _, ctx) => ref(ctx, m.entityId, 'Organization', 'Person'),
    upstreamModels: (m, _, ctx) => refs(ctx, m.upstreamModelIds, 'AIModel'),
  },
};
