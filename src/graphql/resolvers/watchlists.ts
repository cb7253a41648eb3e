import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { hasRole, requireRole, type Principal } from '../../auth/principal';
import { fetchChangeSetsById } from '../../queries/history';
import { bumpGraphVersion } from '../../queries/graphVersion';
import {
  createWatchlist,
  deleteWatchlist,
  fetchDeliveries,
  fetchExistingIds,
  fetchWatchlists,
  updateWatchlist,
  type WatchlistRow,
} from '../../queries/watchlists';
import { watchLimits } from '../../watch/limits';
import { findVerdictChanges } from '../../watch/verdictChanges';
import { watchlistInputSchema, type WatchlistInput } from '../../watch/watchlistInput';
import type { Resolvers, WatchlistInput as WatchlistInputArg } from '../__generated__/resolvers';
import { ARGUMENT_DEFAULTS, type Context } from '../context';
import { badInput, ErrorCode, notFound } from '../errors';
import { refs } from './shared';
import { stampAnswer } from '../knownAsOf';

/**
 * Watchlists (issue 12 item 6): reads follow the rules of every read; writes need the editor role, and only a
 * list's owner or an admin may change or delete it. `verdictChanges` is src/watch/verdictChanges.ts over the
 * request's read transaction; webhooks are delivered by src/watch/webhookWorker.ts.
 */

const PARTY_LABELS = ['Organization', 'Person'];

function mayManage(principal: Principal, list: WatchlistRow): boolean {
  return list.ownerId === principal.id || hasRole(principal, 'admin');
}

/** The input, validated: the first problem as BAD_USER_INPUT naming `input.<field>`, unknown ids as NOT_FOUND. */
async function validInput(ctx: Context, raw: WatchlistInputArg): Promise<WatchlistInput> {
  const parsed = watchlistInputSchema(watchLimits(ctx.config)).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['input', ...issue.path].map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`));
    const name = field.join('').replace(/^\./, '').replace(/\.\[/g, '[');
    // The secret is never echoed back: only its length.
    const received =
      issue.path[1] === 'secret' ? `${raw.webhook?.secret.length ?? 0} characters` : valueAt(raw, issue.path);
    throw badInput(name, issue.message, received);
  }
  const input = parsed.data;
  const [parties, policies] = await Promise.all([
    ctx.db.read((query) => fetchExistingIds(query, input.entities, PARTY_LABELS)),
    ctx.db.read((query) => fetchExistingIds(query, input.policies, ['Policy'])),
  ]);
  const unknownParty = input.entities.findIndex((id) => !parties.has(id));
  if (unknownParty >= 0)
    throw notFound(
      `input.entities[${unknownParty}]`,
      'organization or person',
      input.entities[unknownParty]!,
    );
  const unknownPolicy = input.policies.findIndex((id) => !policies.has(id));
  if (unknownPolicy >= 0)
    throw notFound(`input.policies[${unknownPolicy}]`, 'policy', input.policies[unknownPolicy]!);
  return input;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = (at as Record<PropertyKey, unknown> | null | undefined)?.[key];
  return at;
}

async function requireWatchlist(ctx: Context, argument: string, id: string): Promise<WatchlistRow> {
  const [list] = await ctx.db.read((query) => fetchWatchlists(query, { ids: [id], first: 1 }));
  if (!list) throw notFound(argument, 'watchlist', id);
  return list;
}

function requireManager(ctx: Context, list: WatchlistRow, action: string): void {
  if (mayManage(ctx.principal, list)) return;
  throw new GraphQLError(
    `${action} needs the list's owner (${list.ownerId}) or the admin role; you are ${ctx.principal.id}.`,
    { extensions: { code: ErrorCode.FORBIDDEN, requiredRole: 'admin' } },
  );
}

export const watchlistResolvers: Resolvers = {
  Query: {
    watchlists: (_, { owner, first }, ctx) => {
      const limit = first ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE)
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      return ctx.db.read((query) => fetchWatchlists(query, { ownerId: owner ?? null, first: limit }));
    },
    watchlist: async (_, { id }, ctx) =>
      (await ctx.db.read((query) => fetchWatchlists(query, { ids: [id], first: 1 })))[0] ?? null,
    verdictChanges: async (_, { watchlist, since, until, asOf, unknownAs }, ctx) => {
      const list = await requireWatchlist(ctx, 'watchlist', watchlist);
      if (until && until < since) throw badInput('until', `must not be before since (${since})`, until);
      const limits = watchLimits(ctx.config);
      const report = await ctx.db.read((query) =>
        findVerdictChanges(
          query,
          list,
          { since, until: until ?? null },
          {
            asOf: asOf ?? null,
            unknownAs: unknownAs ?? ARGUMENT_DEFAULTS.unknownAs,
            maxChangeSets: limits.VERDICT_CHANGES_MAX_CHANGE_SETS,
            maxEvaluations: limits.VERDICT_CHANGES_MAX_EVALUATIONS,
          },
        ),
      );
      // Each verdict names its entity, policy and sources as known at its own instant (the entity of a
      // verdict before a retraction is still there to name).
      for (const change of report.changes) {
        if (change.before) stampAnswer(change.before, change.knownBefore);
        if (change.after) stampAnswer(change.after, change.knownAfter);
      }
      return { ...report, watchlist: list, since, until: until ?? null };
    },
  },
  Mutation: {
    createWatchlist: async (_, { input }, ctx) => {
      requireRole(ctx.principal, 'editor', 'Creating a watchlist');
      const valid = await validInput(ctx, input);
      const id = `watchlist:${randomUUID()}`;
      const owner = { id: ctx.principal.id, name: ctx.principal.name };
      const now = new Date().toISOString();
      return ctx.db.write(async (query) => {
        const row = await createWatchlist(query, id, owner, toWrite(valid, true), now);
        await bumpGraphVersion(query);
        return row;
      });
    },
    updateWatchlist: async (_, { id, input, expectedVersion }, ctx) => {
      requireRole(ctx.principal, 'editor', 'Changing a watchlist');
      requireManager(ctx, await requireWatchlist(ctx, 'id', id), 'Changing this watchlist');
      const valid = await validInput(ctx, input);
      const keepWebhook = !('webhook' in input);
      const outcome = await ctx.db.write(async (query) => {
        const result = await updateWatchlist(
          query,
          id,
          toWrite(valid, !keepWebhook),
          expectedVersion ?? null,
          new Date().toISOString(),
        );
        if (result && 'row' in result) await bumpGraphVersion(query);
        return result;
      });
      if (!outcome) throw notFound('id', 'watchlist', id);
      if ('foundVersion' in outcome)
        throw new GraphQLError(
          `Watchlist ${id} is at version ${outcome.foundVersion}, not ${expectedVersion}: someone changed it since you read it.`,
          { extensions: { code: ErrorCode.CONFLICT, expectedVersion, foundVersion: outcome.foundVersion } },
        );
      return outcome.row;
    },
    deleteWatchlist: async (_, { id }, ctx) => {
      requireRole(ctx.principal, 'editor', 'Deleting a watchlist');
      requireManager(ctx, await requireWatchlist(ctx, 'id', id), 'Deleting this watchlist');
      await ctx.db.write(async (query) => {
        if (await deleteWatchlist(query, id)) await bumpGraphVersion(query);
      });
      return id;
    },
  },
  Watchlist: {
    owner: (list) => ({ id: list.ownerId, name: list.ownerName }),
    entities: (list, _, ctx) => refs(ctx, list.entityIds, 'Organization', 'Person'),
    policies: (list, _, ctx) => refs(ctx, list.policyIds, 'Policy'),
    webhook: (list, _, ctx) =>
      list.webhookUrl && mayManage(ctx.principal, list)
        ? { url: list.webhookUrl, hasSecret: list.hasWebhookSecret }
        : null,
    deliveries: (list, { first }, ctx) => {
      const limit = first ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > ctx.config.MAX_PAGE_SIZE)
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, first);
      if (!mayManage(ctx.principal, list)) return [];
      return ctx.db.read((query) => fetchDeliveries(query, list.id, limit));
    },
  },
  WebhookDelivery: {
    changeSet: async (delivery, _, ctx) =>
      (await ctx.db.read((query) => fetchChangeSetsById(query, [delivery.changeSetId]))).get(
        delivery.changeSetId,
      ) ?? null,
  },
  VerdictChange: {
    entity: async (change, _, ctx) =>
      (await refs(ctx, [change.entityId], 'Organization', 'Person'))[0] ?? null,
    policy: async (change, _, ctx) => (await refs(ctx, [change.policyId], 'Policy'))[0] ?? null,
  },
  VerdictChangeReport: {
    changeSetsExamined: (report) => report.examined,
    changeSetsSkipped: (report) => report.skipped,
  },
};

function toWrite(input: WatchlistInput, withWebhook: boolean) {
  return {
    name: input.name,
    entityIds: input.entities,
    policyIds: input.policies,
    ...(withWebhook ? { webhook: input.webhook ?? null } : {}),
  };
}
