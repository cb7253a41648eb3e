import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Resolvers } from '../__generated__/resolvers';
import { dateInWords, type DatePrecision } from '../../model/common';
import { ARGUMENT_DEFAULTS, type Context } from '../context';
import type { RowOf } from '../../records/rows';
import { unwrap } from '../arguments';
import {
  at,
  checkKnownAsOf,
  contextAt,
  downstreamAt,
  inherit,
  knownAsOfOf,
  requirePartyAt,
  requirePolicyAt,
  stampAnswer,
  upstreamAt,
} from '../knownAsOf';
import { LABELS } from '../../records/vocabulary';
import { badInput, notFound } from '../errors';
import {
  controlRow,
  ownershipRow,
  type CoveredEntityRow,
  type ExposureRow,
  type ScreenVerdictRow,
} from '../exposureRows';
import {
  coveredEntities,
  describeStep,
  inForce,
  lookThrough,
  ownersByDepth,
  policyVerdict,
  allShortestPaths,
  shortReason,
  whatIfRule,
  withWhatIf,
  type PolicyRule,
  type WhatIf,
} from '../../reasoning';
import {
  connectionTypes,
  fetchConnections,
  MAX_HOPS,
  MAX_PATHS,
  type FoundPath,
} from '../../queries/connections';
import { fetchConnectingLinksKnownAt } from '../../queries/knownAsOf';
import type { Query } from '../../db/database';
import { expensiveFields } from '../expensiveFieldBatch';
import { upstreamStamp } from '../../queries/ownershipSubgraph';
import {
  displayShare,
  fractionToShareRow,
  percent,
  readStoredShare,
  SHARE_UNKNOWN_PROPERTY,
} from '../../records/share';
import { encodeCursor, decodeCursor } from './pagination';
import { screenCustomers } from './screening';
import { countryOf, displayName, ref, refs, sources } from './shared';

/**
 * Whether the field being resolved selects `name` directly below it (through fragments; their type conditions
 * are not checked, so a doubt answers yes). A verdict or an access check reads the record of an argument only
 * when its answer shows it: otherwise the upstream graph (or the model's access read) already says whether it
 * exists, and one query a request is saved (issue 15 item 3).
 */
export function selectsField(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  name: string,
): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const fragment = info.fragments[selection.name.value];
      if (!fragment || seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return visit(fragment.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/** The policy's rule with the question's what-if applied (validated against the data set's countries). */
async function ruleFor(
  ctx: Context,
  policy: string,
  whatIf: WhatIf,
  knownAsOf?: string | null,
): Promise<PolicyRule> {
  // Independent reads, sent together.
  const [known, stored] = await Promise.all([
    whatIfCountries(ctx, whatIf),
    requirePolicyAt(ctx, 'policy', policy, knownAsOf),
  ]);
  return unwrap(withWhatIf(stored, whatIf, known));
}

/** The what-if's target countries that the data set holds (refs never throws: it skips ids not there). */
async function whatIfCountries(ctx: Context, whatIf: WhatIf): Promise<Set<string>> {
  const codes = whatIf.targetCountries ?? [];
  const found = await refs(
    ctx,
    codes.map((c) => `country:${c}`),
    ...LABELS,
  );
  return new Set(found.filter((r) => r._label === 'Country').map((r) => r.id.slice('country:'.length)));
}

/**
 * A policy as stored (before what-ifs), current, read so that the sweep cache can keep it for the graph stamp
 * read just before it in the same transaction, or NOT_FOUND naming the argument. Without the sweep cache (or
 * as known at an instant), the usual batched read.
 */
async function storedPolicy(ctx: Context, id: string, knownAsOf: string | null | undefined) {
  const cache = knownAsOf ? null : ctx.sweepCache;
  if (!cache) return requirePolicyAt(ctx, 'policy', id, knownAsOf);
  const { found: rule } = await expensiveFields(ctx).stampedPolicyRule.load(id);
  if (!rule) throw notFound('policy', 'policy', id);
  return rule;
}

/**
 * `connections` as the database knew it at an instant: the links that hold the shortest paths, gathered from
 * both ends, then every shortest path among them (the reasoning's search, as Neo4j's is over current links).
 */
async function fetchConnectionsKnownAt(
  query: Query,
  args: { from: string; to: string; maxHops: number; viaCountries: boolean },
  knownAsOf: string,
): Promise<FoundPath[]> {
  const { from, to, maxHops } = args;
  const links = await fetchConnectingLinksKnownAt(
    query,
    { from, to, maxHops, types: connectionTypes(args.viaCountries) },
    knownAsOf,
  );
  const paths = allShortestPaths(
    links.map((l) => ({ id: l.edge.id, fromId: l.fromId, toId: l.toId })),
    from,
    to,
    { maxHops, limit: MAX_PATHS },
  );
  return paths.map((p) => ({ nodeIds: p.nodeIds, steps: p.links.map((i) => links[i]!) }));
}

/** Paths in a stable order: by the records they pass through, then the links they take. */
function byPath(a: FoundPath, b: FoundPath): number {
  const key = (p: FoundPath) => [...p.nodeIds, ...p.steps.map((s) => s.edge.id)].join('\u0000');
  const [x, y] = [key(a), key(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export const exposureResolvers: Resolvers = {
  Query: {
    exposure: async (_, { entity, asOf, knownAsOf, basis, stopAt, targetCountries, personCountry }, ctx) => {
      await requirePartyAt(ctx, 'entity', entity, knownAsOf);
      if (stopAt === 'TARGETED_COUNTRY' && !targetCountries?.length)
        throw badInput('targetCountries', 'must name at least one country with stopAt TARGETED_COUNTRY', []);
      const day = asOf ?? ctx.today;
      const graph = await upstreamAt(ctx, [entity], knownAsOf);
      const how = {
        basis: basis ?? 'HEADQUARTERS',
        stopAt: stopAt ?? 'ULTIMATE_OWNER',
        personCountry: personCountry ?? 'MATCH_BASIS',
      } as const;
      const look = unwrap(
        lookThrough(graph, entity, { asOf: day, ...how, targetCountries: targetCountries ?? [] })!,
      );
      // Under knownAsOf, the parties, countries and stakes it names read as known then too.
      return stampAnswer(
        { entityId: entity, asOf: day, basis: basis ?? 'HEADQUARTERS', look, graph },
        knownAsOf,
      );
    },
    policyVerdict: async (
      _,
      {
        entity,
        policy,
        asOf,
        knownAsOf,
        unknownAs,
        threshold,
        thresholdInclusive,
        countryBasis,
        targetCountries,
      },
      ctx,
      info,
    ) => {
      const whatIf = { threshold, thresholdInclusive, countryBasis, targetCountries };
      // The entity, the policy and the upstream subgraph are independent: the reads are sent at once, and
      // awaited in argument order, so an unknown entity is still the error reported first. The entity's own
      // record is read only when the answer shows it (or as known at an instant): the current upstream graph
      // holds the entity exactly when it is an organization or a person, which is all the check needs.
      // The policy as the sweep cache keeps it per graph stamp needs no read when the upstream read saw the
      // stamp it was kept at (policies change only with a write, and every write moves the stamp); otherwise it
      // is read now, beside the others.
      const party =
        knownAsOf || selectsField(info, 'entity') ? requirePartyAt(ctx, 'entity', entity, knownAsOf) : null;
      const held = knownAsOf ? undefined : ctx.sweepCache?.heldPolicy(policy);
      const storedRead = held ? null : storedPolicy(ctx, policy, knownAsOf);
      const countriesRead = whatIfCountries(ctx, whatIf);
      // A kept policy needs the graph's stamp to compare with; the batch reads it for every field that shares
      // the read (an alias whose policy is not kept, exposure of the same entity).
      const graphRead = upstreamAt(ctx, [entity], knownAsOf, { stamped: Boolean(held) });
      for (const read of [storedRead, countriesRead, graphRead]) read?.catch(() => undefined);
      if (party) await party;
      else if (!(await graphRead).entities.has(entity))
        throw notFound('entity', 'organization or person', entity);
      const graph = await graphRead;
      const stored =
        held && held.stamp === upstreamStamp(graph)
          ? held.rule
          : await (storedRead ?? storedPolicy(ctx, policy, knownAsOf));
      const rule = unwrap(withWhatIf(stored, whatIf, await countriesRead));
      const day = asOf ?? ctx.today;
      const how = unknownAs ?? ARGUMENT_DEFAULTS.unknownAs;
      const verdict = unwrap(policyVerdict(graph, rule, entity, { asOf: day, unknownAs: how })!);
      return stampAnswer({ ...verdict, unknownAs: how, whatIf: whatIfRule(rule, whatIf) }, knownAsOf);
    },
    screen: (_, args, ctx) => screenCustomers(ctx, args),
    coveredEntities: async (
      _,
      {
        policy,
        asOf,
        knownAsOf,
        unknownAs,
        first,
        after,
        threshold,
        thresholdInclusive,
        countryBasis,
        targetCountries,
      },
      ctx,
    ) => {
      const whatIf = { threshold, thresholdInclusive, countryBasis, targetCountries };
      const rule = await ruleFor(ctx, policy, whatIf, knownAsOf);
      const limit = first ?? ARGUMENT_DEFAULTS.coveredEntitiesPageSize;
      if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      }
      const afterId = after ? decodeCursor(after) : null;
      const day = asOf ?? ctx.today;
      const designated = rule.designations.filter((d) => inForce(d, day)).map((d) => d.entityId);
      const roots = { designated, targets: rule.targetCountries, basis: rule.countryBasis };
      const graph = await downstreamAt(ctx, roots, knownAsOf);
      const how = unknownAs ?? ARGUMENT_DEFAULTS.unknownAs;
      // Every listed entity, sorted: a pure function of the graph, the rule (with its what-ifs), the date and
      // `unknownAs`, so a graph the sweep cache holds keeps it and the next pages of the sweep skip the reasoning.
      const sweepRows = () => {
        const sweep = unwrap(coveredEntities(graph, rule, { asOf: day, unknownAs: how }));
        const rows: CoveredEntityRow[] = sweep.entities
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
        return { policyStatus: sweep.policyStatus, all: rows };
      };
      const { policyStatus, all } =
        ctx.sweepCache && !knownAsOf
          ? ctx.sweepCache.derived(graph, JSON.stringify(['coveredEntities', rule, day, how]), sweepRows)
          : sweepRows();
      const start = afterId === null ? 0 : all.findIndex((e) => e.entityId > afterId);
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const edges = page.map((node) => ({ cursor: encodeCursor(node.entityId), node }));
      return stampAnswer(
        {
          policyId: rule.id,
          asOf: day,
          policyStatus,
          edges,
          nodes: page,
          pageInfo: {
            hasNextPage: start >= 0 && start + limit < all.length,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
          totalCount: all.length,
          whatIf: whatIfRule(rule, whatIf),
        },
        knownAsOf,
      );
    },
    connections: async (_, { from, to, maxHops, viaCountries, knownAsOf }, ctx) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      const hops = maxHops ?? 6;
      if (!Number.isInteger(hops) || hops < 1 || hops > MAX_HOPS)
        throw badInput('maxHops', `must be between 1 and ${MAX_HOPS}`, maxHops);
      // Neo4j's shortest-path search refuses a path from a record to itself; there is nothing to connect.
      if (from === to)
        throw badInput('to', 'must differ from `from`: a record is not connected to itself', to);
      const view = contextAt(ctx, known);
      const [a, b] = await view.loaders.record.loadMany([from, to]);
      const what = known ? `record known at ${known}` : 'record';
      if (!a || a instanceof Error) throw notFound('from', what, from);
      if (!b || b instanceof Error) throw notFound('to', what, to);
      const found = await ctx.db.read((query) =>
        known
          ? fetchConnectionsKnownAt(
              query,
              { from, to, maxHops: hops, viaCountries: viaCountries ?? false },
              known,
            )
          : fetchConnections(query, { from, to, maxHops: hops, viaCountries: viaCountries ?? false }),
      );
      // The same paths in the same order whichever way they were found (Neo4j's order is its own).
      const paths = [...found].sort(byPath);
      const names = new Map<string, string>();
      const rows = await refs(view, [...new Set(paths.flatMap((p) => p.nodeIds))], ...LABELS);
      for (const row of rows) names.set(row.id, displayName(row));
      // Alleged derivations are worded with their accusers, never as fact.
      const allegations = new Map<string, RowOf<'Allegation'>>();
      const allegationIds = paths.flatMap((p) =>
        p.steps
          .filter((s) => s.type === 'DERIVED_FROM' && s.edge.allegation)
          .map((s) => s.edge.allegation as string),
      );
      for (const row of await refs(view, [...new Set(allegationIds)], 'Allegation'))
        allegations.set(row.id, row);
      const accuserIds = [...allegations.values()].flatMap((a) => a.accusers ?? []);
      for (const row of await refs(
        view,
        [...new Set(accuserIds)].filter((id) => !names.has(id)),
        'Organization',
        'Person',
      ))
        names.set(row.id, displayName(row));
      const derivationOf = (edge: Record<string, unknown>) => {
        const allegation = allegations.get(edge.allegation as string);
        return {
          basis: edge.basis === 'ALLEGED' ? ('ALLEGED' as const) : ('DECLARED' as const),
          accusers: (allegation?.accusers ?? []).map((id) => names.get(id) ?? id),
          status: allegation?.status ?? null,
        };
      };
      return stampAnswer(
        paths.map((p) => ({
          nodeIds: p.nodeIds,
          steps: p.steps.map((s) => ({
            ...s,
            description: describeStep(
              s.type,
              names.get(s.fromId) ?? s.fromId,
              names.get(s.toId) ?? s.toId,
              s.type === 'OWNS'
                ? {
                    share: displayShare(readStoredShare(s.edge, 'share') ?? {}),
                    undisclosed: s.edge[SHARE_UNKNOWN_PROPERTY] === true,
                    // A month-only start reads "since 2024-03 (month only)", not as its first day (issue 9).
                    startDate:
                      typeof s.edge.startDate === 'string'
                        ? dateInWords(
                            s.edge.startDate,
                            s.edge.startDatePrecision as DatePrecision | undefined,
                          )
                        : null,
                  }
                : undefined,
              s.type === 'DERIVED_FROM' ? derivationOf(s.edge) : undefined,
            ),
          })),
        })),
        known,
      );
    },
  },
  Exposure: {
    entity: (e, _, ctx) => ref(at(ctx, e), e.entityId, 'Organization', 'Person'),
    ultimateOwners: (e) => e.look.owners,
    personCountry: (e) => e.look.personCountry,
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
      return stampAnswer(ownersByDepth(e.graph, e.entityId, e.asOf, depth), knownAsOfOf(e));
    },
    controllers: (e: ExposureRow) =>
      e.graph.controls.filter((c) => inForce(c, e.asOf)).map((c) => inherit(e, controlRow(c))),
    approximate: (e) => e.look.approximate,
  },
  UltimateOwner: {
    party: (o, _, ctx) => ref(at(ctx, o), o.entityId, 'Organization', 'Person'),
    share: (o) => percent(o.share),
    headquarters: (o, _, ctx) => countryOf(at(ctx, o), o.headquartersCountry),
    incorporation: (o, _, ctx) => countryOf(at(ctx, o), o.incorporationCountry),
    country: (o, _, ctx) => countryOf(at(ctx, o), o.country.country),
    countryFrom: (o) => o.country.field,
  },
  CountryShare: {
    country: (c, _, ctx) => countryOf(at(ctx, c), c.country),
    share: (c) => percent(c.share),
  },
  OwnerAtDepth: {
    party: (o, _, ctx) => ref(at(ctx, o), o.ownerId, 'Organization', 'Person'),
    stakes: (o) => o.stakes.map((stake) => inherit(o, ownershipRow(stake))),
  },
  PolicyVerdict: {
    entity: (v, _, ctx) => ref(at(ctx, v), v.entityId, 'Organization', 'Person'),
    policy: (v, _, ctx) => ref(at(ctx, v), v.policyId, 'Policy'),
    threshold: (v) => Math.round(v.threshold.value * 100 * 1e9) / 1e9,
    thresholdInclusive: (v) => v.threshold.inclusive,
    aggregate: (v) => ({ ...percent(v.aggregate), verdict: v.aggregate.verdict }),
    lookThrough: (v) => ({ ...percent(v.lookThrough), verdict: v.lookThrough.verdict }),
    overallocated: (v, _, ctx) => refs(at(ctx, v), v.overallocated, 'Organization', 'Person'),
  },
  RootReason: {
    country: (r, _, ctx) => (r.kind === 'DESIGNATED' ? null : countryOf(at(ctx, r), r.country)),
    designations: (r) =>
      r.kind === 'DESIGNATED'
        ? r.designations.map((d) =>
            inherit(r, {
              id: d.id,
              _from: d.policyId,
              _to: d.entityId,
              sourceIds: d.sourceIds,
              ...(d.startDate ? { startDate: d.startDate } : {}),
              ...(d.endDate ? { endDate: d.endDate } : {}),
              ...(d.listName ? { listName: d.listName } : {}),
            }),
          )
        : [],
  },
  ExplanationPath: {
    root: (p, _, ctx) => ref(at(ctx, p), p.rootId, 'Organization', 'Person'),
    contribution: (p) => percent(p.contribution),
  },
  PathStep: {
    from: (s, _, ctx) => ref(at(ctx, s), s.fromId, 'Organization', 'Person'),
    to: (s, _, ctx) => ref(at(ctx, s), s.toId, 'Organization', 'Person'),
    share: (s) => (s.share ? fractionToShareRow(s.share) : null),
    sources: (s, _, ctx) => refs(at(ctx, s), s.sourceIds, 'Source'),
    coverageAfter: (s) => percent(s.toCoverage),
  },
  ScreenResult: {
    match: (r, _, ctx) => (r.matchId ? ref(at(ctx, r), r.matchId, 'Organization', 'Person') : null),
  },
  ScreenVerdict: {
    policy: (v: ScreenVerdictRow, _, ctx) => ref(at(ctx, v), v.policyId, 'Policy'),
    share: (v) => percent(v.share),
  },
  CoveredEntity: {
    party: (e, _, ctx) => ref(at(ctx, e), e.entityId, 'Organization', 'Person'),
    share: (e) => percent(e.share),
  },
  CoveredEntityConnection: {
    policy: (c, _, ctx) => ref(at(ctx, c), c.policyId, 'Policy'),
  },
  ConnectionPath: {
    length: (p) => p.steps.length,
    nodes: (p, _, ctx) => refs(at(ctx, p), p.nodeIds, ...LABELS),
  },
  ConnectionStep: {
    from: (s, _, ctx) => ref(at(ctx, s), s.fromId, ...LABELS),
    to: (s, _, ctx) => ref(at(ctx, s), s.toId, ...LABELS),
    share: (s) => (s.type === 'OWNS' ? (readStoredShare(s.edge, 'share') ?? {}) : null),
    startDate: (s) => s.edge.startDate ?? null,
    endDate: (s) => s.edge.endDate ?? null,
    sources: (s, _, ctx) => sources(s.edge, null, ctx),
  },
};
