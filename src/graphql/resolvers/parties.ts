import type { Resolvers } from '../__generated__/resolvers';
import type { Context } from '../context';
import type { NodeRow } from '../../records/rows';
import { paginate } from './pagination';
import { organizationFilter } from '../../queries/recordFilters';
import { displayShare, readStoredShare } from '../../records/share';
import { aliases, countryOf, datePrecisions, edges, linked, precisionOf, ref, sources } from './shared';
import { identifierRows } from './identifiers';

/** Fields that organizations and persons share, as parties that can own, control and be named. */
const party = {
  aliases,
  sources,
  identifiers: (p: NodeRow) => identifierRows(p),
  holdings: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(ctx, p.id, 'OWNS', 'OUT', asOf),
  controls: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(ctx, p.id, 'CONTROLS', 'OUT', asOf),
  allegationsMade: (p: NodeRow, _: unknown, ctx: Context) =>
    linked(ctx, p.id, 'ALLEGED_BY', 'IN', 'Allegation'),
  allegationsAgainst: (p: NodeRow, _: unknown, ctx: Context) =>
    linked(ctx, p.id, 'AGAINST', 'IN', 'Allegation'),
  designations: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(ctx, p.id, 'DESIGNATES', 'IN', asOf),
};

export const partyResolvers: Resolvers = {
  Party: {
    __resolveType: (row) => row._label,
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
    foundedPrecision: (o) => precisionOf(o, 'founded'),
    headquarters: (o, _, ctx) => countryOf(ctx, o.headquarters),
    incorporation: (o, _, ctx) => countryOf(ctx, o.incorporation),
    owners: (o, { asOf }, ctx) => edges(ctx, o.id, 'OWNS', 'IN', asOf),
    controllers: (o, { asOf }, ctx) => edges(ctx, o.id, 'CONTROLS', 'IN', asOf),
    models: (o, _, ctx) => linked(ctx, o.id, 'DEVELOPED_BY', 'IN', 'AIModel'),
    channels: (o, _, ctx) => linked(ctx, o.id, 'OPERATED_BY', 'IN', 'AccessChannel'),
    policiesIssued: (o, _, ctx) => linked(ctx, o.id, 'ISSUED_BY', 'IN', 'Policy'),
  },
  Person: {
    ...party,
    nationality: (p, _, ctx) => countryOf(ctx, p.nationality),
    residence: (p, _, ctx) => countryOf(ctx, p.residence),
  },
  Ownership: {
    owner: (e, _, ctx) => ref(ctx, e._from, 'Organization', 'Person'),
    owned: (e, _, ctx) => ref(ctx, e._to, 'Organization'),
    share: (e) => readStoredShare(e, 'share') ?? {},
    votingShare: (e) => readStoredShare(e, 'votingShare'),
    economicShare: (e) => readStoredShare(e, 'economicShare'),
    ...datePrecisions,
    sources,
  },
  Control: {
    controller: (e, _, ctx) => ref(ctx, e._from, 'Organization', 'Person'),
    controlled: (e, _, ctx) => ref(ctx, e._to, 'Organization'),
    ...datePrecisions,
    sources,
  },
  Share: {
    known: (s) => Object.values(s).some((v) => v !== undefined),
    display: (s) => displayShare(s),
  },
};
