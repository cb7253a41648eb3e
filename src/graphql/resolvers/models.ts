import type { Resolvers } from '../__generated__/resolvers';
import { aliases, datePrecisions, edges, linked, precisionOf, ref, refs, rowOf } from './shared';
import { at } from '../knownAsOf';
import { recorded, sourcesAt as sources } from './recorded';

export const modelResolvers: Resolvers = {
  AIModel: {
    ...recorded,
    aliases,
    releaseDatePrecision: (m) => precisionOf(m, 'releaseDate'),
    sources,
    developer: (m, _, ctx) => ref(at(ctx, m), m.developer, 'Organization'),
    modalities: (m) => m.modalities,
    derivedFrom: (m, _, ctx) => edges(at(ctx, m), m.id, 'DERIVED_FROM', 'OUT'),
    derivatives: (m, _, ctx) => edges(at(ctx, m), m.id, 'DERIVED_FROM', 'IN'),
    offerings: (m, { asOf }, ctx) => edges(at(ctx, m), m.id, 'OFFERS', 'IN', asOf),
    allegations: (m, _, ctx) => linked(at(ctx, m), m.id, 'CONCERNS_MODEL', 'IN', 'Allegation'),
  },
  Derivation: {
    ...recorded,
    child: (d, _, ctx) => ref(at(ctx, d), d._from, 'AIModel'),
    parent: (d, _, ctx) => ref(at(ctx, d), d._to, 'AIModel'),
    allegation: (d, _, ctx) =>
      typeof d.allegation === 'string'
        ? at(ctx, d)
            .loaders.record.load(d.allegation)
            .then((row) => row && rowOf(row, ['Allegation']))
        : null,
    ...datePrecisions,
    sources,
  },
  Allegation: {
    ...recorded,
    sources,
    accusers: (a, _, ctx) => refs(at(ctx, a), a.accusers, 'Organization', 'Person'),
    accused: (a, _, ctx) => refs(at(ctx, a), a.accused, 'Organization', 'Person'),
    accusedModels: (a, _, ctx) => refs(at(ctx, a), a.accusedModels, 'AIModel'),
    sourceModels: (a, _, ctx) => refs(at(ctx, a), a.sourceModels, 'AIModel'),
    derivations: (a, _, ctx) => at(ctx, a).loaders.derivationsByAllegation.load(a.id),
  },
  AccessChannel: {
    ...recorded,
    aliases,
    sources,
    operator: (c, _, ctx) => ref(at(ctx, c), c.operator, 'Organization'),
    offerings: (c, { asOf }, ctx) => edges(at(ctx, c), c.id, 'OFFERS', 'OUT', asOf),
    policiesReaching: (c, _, ctx) => linked(at(ctx, c), c.id, 'REACHES', 'IN', 'Policy'),
  },
  Offering: {
    ...recorded,
    channel: (o, _, ctx) => ref(at(ctx, o), o._from, 'AccessChannel'),
    model: (o, _, ctx) => ref(at(ctx, o), o._to, 'AIModel'),
    startIsLowerBound: (o) => o.startIsLowerBound === true,
    ...datePrecisions,
    sources,
  },
};
