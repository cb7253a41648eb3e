import type { Resolvers } from '../__generated__/resolvers';
import { DateScalar } from '../scalars';
import { exposureResolvers } from './exposure';
import { identifierResolvers } from './identifiers';
import { lineageResolvers } from './lineage';
import { modelResolvers } from './models';
import { partyResolvers } from './parties';
import { policyResolvers } from './policies';
import { queryResolvers } from './query';

export const resolvers: Resolvers = {
  Date: DateScalar,
  Query: {
    ...queryResolvers.Query,
    ...exposureResolvers.Query,
    ...lineageResolvers.Query,
    ...identifierResolvers.Query,
  },
  ...withoutQuery(queryResolvers),
  ...withoutQuery(exposureResolvers),
  ...withoutQuery(lineageResolvers),
  ...partyResolvers,
  ...modelResolvers,
  ...policyResolvers,
};

function withoutQuery(resolvers: Resolvers): Resolvers {
  const { Query: _query, ...rest } = resolvers;
  return rest;
}
