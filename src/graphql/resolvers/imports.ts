import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { requireRole } from '../../auth/principal';
import { importCsv } from '../../import/csvImport';
import { ImportSource } from '../../import/importSource';
import { readerFor, type FormatName } from '../../import/formats';
import { summaryOf } from '../../import/reportText';
import { resolveReview } from '../../import/resolveReview';
import { runImport } from '../../import/runImport';
import { fetchReviews } from '../../queries/importReview';
import type { Resolvers } from '../__generated__/resolvers';
import { badInput, ErrorCode } from '../errors';
import { refs } from './shared';
import { writeCommitted } from '../../watch/notifier';

/** Inline imports are for small files; a larger one goes through `npm run import`, which streams and resumes. */
export const MAX_INLINE_IMPORT_BYTES = 1_000_000;

export const importResolvers: Resolvers = {
  Query: {
    importReview: async (_, { status, first }, ctx) => {
      requireRole(ctx.principal, 'editor', 'Reading the import review list');
      const limit = first ?? 50;
      if (limit < 1 || limit > ctx.config.MAX_PAGE_SIZE) {
        throw badInput('first', `must be between 1 and ${ctx.config.MAX_PAGE_SIZE}`, limit);
      }
      return ctx.db.read((query) => fetchReviews(query, status ?? null, limit));
    },
  },
  Mutation: {
    resolveImportReview: async (_, { id, decision, into }, ctx) => {
      requireRole(ctx.principal, 'editor', 'Resolving an import review entry');
      const outcome = await resolveReview(ctx.db, id, decision, into ?? null, ctx.principal.id);
      if (outcome.ok) return outcome.review;
      throw new GraphQLError(`Argument "${outcome.argument}" ${outcome.message}.`, {
        extensions: { code: ErrorCode[outcome.code], argument: outcome.argument },
      });
    },
    importData: async (_, { format, content, source, dryRun }, ctx) => {
      requireRole(ctx.principal, 'editor', 'Importing data');
      const bytes = Buffer.byteLength(content);
      if (bytes > MAX_INLINE_IMPORT_BYTES) {
        throw badInput(
          'content',
          `must be at most ${MAX_INLINE_IMPORT_BYTES} bytes (use npm run import)`,
          `${bytes} bytes`,
        );
      }
      const parsed = ImportSource.safeParse(
        Object.fromEntries(Object.entries(source).filter(([, v]) => v != null)),
      );
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw badInput(`source.${issue.path.join('.')}`, issue.message, source);
      }
      const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'import-'));
      const name = format.toLowerCase().replace('_', '-') as FormatName;
      const file = path.join(folder, `${parsed.data.dataset}.${name.endsWith('csv') ? 'csv' : name}`);
      const author = { id: ctx.principal.id, name: ctx.principal.name };
      try {
        await fs.writeFile(file, content);
        const report =
          name === 'csv'
            ? await importCsv(ctx.db, { path: file, source: parsed.data, dryRun: dryRun ?? false, author })
            : await runImport(ctx.db, {
                file,
                format: name,
                reader: readerFor(name),
                source: parsed.data,
                dryRun: dryRun ?? false,
                checkpointPath: null,
                author,
              });
        // Committed (or partly, batch by batch): watchlists' webhooks learn of it now (src/watch/).
        if (!(dryRun ?? false)) writeCommitted();
        return report;
      } finally {
        await fs.rm(folder, { recursive: true, force: true });
      }
    },
  },
  ImportReviewItem: {
    source: (r, _, ctx) =>
      ctx.loaders.record.load(r.sourceId).then((row) => (row?._label === 'Source' ? (row as never) : null)),
    kind: (r) => r.label,
    incoming: (r) => r.partyJson,
    candidates: (r, _, ctx) => refs(ctx, r.candidateIds, 'Organization', 'Person'),
    resolved: async (r, _, ctx) => {
      if (!r.resolvedId) return null;
      const [row] = await refs(ctx, [r.resolvedId], 'Organization', 'Person');
      return row ?? null;
    },
  },
  ImportReport: {
    summary: (r) => summaryOf(r),
  },
};
