import type { Resolvers } from '../__generated__/resolvers';
import { aliases, datePrecisions, edges, linked, precisionOf, ref, refs, rowOf, sources } from './shared';

export const modelResolvers: Resolvers = {
  AIModel: {
    aliases,
    releaseDatePrecision: (m) => precisionOf(m, 'releaseDate'),
    sources,
    developer: (m, _, ctx) => ref(ctx, m.developer, 'Organization'),
    modalities: (m) => m.modalities,
    derivedFrom: (m, _, ctx) => edges(ctx, m.id, 'DERIVED_FROM', 'OUT'),
    derivatives: (m, _, ctx) => edges(ctx, m.id, 'DERIVED_FROM', 'IN'),
    offerings: (m, { asOf }, ctx) => edges(ctx, m.id, 'OFFERS', 'IN', asOf),
    allegations: (m, _, ctx) => linked(ctx, m.id, 'CONCERNS_MODEL', 'IN', 'Allegation'),
  },
  Derivation: {
    child: (d, _, ctx) => ref(ctx, d._from, 'AIModel'),
    parent: (d, _, ctx) => ref(ctx, d._to, 'AIModel'),
    allegation: (d, _, ctx) =>
      typeof d.allegation === 'string'
        ? ctx.loaders.record.load(d.allegation).then((row) => row && rowOf(row, ['Allegation']))
        : null,
    ...datePrecisions,
    sources,
  },
  Allegation: {
    sources,
    accusers: (a, _, ctx) => refs(ctx, a.accusers, 'Organization', 'Person'),
    accused: (a, _, ctx) => refs(ctx, a.accused, 'Organization', 'Person'),
    accusedModels: (a, _, ctx) => refs(ctx, a.accusedModels, 'AIModel'),
    sourceModels: (a, _, ctx) => refs(ctx, a.sourceModels, 'AIModel'),
    derivations: (a, _, ctx) => ctx.loaders.derivationsByAllegation.load(a.id),
  },
  AccessChannel: {
    aliases,
    sources,
    operator: (c, _, ctx) => ref(ctx, c.operator, 'Organization'),
    offerings: (c, { asOf }, ctx) => edges(ctx, c.id, 'OFFERS', 'OUT', asOf),
    policiesReaching: (c, _, ctx) => linked(ctx, c.id, 'REACHES', 'IN', 'Policy'),
  },
  Offering: {
    channel: (o, _, ctx) => ref(ctx, o._from, 'AccessChannel'),
    model: (o, _, ctx) => ref(ctx, o._to, 'AIModel'),
    startIsLowerBound: (o) => o.startIsLowerBound === true,
    ...datePrecisions,
    sources,
  },
};
