import { JSONObjectResolver } from 'graphql-scalars';
import { fetchChanges, fetchHistory } from '../../queries/history';
import type { Resolvers } from '../__generated__/resolvers';
import { DateTimeScalar } from '../dateTime';
import { badInput } from '../errors';
import { sources } from './shared';

/** The audit trail: a record's versions, and change sets by time, record and author. */
export const historyResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSONObject: JSONObjectResolver,
  Query: {
    history: (_, { id }, ctx) => ctx.db.read((query) => fetchHistory(query, id)),
    changes: (_, { since, entity, author, first }, ctx) => {
      const limit = first ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE)
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      return ctx.db.read((query) =>
        fetchChanges(query, {
          since: since ?? null,
          recordId: entity ?? null,
          authorId: author ?? null,
          first: limit,
        }),
      );
    },
  },
  ChangeSet: {
    author: (change) => ({ id: change.authorId, name: change.authorName }),
    sources: (change, _args, ctx) => sources({ sourceIds: change.sourceIds }, _args, ctx),
  },
};
