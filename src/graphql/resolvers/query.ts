import type { Resolvers, SearchType } from '../__generated__/resolvers';
import { int } from '../../db/database';
import type { Context } from '../context';
import { badInput } from '../errors';
import { NODE_PROJECTION } from '../../records/projection';
import type { NodeRow, SuspensionRow } from '../../records/rows';
import { paginate } from './pagination';

const LABEL_OF_TYPE: Record<SearchType, string> = {
  ORGANIZATION: 'Organization',
  PERSON: 'Person',
  MODEL: 'AIModel',
  POLICY: 'Policy',
  CHANNEL: 'AccessChannel',
  COUNTRY: 'Country',
};

/** A record of the expected kind, or null: `organization(id: "model:x")` is null, not a model. */
async function byId(ctx: Context, id: string, label: string): Promise<NodeRow | null> {
  const row = await ctx.loaders.record.load(id);
  return row && row._label === label ? row : null;
}

/** Lucene treats + - && || ! ( ) { } [ ] ^ " ~ * ? : \ / as syntax; a user's name must be matched as text. */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/**
 * Escapes a user's text term by term, so no input can make the Lucene parser fail. Kept as syntax: a
 * trailing `~` or `~0`..`~2` after a term (fuzzy match; Lucene refuses edit distances above 2). Upper-case
 * AND, OR and NOT are operators to Lucene ("Procter AND" does not parse); lower-cased they are words.
 */
export function escapeLucene(text: string, keepFuzzy = true): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((term) => {
      if (/^(AND|OR|NOT)$/.test(term)) return term.toLowerCase();
      const fuzzy = keepFuzzy ? /^(.+?)~([0-2])?$/.exec(term) : null;
      if (fuzzy && !fuzzy[1]!.endsWith('~'))
        return `${fuzzy[1]!.replace(LUCENE_SPECIAL, '\\$&')}~${fuzzy[2] ?? ''}`;
      return term.replace(LUCENE_SPECIAL, '\\$&');
    })
    .join(' ');
}

export async function searchNames(
  ctx: Context,
  text: string,
  labels: string[] | null,
  first: number,
): Promise<Array<{ node: NodeRow; score: number; matched: string }>> {
  const rows = await ctx.db.readRows<{ row: NodeRow; score: number }>(
    `CALL db.index.fulltext.queryNodes('record_names', $text) YIELD node AS n, score
     WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)
     RETURN ${NODE_PROJECTION} AS row, score ORDER BY score DESC, n.id LIMIT $first`,
    { text: escapeLucene(text), labels, first: int(first) },
  );
  return rows.map(({ row, score }) => {
    ctx.loaders.record.prime(row.id, row);
    return { node: row, score, matched: bestName(row, text) };
  });
}

function bestName(row: NodeRow, text: string): string {
  const names = [row.name as string, ...((row.aliases as string[] | undefined) ?? [])].filter(Boolean);
  const words = text.toLowerCase().replace(/~\d*/g, '').split(/\s+/).filter(Boolean);
  const scored = names.map((n) => ({ n, hits: words.filter((w) => n.toLowerCase().includes(w)).length }));
  scored.sort((a, b) => b.hits - a.hits);
  return scored[0]?.n ?? String(row.id);
}

/**
 * Ids of the policies suspended on `day`. Suspensions are stored as JSON, which Cypher cannot read, so they
 * are read first (one small query) and excluded in the page's query: pages and totalCount stay exact.
 */
async function suspendedPolicies(ctx: Context, day: string): Promise<string[]> {
  const rows = await ctx.db.readRows<{ id: string; suspensionsJson: string }>(
    'MATCH (n:Policy) WHERE n.suspensionsJson IS NOT NULL RETURN n.id AS id, n.suspensionsJson AS suspensionsJson',
  );
  return rows
    .filter((r) =>
      (JSON.parse(r.suspensionsJson) as SuspensionRow[]).some(
        (s) => s.from <= day && (s.until == null || day <= s.until),
      ),
    )
    .map((r) => r.id);
}

export const queryResolvers: Resolvers = {
  Node: {
    __resolveType: (row) => (row as NodeRow)._label as never,
  },
  Query: {
    node: (_, { id }, ctx) => ctx.loaders.record.load(id) as never,
    nodes: async (_, { ids }, ctx) => {
      if (ids.length > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('ids', `must hold at most ${ctx.config.MAX_PAGE_SIZE} ids`, `${ids.length} ids`);
      }
      const rows = await ctx.loaders.record.loadMany(ids);
      return rows.map((r) => (r instanceof Error ? null : r)) as never;
    },
    organization: (_, { id }, ctx) => byId(ctx, id, 'Organization') as never,
    person: (_, { id }, ctx) => byId(ctx, id, 'Person') as never,
    country: (_, { code }, ctx) =>
      byId(ctx, code.startsWith('country:') ? code : `country:${code.toUpperCase()}`, 'Country') as never,
    model: (_, { id }, ctx) => byId(ctx, id, 'AIModel') as never,
    allegation: (_, { id }, ctx) => byId(ctx, id, 'Allegation') as never,
    channel: (_, { id }, ctx) => byId(ctx, id, 'AccessChannel') as never,
    policy: (_, { id }, ctx) => byId(ctx, id, 'Policy') as never,
    source: (_, { id }, ctx) => byId(ctx, id, 'Source') as never,
    search: (_, { text, types, first }, ctx) => {
      if (!text.trim()) throw badInput('text', 'must not be empty', text);
      const limit = first ?? 10;
      if (limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      }
      return searchNames(ctx, text, types?.length ? types.map((t) => LABEL_OF_TYPE[t]) : null, limit);
    },
    organizations: (_, { filter, first, after }, ctx) => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter?.country) {
        if (!/^[A-Z]{2}$/.test(filter.country))
          throw badInput('filter.country', 'must be an ISO alpha-2 code such as "CN"', filter.country);
        params.country = filter.country;
        const basis = filter.countryBasis ?? 'EITHER';
        where.push(
          basis === 'HEADQUARTERS'
            ? 'n.headquarters = $country'
            : basis === 'INCORPORATION'
              ? 'n.incorporation = $country'
              : '(n.headquarters = $country OR n.incorporation = $country)',
        );
      }
      if (filter?.types?.length) {
        where.push('n.type IN $types');
        params.types = filter.types;
      }
      if (filter?.nameContains) {
        where.push('toLower(n.name) CONTAINS toLower($nameContains)');
        params.nameContains = filter.nameContains;
      }
      return paginate(ctx, 'Organization', where, params, first, after);
    },
    persons: (_, { first, after }, ctx) => paginate(ctx, 'Person', [], {}, first, after),
    models: (_, { filter, first, after }, ctx) => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter?.releasedFrom && filter?.releasedTo && filter.releasedFrom > filter.releasedTo) {
        throw badInput(
          'filter.releasedTo',
          `must not be before releasedFrom (${filter.releasedFrom})`,
          filter.releasedTo,
        );
      }
      if (filter?.developer) (where.push('n.developer = $developer'), (params.developer = filter.developer));
      if (filter?.family) (where.push('n.family = $family'), (params.family = filter.family));
      if (filter?.openWeights != null)
        (where.push('n.openWeights = $openWeights'), (params.openWeights = filter.openWeights));
      if (filter?.architecture)
        (where.push('n.architecture = $architecture'), (params.architecture = filter.architecture));
      if (filter?.releasedFrom)
        (where.push('n.releaseDate >= $releasedFrom'), (params.releasedFrom = filter.releasedFrom));
      if (filter?.releasedTo)
        (where.push('n.releaseDate <= $releasedTo'), (params.releasedTo = filter.releasedTo));
      return paginate(ctx, 'AIModel', where, params, first, after);
    },
    allegations: (_, { filter, first, after }, ctx) => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter?.from && filter?.to && filter.from > filter.to) {
        throw badInput('filter.to', `must not be before filter.from (${filter.from})`, filter.to);
      }
      if (filter?.accuser) (where.push('$accuser IN n.accusers'), (params.accuser = filter.accuser));
      if (filter?.accused) (where.push('$accused IN n.accused'), (params.accused = filter.accused));
      if (filter?.model) {
        where.push('($model IN coalesce(n.accusedModels, []) OR $model IN coalesce(n.sourceModels, []))');
        params.model = filter.model;
      }
      if (filter?.kinds?.length) (where.push('n.kind IN $kinds'), (params.kinds = filter.kinds));
      if (filter?.statuses?.length)
        (where.push('n.status IN $statuses'), (params.statuses = filter.statuses));
      if (filter?.from) (where.push('n.date >= $from'), (params.from = filter.from));
      if (filter?.to) (where.push('n.date <= $to'), (params.to = filter.to));
      return paginate(ctx, 'Allegation', where, params, first, after);
    },
    policies: async (_, { filter, first, after }, ctx) => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter?.kinds?.length) (where.push('n.kind IN $kinds'), (params.kinds = filter.kinds));
      if (filter?.issuer) (where.push('n.issuer = $issuer'), (params.issuer = filter.issuer));
      if (filter?.inForceOn) {
        // Same rules as reasoning/policyStatus: rescindedOn is the first day without force, effectiveUntil the
        // last day with it, suspension windows are inclusive at both ends.
        where.push(
          '(n.effectiveFrom IS NULL OR n.effectiveFrom <= $day) AND (n.effectiveUntil IS NULL OR $day <= n.effectiveUntil) AND (n.rescindedOn IS NULL OR $day < n.rescindedOn)',
          'NOT n.id IN $suspended',
        );
        params.day = filter.inForceOn;
        params.suspended = await suspendedPolicies(ctx, filter.inForceOn);
      }
      return paginate(ctx, 'Policy', where, params, first, after);
    },
    channels: (_, { filter, first, after }, ctx) => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter?.kinds?.length) (where.push('n.kind IN $kinds'), (params.kinds = filter.kinds));
      if (filter?.operator) (where.push('n.operator = $operator'), (params.operator = filter.operator));
      return paginate(ctx, 'AccessChannel', where, params, first, after);
    },
    countries: async (_, __, ctx) => {
      const rows = await ctx.db.readRows<{ row: NodeRow }>(
        `MATCH (n:Country) RETURN ${NODE_PROJECTION} AS row ORDER BY n.code`,
      );
      return rows.map((r) => r.row) as never;
    },
  },
};
