import type { Resolvers, SearchType } from '../__generated__/resolvers';
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
import { SearchTextRefused, searchNames } from '../../queries/search';
import type { NodeRow, RowOf, SearchHitRow } from '../../records/rows';
import { LABELS, type Label } from '../../records/vocabulary';
import { paginate } from './pagination';
import { rowOf } from './shared';

const NO_FILTER = { where: [], params: {} };

const LABEL_OF_TYPE: Record<SearchType, Label> = {
  ORGANIZATION: 'Organization',
  PERSON: 'Person',
  MODEL: 'AIModel',
  POLICY: 'Policy',
  CHANNEL: 'AccessChannel',
  COUNTRY: 'Country',
};

/** A record of the expected kind, or null: `organization(id: "model:x")` is null, not a model. */
async function byId<L extends Label>(ctx: Context, id: string, label: L): Promise<RowOf<L> | null> {
  const row = await ctx.loaders.record.load(id);
  return row && row._label === label ? rowOf(row, [label]) : null;
}

/** Search hits, primed into the record loader, with the name or alias that matched best. */
async function search(
  ctx: Context,
  text: string,
  labels: Label[] | null,
  first: number,
): Promise<SearchHitRow[]> {
  const hits = await ctx.db
    .read((query) => searchNames(query, text, labels, first))
    .catch((error: unknown) => {
      throw error instanceof SearchTextRefused ? badInput('text', error.message, text) : error;
    });
  return hits.map(({ row, score }) => {
    ctx.loaders.record.prime(row.id, row);
    return { node: rowOf(row, LABELS), score, matched: bestName(row, text) };
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
  Query: {
    node: async (_, { id }, ctx) => {
      const row = await ctx.loaders.record.load(id);
      return row && rowOf(row, LABELS);
    },
    nodes: async (_, { ids }, ctx) => {
      if (ids.length > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('ids', `must hold at most ${ctx.config.MAX_PAGE_SIZE} ids`, `${ids.length} ids`);
      }
      const rows = await ctx.loaders.record.loadMany(ids);
      return rows.map((r) => (r === null || r instanceof Error ? null : rowOf(r, LABELS)));
    },
    organization: (_, { id }, ctx) => byId(ctx, id, 'Organization'),
    person: (_, { id }, ctx) => byId(ctx, id, 'Person'),
    country: (_, { code }, ctx) =>
      byId(ctx, code.startsWith('country:') ? code : `country:${code.toUpperCase()}`, 'Country'),
    model: (_, { id }, ctx) => byId(ctx, id, 'AIModel'),
    allegation: (_, { id }, ctx) => byId(ctx, id, 'Allegation'),
    channel: (_, { id }, ctx) => byId(ctx, id, 'AccessChannel'),
    policy: (_, { id }, ctx) => byId(ctx, id, 'Policy'),
    source: (_, { id }, ctx) => byId(ctx, id, 'Source'),
    search: (_, { text, types, first }, ctx) => {
      if (!text.trim()) throw badInput('text', 'must not be empty', text);
      const limit = first ?? 10;
      if (limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      }
      return search(ctx, text, types?.length ? types.map((t) => LABEL_OF_TYPE[t]) : null, limit);
    },
    organizations: (_, { filter, first, after }, ctx) => {
      if (filter?.country && !/^[A-Z]{2}$/.test(filter.country))
        throw badInput('filter.country', 'must be an ISO alpha-2 code such as "CN"', filter.country);
      return paginate(ctx, 'Organization', organizationFilter(filter ?? {}), first, after);
    },
    persons: (_, { first, after }, ctx) => paginate(ctx, 'Person', NO_FILTER, first, after),
    models: (_, { filter, first, after }, ctx) => {
      if (filter?.releasedFrom && filter?.releasedTo && filter.releasedFrom > filter.releasedTo) {
        throw badInput(
          'filter.releasedTo',
          `must not be before releasedFrom (${filter.releasedFrom})`,
          filter.releasedTo,
        );
      }
      return paginate(ctx, 'AIModel', modelFilter(filter ?? {}), first, after);
    },
    allegations: (_, { filter, first, after }, ctx) => {
      if (filter?.from && filter?.to && filter.from > filter.to) {
        throw badInput('filter.to', `must not be before filter.from (${filter.from})`, filter.to);
      }
      return paginate(ctx, 'Allegation', allegationFilter(filter ?? {}), first, after);
    },
    policies: async (_, { filter, first, after }, ctx) => {
      const day = filter?.inForceOn;
      const inForceOn = day
        ? { day, suspended: await ctx.db.read((query) => fetchSuspendedPolicyIds(query, day)) }
        : null;
      return paginate(ctx, 'Policy', policyFilter({ ...filter, inForceOn }), first, after);
    },
    channels: (_, { filter, first, after }, ctx) =>
      paginate(ctx, 'AccessChannel', channelFilter(filter ?? {}), first, after),
    countries: async (_, __, ctx) =>
      (await ctx.db.read(fetchCountries)).map((row) => rowOf(row, ['Country'])),
  },
};
