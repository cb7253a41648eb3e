import type { Resolvers } from '../__generated__/resolvers';
import type { Context } from '../context';
import type { CountryRow, NodeRow, PersonRow } from '../../records/rows';
import { paginate } from './pagination';
import { organizationFilter } from '../../queries/recordFilters';
import { displayShare, readStoredShare } from '../../records/share';
import { aliases, edges, linked, ref, sources } from './shared';

const country = (code: string | undefined, ctx: Context) =>
  code ? (ctx.loaders.record.load(`country:${code}`) as Promise<CountryRow | null>) : null;

/** Fields that organizations and persons share, as parties that can own, control and be named. */
const party = {
  aliases,
  sources,
  holdings: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(ctx, p.id, 'OWNS', 'OUT', asOf),
  controls: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(ctx, p.id, 'CONTROLS', 'OUT', asOf),
  allegationsMade: (p: NodeRow, _: unknown, ctx: Context) => linked(ctx, p.id, 'ALLEGED_BY', 'IN'),
  allegationsAgainst: (p: NodeRow, _: unknown, ctx: Context) => linked(ctx, p.id, 'AGAINST', 'IN'),
  designations: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(ctx, p.id, 'DESIGNATES', 'IN', asOf),
};

export const partyResolvers: Resolvers = {
  Party: {
    __resolveType: (row) => (row as NodeRow)._label as 'Organization' | 'Person',
  },
  Country: {
    aliases,
    sources,
    headquarteredHere: (c, { first, after }, ctx) =>
      paginate(
        ctx,
        'Organization',
        organizationFilter({ country: c.code, countryBasis: 'HEADQUARTERS' }),
        first,
        after,
      ),
    incorporatedHere: (c, { first, after }, ctx) =>
      paginate(
        ctx,
        'Organization',
        organizationFilter({ country: c.code, countryBasis: 'INCORPORATION' }),
        first,
        after,
      ),
  },
  Organization: {
    ...party,
    headquarters: (o, _, ctx) => country(o.headquarters, ctx),
    incorporation: (o, _, ctx) => country(o.incorporation, ctx),
    owners: (o, { asOf }, ctx) => edges(ctx, o.id, 'OWNS', 'IN', asOf),
    controllers: (o, { asOf }, ctx) => edges(ctx, o.id, 'CONTROLS', 'IN', asOf),
    models: (o, _, ctx) => linked(ctx, o.id, 'DEVELOPED_BY', 'IN'),
    channels: (o, _, ctx) => linked(ctx, o.id, 'OPERATED_BY', 'IN'),
    policiesIssued: (o, _, ctx) => linked(ctx, o.id, 'ISSUED_BY', 'IN'),
  },
  Person: {
    ...party,
    nationality: (p: PersonRow, _, ctx) => country(p.nationality, ctx),
    residence: (p: PersonRow, _, ctx) => country(p.residence, ctx),
  },
  Ownership: {
    owner: (e, _, ctx) => ref(ctx, e._from),
    owned: (e, _, ctx) => ref(ctx, e._to),
    share: (e) => readStoredShare(e, 'share') ?? {},
    votingShare: (e) => readStoredShare(e, 'votingShare'),
    economicShare: (e) => readStoredShare(e, 'economicShare'),
    sources,
  },
  Control: {
    controller: (e, _, ctx) => ref(ctx, e._from),
    controlled: (e, _, ctx) => ref(ctx, e._to),
    sources,
  },
  Share: {
    known: (s) => Object.values(s).some((v) => v !== undefined),
    display: (s) => displayShare(s),
  },
};
