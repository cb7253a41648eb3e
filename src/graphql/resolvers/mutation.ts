import { GraphQLError } from 'graphql';
import { requireRole, type Role } from '../../auth/principal';
import type { Section } from '../../model/dataset';
import type { DataSetIssue } from '../../seed/dataSetError';
import {
  applyChange,
  type ChangeOutcome,
  type ChangeRequest,
  type RecordEdit,
} from '../../write/applyChange';
import { openStakes } from '../../write/openStakes';
import { VersionConflict } from '../../write/versionConflict';
import { writeCommitted } from '../../watch/notifier';
import type { RecordKind, Resolvers, ShareInput, SourceInput } from '../__generated__/resolvers';
import type { Context } from '../context';
import { badInput, ErrorCode } from '../errors';

/**
 * Mutations (issue 12): each checks the role, turns its arguments into one ChangeRequest and hands it to the
 * write layer (src/write/), which validates with the data-set format's schemas and writes all or nothing.
 * Problems with the input come back in the result; a version conflict is a CONFLICT error.
 */

const SECTION_OF_KIND: { readonly [K in RecordKind]: Section } = {
  SOURCE: 'sources',
  COUNTRY: 'countries',
  ORGANIZATION: 'organizations',
  PERSON: 'persons',
  MODEL: 'models',
  CHANNEL: 'channels',
  POLICY: 'policies',
  ALLEGATION: 'allegations',
  OWNERSHIP: 'ownerships',
  CONTROL: 'controls',
  DERIVATION: 'derivations',
  OFFERING: 'offerings',
  DESIGNATION: 'designations',
};

/** Countries are the shared reference data every record's country fields point at: only an admin changes them. */
function roleFor(records: unknown): Role {
  const countries = (records as { countries?: unknown } | null)?.countries;
  return Array.isArray(countries) && countries.length > 0 ? 'admin' : 'editor';
}

interface Citing {
  reason: string;
  sources?: readonly string[] | null;
  newSources?: readonly SourceInput[] | null;
  dryRun?: boolean | null;
}

async function run(
  ctx: Context,
  args: Citing,
  request: Omit<ChangeRequest, 'author' | 'reason' | 'sourceIds' | 'dryRun'>,
): Promise<ChangeOutcome> {
  const reason = args.reason.trim();
  if (reason.length === 0) throw badInput('reason', 'must say why the change is made', args.reason);
  const newSources = (args.newSources ?? []).map(withoutNulls);
  const records = request.records ?? {};
  const withSources =
    newSources.length > 0 && records && typeof records === 'object' && !Array.isArray(records)
      ? {
          ...(records as Record<string, unknown>),
          sources: [...((records as { sources?: unknown[] }).sources ?? []), ...newSources],
        }
      : records;
  try {
    const outcome = await applyChange(ctx.db, {
      ...request,
      records: withSources,
      author: { id: ctx.principal.id, name: ctx.principal.name },
      reason,
      sourceIds: [...(args.sources ?? []), ...(args.newSources ?? []).map((s) => s.id)],
      dryRun: args.dryRun ?? false,
    });
    // Committed: watchlists' webhooks learn of it now rather than at their next poll (src/watch/).
    if (outcome.written) writeCommitted();
    return outcome;
  } catch (error) {
    if (error instanceof VersionConflict) {
      throw new GraphQLError(error.message, {
        extensions: {
          code: ErrorCode.CONFLICT,
          recordId: error.recordId,
          expectedVersion: error.expected,
          foundVersion: error.found,
        },
      });
    }
    throw error;
  }
}

function withoutNulls<T extends object>(input: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}

/** The cited sources join the record's own: the evidence for a change is evidence for the fact. */
function citing(record: Record<string, unknown>, args: Citing): Record<string, unknown> {
  const cited = [...(args.sources ?? []), ...(args.newSources ?? []).map((s) => s.id)];
  const own = Array.isArray(record.sources) ? (record.sources as string[]) : [];
  return { ...record, sources: [...new Set([...own, ...cited])] };
}

function editOf(id: string, args: Citing, change: (r: Record<string, unknown>) => Record<string, unknown>) {
  return (): Promise<RecordEdit[]> => Promise.resolve([{ id, edit: (r) => citing(change(r), args) }]);
}

function expected(id: string, version: number | null | undefined): ReadonlyMap<string, number> | undefined {
  return version === null || version === undefined ? undefined : new Map([[id, version]]);
}

function shareOf(share: ShareInput | null | undefined): Record<string, unknown> | null {
  return share ? withoutNulls(share) : null;
}

export const mutationResolvers: Resolvers = {
  Mutation: {
    applyDataSet: (_, args, ctx) => {
      requireRole(ctx.principal, roleFor(args.input), 'applyDataSet');
      const versions = args.expectedVersions?.length
        ? new Map(args.expectedVersions.map((v) => [v.id, v.version]))
        : undefined;
      return run(ctx, args, { records: args.input, ...(versions ? { expectedVersions: versions } : {}) });
    },
    createRecord: (_, args, ctx) => {
      const section = SECTION_OF_KIND[args.kind];
      requireRole(ctx.principal, section === 'countries' ? 'admin' : 'editor', 'createRecord');
      const record = citing(args.record, args);
      const id = typeof record.id === 'string' ? record.id : '';
      return run(ctx, args, { records: { [section]: [record] }, expectedVersions: new Map([[id, 0]]) });
    },
    updateRecord: (_, args, ctx) => {
      requireRole(ctx.principal, args.id.startsWith('country:') ? 'admin' : 'editor', 'updateRecord');
      if ('id' in args.changes && args.changes.id !== args.id)
        throw badInput(
          'changes',
          "cannot change a record's id (create a new record and retract this one)",
          args.changes.id,
        );
      const edits = editOf(args.id, args, (r) => {
        const out = { ...r };
        for (const [key, value] of Object.entries(args.changes)) {
          if (value === null) delete out[key];
          else out[key] = value;
        }
        return out;
      });
      return run(ctx, args, withVersion({ edits }, args.id, args.expectedVersion));
    },
    retractRecord: (_, args, ctx) => {
      requireRole(ctx.principal, args.id.startsWith('country:') ? 'admin' : 'editor', 'retractRecord');
      return run(ctx, args, withVersion({ retract: [args.id] }, args.id, args.expectedVersion));
    },
    recordStake: (_, args, ctx) => {
      requireRole(ctx.principal, 'editor', 'recordStake');
      const { endPrevious, share, ...input } = args.input;
      const stake = citing({ ...withoutNulls(input), share: shareOf(share) }, args);
      const day = input.startDate;
      const edits = async (query: Parameters<NonNullable<ChangeRequest['edits']>>[0]) => {
        if (endPrevious === false || !day) return [];
        const open = await openStakes(query, input.owner, input.owned, day);
        return open.map((id) => ({
          id,
          edit: (r: Record<string, unknown>) => citing({ ...r, endDate: day }, args),
        }));
      };
      return run(ctx, args, {
        records: { ownerships: [stake] },
        edits,
        expectedVersions: new Map([[input.id, 0]]),
      });
    },
    endStake: (_, args, ctx) => {
      requireRole(ctx.principal, 'editor', 'endStake');
      const edits = editOf(args.id, args, (r) => ({ ...r, endDate: args.endDate }));
      return run(ctx, args, withVersion({ edits }, args.id, args.expectedVersion));
    },
    correctShare: (_, args, ctx) => {
      requireRole(ctx.principal, 'editor', 'correctShare');
      if (!args.id.startsWith('own:')) throw badInput('id', 'must be an ownership id ("own:…")', args.id);
      const edits = editOf(args.id, args, (r) => ({ ...r, share: shareOf(args.share) }));
      return run(ctx, args, withVersion({ edits }, args.id, args.expectedVersion));
    },
    addAlias: (_, args, ctx) => {
      requireRole(ctx.principal, 'editor', 'addAlias');
      const edits = editOf(args.id, args, (r) => {
        const aliases = Array.isArray(r.aliases) ? (r.aliases as string[]) : [];
        return { ...r, aliases: aliases.includes(args.alias) ? aliases : [...aliases, args.alias] };
      });
      return run(ctx, args, withVersion({ edits }, args.id, args.expectedVersion));
    },
    addSource: (_, args, ctx) => {
      requireRole(ctx.principal, 'editor', 'addSource');
      const source = withoutNulls(args.source);
      return run(ctx, args, {
        records: { sources: [source] },
        expectedVersions: new Map([[args.source.id, 0]]),
      });
    },
  },
  WriteResult: {
    problems: (outcome) => outcome.problems.map(problemOf),
    changeSet: (outcome) =>
      outcome.changeSet
        ? {
            ...outcome.changeSet,
            recordIds: outcome.recordIds,
            created: outcome.created,
            updated: outcome.updated,
            unchanged: outcome.unchanged,
            retracted: outcome.retracted,
          }
        : null,
  },
};

function withVersion<R extends Omit<ChangeRequest, 'author' | 'reason' | 'sourceIds' | 'dryRun'>>(
  request: R,
  id: string,
  version: number | null | undefined,
): R {
  const versions = expected(id, version);
  return versions ? { ...request, expectedVersions: versions } : request;
}

function problemOf(issue: DataSetIssue) {
  const at =
    issue.section === undefined
      ? ''
      : issue.index === undefined
        ? issue.section
        : `${issue.section}[${issue.index}]`;
  const path = [at, issue.field].filter(Boolean).join('.') || (issue.recordId ?? '');
  return {
    path,
    section: issue.section ?? null,
    index: issue.index ?? null,
    recordId: issue.recordId ?? null,
    field: issue.field ?? null,
    message: issue.message,
  };
}
