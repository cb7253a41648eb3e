import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../__generated__/resolvers';
import { ARGUMENT_DEFAULTS, type Context } from '../context';
import { badInput, notFound } from '../errors';
import type { ExposureRow } from '../exposureRows';
import type { ChannelAccessRow, ModelExposureRow } from '../lineageRows';
import type { RowOf } from '../../records/rows';
import {
  accessByChannel,
  offerStatus,
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
  fetchOpenWeightsAvailable,
  type CoveringPolicy,
} from '../../queries/modelAccess';
import { fetchUpstream } from '../../queries/ownershipSubgraph';
import { expensiveFields } from '../expensiveFieldBatch';
import { unwrap } from '../arguments';
import { ref, refs, rowOf } from './shared';
import { selectsField } from './exposure';
import {
  fetchCoveringPoliciesKnownAt,
  fetchLineageKnownAt,
  fetchModelAccessKnownAt,
  fetchModelsCoveredKnownAt,
  fetchOpenWeightsAvailableKnownAt,
  fetchUpstreamKnownAt,
} from '../../queries/knownAsOf';
import { at, checkKnownAsOf, contextAt, requirePartyAt, stamp, stampAnswer, upstreamAt } from '../knownAsOf';

async function requireModel(
  ctx: Context,
  argument: string,
  id: string,
  knownAsOf?: string | null,
): Promise<RowOf<'AIModel'>> {
  const row = await contextAt(ctx, knownAsOf).loaders.record.load(id);
  if (!row || row._label !== 'AIModel')
    throw notFound(argument, knownAsOf ? `model known at ${knownAsOf}` : 'model', id);
  return rowOf(row, ['AIModel']);
}

/**
 * What an access check reads, all in one statement (issue 15 item 3, fetchAccessReads): the customer's upstream
 * graph, and the model's offers and the ids of the policies reaching it; the policies themselves only when none
 * is kept at the graph stamp that statement saw; the customer's and the model's own records only when the
 * answer shows them, in the same round (the upstream graph holds the customer exactly when it is an
 * organization or a person, and the access read finds the model exactly when it is one). Awaited in argument
 * order, so an unknown customer is still the error reported first.
 */
async function accessReads(
  ctx: Context,
  customer: string,
  model: string,
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
) {
  const party = selectsField(info, 'customer') ? requirePartyAt(ctx, 'customer', customer, null) : null;
  const modelRow = selectsField(info, 'model') ? requireModel(ctx, 'model', model) : null;
  const reads = expensiveFields(ctx).accessReads.load({ customer, model });
  for (const read of [modelRow, reads]) read?.catch(() => undefined);
  if (party) await party;
  else if (!(await reads).graph.entities.has(customer))
    throw notFound('customer', 'organization or person', customer);
  if (modelRow) await modelRow;
  const { graph, access } = await reads;
  if (!access) throw notFound('model', 'model', model);
  const policies = await coveringPolicies(ctx, access.policyIds, access.stamp);
  return { offers: access.offers, policies, graph };
}

/**
 * The covering policies an access read named, as kept per graph stamp by the sweep cache when the access read
 * saw the stamp they were kept at (policies change only with a write, and every write moves the stamp); else
 * read, after the stamp in the same transaction, and kept (a policy deleted since the access read is left out).
 */
async function coveringPolicies(ctx: Context, ids: string[], seen: string): Promise<CoveringPolicy[]> {
  const cache = ctx.sweepCache;
  const held = ids.map((id) => cache?.heldCovering(id));
  if (held.every((h) => h?.stamp === seen)) return held.map((h) => h!.policy);
  const read = await expensiveFields(ctx).stampedCoveringPolicy.loadMany(ids);
  return read.flatMap((p) => {
    if (p instanceof Error) throw p;
    return p.found ? [p.found] : [];
  });
}

/** The same as known at an instant: the model's developer, read first, says which policies reach it. */
async function accessReadsKnownAt(ctx: Context, customer: string, model: string, known: string) {
  const [, modelRow] = await Promise.all([
    requirePartyAt(ctx, 'customer', customer, known),
    requireModel(ctx, 'model', model, known),
  ]);
  const access = { id: model, developer: modelRow.developer };
  const [{ offers, policies }, graph] = await Promise.all([
    ctx.db.read((query) => fetchModelAccessKnownAt(query, access, known)),
    upstreamAt(ctx, [customer], known),
  ]);
  return { offers, policies, graph };
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
    lineage: async (_, { model, direction, methods, includeAlleged, asOf, maxDepth, knownAsOf }, ctx) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      await requireModel(ctx, 'model', model, known);
      if (methods && methods.length === 0)
        throw badInput('methods', 'must name at least one method, or be left out for all', methods);
      const depth = checkDepth(ctx, maxDepth);
      const dir = direction ?? 'BOTH';
      const data = known
        ? await ctx.db.read((query) => fetchLineageKnownAt(query, [model], dir, known))
        : await expensiveFields(ctx).lineage(dir).load(model);
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
      const row = {
        rootId: model,
        nodes: result.nodes,
        edges: result.edges.map((e) => data.rows.get(e.id)!),
        developerIds,
      };
      // Under knownAsOf, the models, developers and derivations it names are read as known then too.
      if (!known) return row;
      return stamp(
        {
          ...row,
          nodes: row.nodes.map((n) => stamp({ ...n }, known)),
          edges: row.edges.map((e) => stamp(e, known)),
        },
        known,
      );
    },
    modelJurisdiction: async (_, { model, asOf, includeAlleged, maxDepth, knownAsOf }, ctx) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      const row = await requireModel(ctx, 'model', model, known);
      const depth = checkDepth(ctx, maxDepth);
      const day = asOf ?? ctx.today;
      const data = known
        ? await ctx.db.read((query) => fetchLineageKnownAt(query, [model], 'UP', known))
        : await expensiveFields(ctx).lineage('UP').load(model);
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
      const graph = await upstreamAt(ctx, developers, known);
      // Under knownAsOf, the models, developers, owners and countries it names read as known then too.
      return stampAnswer(
        {
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
        },
        known,
      );
    },
    accessCheck: async (_, { customer, model, asOf, unknownAs, knownAsOf }, ctx, info) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      const day = asOf ?? ctx.today;
      const how = unknownAs ?? ARGUMENT_DEFAULTS.unknownAs;
      const { offers, policies, graph } = known
        ? await accessReadsKnownAt(ctx, customer, model, known)
        : await accessReads(ctx, customer, model, info);
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
      const current = offers
        .map((o) => ({ ...o, offered: offerStatus(o.offering, day) }))
        .filter((o) => o.offered !== null);
      const decisions = accessByChannel(
        current.map((o) => ({
          offeringId: o.offering.id,
          channelId: o.channel.id,
          channelName: o.channel.name as string,
          kind: rowOf(o.channel, ['AccessChannel']).kind,
          offered: o.offered ?? 'OFFERED',
        })),
        policies.map((p) => p.reach),
        customerVerdicts,
      );
      const channels: ChannelAccessRow[] = decisions.map((d, i) => ({
        channel: current[i]!.channel,
        offering: current[i]!.offering,
        offered: d.offer.offered ?? 'OFFERED',
        decision: d.decision,
        enforceable: d.enforceable,
        note: d.note,
        policies: d.policies.map((p) => ({ ...p, verdict: verdicts.get(p.policyId)! })),
      }));
      const decision = overallAccess(channels.map((c) => c.decision));
      const named = channels.map((c) => ({ decision: c.decision, channelName: c.channel.name as string }));
      const answer = {
        customerId: customer,
        modelId: model,
        asOf: day,
        decision,
        note: overallNote(decision, named, day),
        channels,
      };
      // Under knownAsOf, the customer, model, channels, offerings and policies it names read as known then.
      if (!known) return answer;
      for (const c of channels) {
        stamp(c, known);
        stamp(c.channel, known);
        stamp(c.offering, known);
        for (const p of c.policies) stamp(p, known);
      }
      return stamp(answer, known);
    },
    modelExposure: async (_, { entity, asOf, includeAlleged, knownAsOf }, ctx): Promise<ModelExposureRow> => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      await requirePartyAt(ctx, 'entity', entity, known);
      const day = asOf ?? ctx.today;
      const develops = await contextAt(ctx, known).loaders.linked('DEVELOPED_BY', 'IN').load(entity);
      const modelIds = develops.map((m) => m.id);
      const { data, policies, graph, open } = await ctx.db.read(async (query) =>
        known
          ? {
              data: modelIds.length > 0 ? await fetchLineageKnownAt(query, modelIds, 'UP', known) : null,
              policies: await fetchCoveringPoliciesKnownAt(query, known),
              graph: await fetchUpstreamKnownAt(query, [entity], known),
              open: await fetchOpenWeightsAvailableKnownAt(query, day, known),
            }
          : {
              data: modelIds.length > 0 ? await fetchLineage(query, modelIds, 'UP') : null,
              policies: await fetchCoveringPolicies(query),
              graph: await fetchUpstream(query, [entity]),
              open: await fetchOpenWeightsAvailable(query, day),
            },
      );
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
      const reaches = policies.map((p) => p.reach);
      const covered = await ctx.db.read((query) =>
        known ? fetchModelsCoveredKnownAt(query, reaches, known) : fetchModelsCovered(query, reaches),
      );
      const byPolicy = policies.map((p) => {
        const verdict = {
          ...unwrap(policyVerdict(graph, p.rule, entity, { asOf: day, unknownAs: 'NOT_COVERED' })!),
          unknownAs: 'NOT_COVERED' as UnknownAs,
        };
        const { models, offerings } = covered.get(p.rule.id) ?? { models: [], offerings: [] };
        // As accessCheck: when none of the policy's models is offered anywhere on the day, the policy has
        // nothing to block or allow (issue 9).
        const offered = new Set(offerings.filter((o) => offerStatus(o, day) !== null).map((o) => o._to));
        const offeredModels = models.filter((m) => offered.has(m.id));
        const decision = offeredModels.length === 0 ? 'NOT_OFFERED' : policyDecision(verdict);
        return {
          policyId: p.rule.id,
          verdict,
          models,
          offeredModels,
          channelIds: p.reach.reachesChannels,
          decision,
        };
      });
      // Under knownAsOf, the models, policies and channels it names read as known then too.
      return stampAnswer(
        {
          entityId: entity,
          asOf: day,
          develops,
          derivesFrom: [...derivesFrom.keys()].map((id) => data!.rows.get(id)!),
          upstreamModelIds: [...upstream],
          byPolicy: byPolicy.sort((a, b) => worstFirst(a.decision, b.decision)),
          openWeightsAvailable: open,
        },
        known,
      );
    },
  },
  Lineage: {
    root: (l, _, ctx) => ref(at(ctx, l), l.rootId, 'AIModel'),
    developers: (l, _, ctx) => refs(at(ctx, l), l.developerIds, 'Organization'),
  },
  LineageNode: {
    model: (n, _, ctx) => ref(at(ctx, n), n.id, 'AIModel'),
  },
  UpstreamJurisdiction: {
    model: (u, _, ctx) => ref(at(ctx, u), u.modelId, 'AIModel'),
    developer: (u, _, ctx) => ref(at(ctx, u), u.developerId, 'Organization'),
  },
  ModelJurisdiction: {
    model: (m, _, ctx) => ref(at(ctx, m), m.modelId, 'AIModel'),
    developer: (m, _, ctx) => ref(at(ctx, m), m.developerId, 'Organization'),
  },
  PolicyOnChannel: {
    policy: (p, _, ctx) => ref(at(ctx, p), p.policyId, 'Policy'),
  },
  AccessCheck: {
    customer: (a, _, ctx) => ref(at(ctx, a), a.customerId, 'Organization', 'Person'),
    model: (a, _, ctx) => ref(at(ctx, a), a.modelId, 'AIModel'),
  },
  PolicyModelAccess: {
    policy: (p, _, ctx) => ref(at(ctx, p), p.policyId, 'Policy'),
    channels: (p, _, ctx) => refs(at(ctx, p), p.channelIds, 'AccessChannel'),
  },
  ModelExposure: {
    entity: (m, _, ctx) => ref(at(ctx, m), m.entityId, 'Organization', 'Person'),
    upstreamModels: (m, _, ctx) => refs(at(ctx, m), m.upstreamModelIds, 'AIModel'),
  },
};
