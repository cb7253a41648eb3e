import type { Resolvers, SearchType } from '../__generated__/resolvers';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import { badInput } from '../errors';
import {
  allegationFilter,
  channelFilter,
  fetchSuspendedPolicyIds,
  modelFilter,
  organizationFilter,
  policyFilter,
} from '../../queries/recordFilters';
import { fetchCountries } from '../../queries/recordPages';
import { fetchCountriesKnownAt, fetchSuspendedPolicyIdsKnownAt } from '../../queries/knownAsOf';
import { checkKnownAsOf, contextAt, stamp } from '../knownAsOf';
import { SearchTextRefused, searchNames } from '../../queries/search';
import type { NodeRow, RowOf, SearchHitRow } from '../../records/rows';
import { LABELS, type Label } from '../../records/vocabulary';
import { PROJECTING_ROOTS } from '../lookahead';
import { selectedProperties } from '../selectedProperties';
import { paginate } from './pagination';
import { rowOf } from './shared';
import { recorded } from './recorded';

const NO_FILTER = { where: [], params: {} };

const LABEL_OF_TYPE: Record<SearchType, Label> = {
  ORGANIZATION: 'Organization',
  PERSON: 'Person',
  MODEL: 'AIModel',
  POLICY: 'Policy',
  CHANNEL: 'AccessChannel',
  COUNTRY: 'Country',
};

/**
 * A record of the expected kind, or null: `organization(id: "model:x")` is null, not a model. With
 * `knownAsOf`, the record as known then (null when it was not known yet, or had been retracted by then).
 */
async function byId<L extends Label>(
  ctx: Context,
  id: string,
  label: L,
  knownAsOf?: string | null,
): Promise<RowOf<L> | null> {
  const row = await contextAt(ctx, checkKnownAsOf('knownAsOf', knownAsOf)).loaders.record.load(id);
  return row && row._label === label ? rowOf(row, [label]) : null;
}

/**
 * Search hits, primed into the record loader. Each record carries only the properties the operation reads
 * (selectedProperties.ts, as a read-ahead does), unless READ_AHEAD_PROJECTION is off or the operation's needs
 * are not known: a hit is a small answer, and decoding whole records was most of its cost (bench:peer).
 */
async function search(
  ctx: Context,
  info: GraphQLResolveInfo,
  text: string,
  labels: Label[] | null,
  first: number,
  knownAsOf: string | null,
): Promise<SearchHitRow[]> {
  const properties =
    ctx.config.READ_AHEAD_PROJECTION !== false && !knownAsOf
      ? selectedProperties(info, PROJECTING_ROOTS)?.nodes
      : undefined;
  const hits = await ctx.db
    .read((query) => searchNames(query, text, labels, first, properties))
    .catch((error: unknown) => {
      throw error instanceof SearchTextRefused ? badInput('text', error.message, text) : error;
    });
  if (knownAsOf) return hitsKnownAt(ctx, hits, text, knownAsOf);
  return hits.map(({ row, score }) => {
    ctx.loaders.record.prime(row.id, row);
    return { node: rowOf(row, LABELS), score, text };
  });
}

/**
 * The full-text index holds today's names only: today's hits, kept when their record was known at
 * `knownAsOf` and shown as it was then; `matched` is the name it had then that matches best.
 */
async function hitsKnownAt(
  ctx: Context,
  hits: Array<{ row: NodeRow; score: number }>,
  text: string,
  knownAsOf: string,
): Promise<SearchHitRow[]> {
  const then = await contextAt(ctx, knownAsOf).loaders.record.loadMany(hits.map((h) => h.row.id));
  return hits.flatMap(({ score }, i) => {
    const known = then[i];
    if (!known || known instanceof Error) return [];
    return [{ node: rowOf(known, LABELS), score, text }];
  });
}

function bestName(row: NodeRow, text: string): string {
  const names = [row.name as string, ...((row.aliases as string[] | undefined) ?? [])].filter(Boolean);
  const words = text.toLowerCase().replace(/~\d*/g, '').split(/\s+/).filter(Boolean);
  const scored = names.map((n) => ({ n, hits: words.filter((w) => n.toLowerCase().includes(w)).length }));
  scored.sort((a, b) => b.hits - a.hits);
  return scored[0]?.n ?? String(row.id);
}

export const queryResolvers: Resolvers = {
  Node: {
    __resolveType: (row) => row._label,
  },
  Source: recorded,
  SearchHit: {
    matched: (hit) => hit.matched ?? bestName(hit.node, hit.text ?? ''),
  },
  Query: {
    node: async (_, { id, knownAsOf }, ctx) => {
      const row = await contextAt(ctx, checkKnownAsOf('knownAsOf', knownAsOf)).loaders.record.load(id);
      return row && rowOf(row, LABELS);
    },
    nodes: async (_, { ids, knownAsOf }, ctx) => {
      if (ids.length > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('ids', `must hold at most ${ctx.config.MAX_PAGE_SIZE} ids`, `${ids.length} ids`);
      }
      const at = contextAt(ctx, checkKnownAsOf('knownAsOf', knownAsOf));
      const rows = await at.loaders.record.loadMany(ids);
      return rows.map((r) => (r === null || r instanceof Error ? null : rowOf(r, LABELS)));
    },
    organization: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'Organization', knownAsOf),
    person: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'Person', knownAsOf),
    country: (_, { code, knownAsOf }, ctx) =>
      byId(ctx, code.startsWith('country:') ? code : `country:${code.toUpperCase()}`, 'Country', knownAsOf),
    model: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'AIModel', knownAsOf),
    allegation: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'Allegation', knownAsOf),
    channel: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'AccessChannel', knownAsOf),
    policy: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'Policy', knownAsOf),
    source: (_, { id, knownAsOf }, ctx) => byId(ctx, id, 'Source', knownAsOf),
    search: (_, { text, types, first, knownAsOf }, ctx, info) => {
      if (!text.trim()) throw badInput('text', 'must not be empty', text);
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      const limit = first ?? 10;
      if (limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      }
      return search(ctx, info, text, types?.length ? types.map((t) => LABEL_OF_TYPE[t]) : null, limit, known);
    },
    organizations: (_, { filter, first, after, knownAsOf }, ctx) => {
      if (filter?.country && !/^[A-Z]{2}$/.test(filter.country))
        throw badInput('filter.country', 'must be an ISO alpha-2 code such as "CN"', filter.country);
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      return paginate(ctx, 'Organization', organizationFilter(filter ?? {}), first, after, known);
    },
    persons: (_, { first, after, knownAsOf }, ctx) =>
      paginate(ctx, 'Person', NO_FILTER, first, after, checkKnownAsOf('knownAsOf', knownAsOf)),
    models: (_, { filter, first, after, knownAsOf }, ctx) => {
      if (filter?.releasedFrom && filter?.releasedTo && filter.releasedFrom > filter.releasedTo) {
        throw badInput(
          'filter.releasedTo',
          `must not be before releasedFrom (${filter.releasedFrom})`,
          filter.releasedTo,
        );
      }
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      return paginate(ctx, 'AIModel', modelFilter(filter ?? {}), first, after, known);
    },
    allegations: (_, { filter, first, after, knownAsOf }, ctx) => {
      if (filter?.from && filter?.to && filter.from > filter.to) {
        throw badInput('filter.to', `must not be before filter.from (${filter.from})`, filter.to);
      }
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      return paginate(ctx, 'Allegation', allegationFilter(filter ?? {}), first, after, known);
    },
    policies: async (_, { filter, first, after, knownAsOf }, ctx) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      const day = filter?.inForceOn;
      const suspended = (d: string) =>
        ctx.db.read((query) =>
          known ? fetchSuspendedPolicyIdsKnownAt(query, d, known) : fetchSuspendedPolicyIds(query, d),
        );
      const inForceOn = day ? { day, suspended: await suspended(day) } : null;
      return paginate(ctx, 'Policy', policyFilter({ ...filter, inForceOn }), first, after, known);
    },
    channels: (_, { filter, first, after, knownAsOf }, ctx) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      return paginate(ctx, 'AccessChannel', channelFilter(filter ?? {}), first, after, known);
    },
    countries: async (_, { knownAsOf }, ctx) => {
      const known = checkKnownAsOf('knownAsOf', knownAsOf);
      if (!known) return (await ctx.db.read(fetchCountries)).map((row) => rowOf(row, ['Country']));
      const rows = await ctx.db.read((query) => fetchCountriesKnownAt(query, known));
      return rows.map((row) => rowOf(stamp(row, known), ['Country']));
    },
  },
};
