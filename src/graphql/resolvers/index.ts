import type { Resolvers } from '../__generated__/resolvers';
import { withLookahead } from '../lookahead';
import { DateScalar } from '../scalars';
import { exposureResolvers } from './exposure';
import { historyResolvers } from './history';
import { identifierResolvers } from './identifiers';
import { importResolvers } from './imports';
import { lineageResolvers } from './lineage';
import { modelResolvers } from './models';
import { mutationResolvers } from './mutation';
import { partyResolvers } from './parties';
import { policyResolvers } from './policies';
import { queryResolvers } from './query';
import { watchlistResolvers } from './watchlists';

export const resolvers: Resolvers = {
  Date: DateScalar,
  Query: {
    ...withLookahead(queryResolvers.Query ?? {}),
    ...exposureResolvers.Query,
    ...lineageResolvers.Query,
    ...historyResolvers.Query,
    ...identifierResolvers.Query,
    ...importResolvers.Query,
    ...watchlistResolvers.Query,
  },
  ...withoutQuery(historyResolvers),
  ...mutationResolvers,
  Mutation: { ...mutationResolvers.Mutation, ...importResolvers.Mutation, ...watchlistResolvers.Mutation },
  ...withoutMutation(withoutQuery(watchlistResolvers)),
  ...withoutQuery(queryResolvers),
  ...withoutQuery(exposureResolvers),
  ...withoutQuery(lineageResolvers),
  ...partyResolvers,
  ...modelResolvers,
  ...policyResolvers,
  ImportReviewItem: importResolvers.ImportReviewItem!,
  ImportReport: importResolvers.ImportReport!,
};

function withoutQuery(resolvers: Resolvers): Resolvers {
  const { Query: _query, ...rest } = resolvers;
  return rest;
}

function withoutMutation(resolvers: Resolvers): Resolvers {
  const { Mutation: _mutation, ...rest } = resolvers;
  return rest;
}
