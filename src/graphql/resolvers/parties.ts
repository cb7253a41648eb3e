import type { Resolvers } from '../__generated__/resolvers';
import type { Context } from '../context';
import type { NodeRow } from '../../records/rows';
import { paginate } from './pagination';
import { organizationFilter } from '../../queries/recordFilters';
import { displayShare, readStoredShare } from '../../records/share';
import { aliases, countryOf, datePrecisions, edges, linked, precisionOf, ref } from './shared';
import { identifierRows } from './identifiers';
import { at, knownAsOfOf } from '../knownAsOf';
import { recorded, sourcesAt as sources } from './recorded';

/** Fields that organizations and persons share, as parties that can own, control and be named. */
const party = {
  ...recorded,
  aliases,
  sources,
  identifiers: (p: NodeRow) => identifierRows(p),
  holdings: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(at(ctx, p), p.id, 'OWNS', 'OUT', asOf),
  controls: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(at(ctx, p), p.id, 'CONTROLS', 'OUT', asOf),
  allegationsMade: (p: NodeRow, _: unknown, ctx: Context) =>
    linked(at(ctx, p), p.id, 'ALLEGED_BY', 'IN', 'Allegation'),
  allegationsAgainst: (p: NodeRow, _: unknown, ctx: Context) =>
    linked(at(ctx, p), p.id, 'AGAINST', 'IN', 'Allegation'),
  designations: (p: NodeRow, { asOf }: { asOf?: string | null }, ctx: Context) =>
    edges(at(ctx, p), p.id, 'DESIGNATES', 'IN', asOf),
};

export const partyResolvers: Resolvers = {
  Party: {
    __resolveType: (row) => row._label,
  },
  Country: {
    ...recorded,
    aliases,
    sources,
    headquarteredHere: (c, { first, after }, ctx) =>
      paginate(
        ctx,
        'Organization',
        organizationFilter({ country: c.code, countryBasis: 'HEADQUARTERS' }),
        first,
        after,
        knownAsOfOf(c),
      ),
    incorporatedHere: (c, { first, after }, ctx) =>
      paginate(
        ctx,
        'Organization',
        organizationFilter({ country: c.code, countryBasis: 'INCORPORATION' }),
        first,
        after,
        knownAsOfOf(c),
      ),
  },
  Organization: {
    ...party,
    foundedPrecision: (o) => precisionOf(o, 'founded'),
    headquarters: (o, _, ctx) => countryOf(at(ctx, o), o.headquarters),
    incorporation: (o, _, ctx) => countryOf(at(ctx, o), o.incorporation),
    owners: (o, { asOf }, ctx) => edges(at(ctx, o), o.id, 'OWNS', 'IN', asOf),
    controllers: (o, { asOf }, ctx) => edges(at(ctx, o), o.id, 'CONTROLS', 'IN', asOf),
    models: (o, _, ctx) => linked(at(ctx, o), o.id, 'DEVELOPED_BY', 'IN', 'AIModel'),
    channels: (o, _, ctx) => linked(at(ctx, o), o.id, 'OPERATED_BY', 'IN', 'AccessChannel'),
    policiesIssued: (o, _, ctx) => linked(at(ctx, o), o.id, 'ISSUED_BY', 'IN', 'Policy'),
  },
  Person: {
    ...party,
    nationality: (p, _, ctx) => countryOf(at(ctx, p), p.nationality),
    residence: (p, _, ctx) => countryOf(at(ctx, p), p.residence),
  },
  Ownership: {
    ...recorded,
    owner: (e, _, ctx) => ref(at(ctx, e), e._from, 'Organization', 'Person'),
    owned: (e, _, ctx) => ref(at(ctx, e), e._to, 'Organization'),
    share: (e) => readStoredShare(e, 'share') ?? {},
    votingShare: (e) => readStoredShare(e, 'votingShare'),
    economicShare: (e) => readStoredShare(e, 'economicShare'),
    ...datePrecisions,
    sources,
  },
  Control: {
    ...recorded,
    controller: (e, _, ctx) => ref(at(ctx, e), e._from, 'Organization', 'Person'),
    controlled: (e, _, ctx) => ref(at(ctx, e), e._to, 'Organization'),
    ...datePrecisions,
    sources,
  },
  Share: {
    known: (s) => Object.values(s).some((v) => v !== undefined),
    display: (s) => displayShare(s),
  },
};
