import type { Resolvers } from '../__generated__/resolvers';
import { DateScalar } from '../scalars';
import { modelResolvers } from './models';
import { partyResolvers } from './parties';
import { policyResolvers } from './policies';
import { queryResolvers } from './query';

export const resolvers: Resolvers = {
  Date: DateScalar,
  ...queryResolvers,
  ...partyResolvers,
  ...modelResolvers,
  ...policyResolvers,
};
