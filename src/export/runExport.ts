import type { Database } from '../db/database';
import { bodsFormat } from './bodsFormat';
import { recordsById, pagesOf, wholeGraphPages, type ExportPage } from './exportPages';
import type { ExportChunk, ExportCounts, FormatWriter } from './formatWriter';
import { ftmFormat } from './ftmFormat';
import { seedFormat } from './seedFormat';
import { collectSubgraph, type SubgraphSelection } from './subgraph';

/**
 * One export: what to write (the whole graph or a chosen subgraph, now or as known at an instant), in which
 * format, to which sink. The subgraph is settled before the first byte is written, so a request for an
 * unknown entity or a subgraph over the size limit is refused whole (an HTTP 404 or 400), never cut.
 */

export const EXPORT_FORMATS = ['seed', 'bods', 'ftm'] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export interface ExportSpec {
  format: ExportFormatName;
  knownAsOf: string | null;
  subgraph: SubgraphSelection | null;
  /** BODS as one JSON array rather than JSON lines. */
  bodsArray?: boolean;
  /** The data-set format split into files of at most this many records; null for one file. */
  recordsPerFile?: number | null;
  /** The most parties a subgraph may hold (EXPORT_MAX_PARTIES). */
  maxParties: number;
  /** The day the export is made (BODS publication date); defaults to today. */
  today?: string;
}

/** Where an export's text goes: a file, a folder of files, or an HTTP response; each waits on backpressure. */
export interface TextSink {
  write(chunk: ExportChunk): Promise<void>;
  end(): Promise<void>;
}

export type PreparedExport =
  | {
      ok: true;
      writer: FormatWriter;
      pages: AsyncIterable<ExportPage> | Iterable<ExportPage>;
      parties?: number;
    }
  | { ok: false; reason: 'not-found' | 'too-large'; message: string };

export function describeExport(spec: ExportSpec): string {
  const what = spec.subgraph
    ? `the subgraph of ${spec.subgraph.entity} (${spec.subgraph.direction}, depth ${spec.subgraph.depth})`
    : 'the whole graph';
  const when = spec.knownAsOf ? `, as known at ${spec.knownAsOf}` : '';
  return `Exported by AI Exposure Graph (npm run export): ${what}${when}.`;
}

export function formatWriter(spec: ExportSpec): FormatWriter {
  switch (spec.format) {
    case 'seed':
      return seedFormat({ comment: describeExport(spec), recordsPerFile: spec.recordsPerFile ?? null });
    case 'bods':
      return bodsFormat({
        array: spec.bodsArray ?? false,
        publicationDate: spec.today ?? new Date().toISOString().slice(0, 10),
      });
    case 'ftm':
      return ftmFormat();
    default:
      return spec.format satisfies never;
  }
}

export async function prepareExport(db: Database, spec: ExportSpec): Promise<PreparedExport> {
  const writer = formatWriter(spec);
  if (!spec.subgraph)
    return { ok: true, writer, pages: wholeGraphPages(db, writer.sections, spec.knownAsOf) };
  const outcome = await collectSubgraph(db, spec.subgraph, spec.knownAsOf, {
    maxParties: spec.maxParties,
    withReferences: spec.format === 'seed',
  });
  if (!outcome.ok) return outcome;
  const pages = pagesOf(outcome.records).filter((p) => writer.sections.includes(p.section));
  return { ok: true, writer, pages, parties: outcome.parties };
}

/** Writes prepared pages through the format to the sink; returns what was written and left out. */
export async function writeExport(
  db: Database,
  spec: ExportSpec,
  prepared: Extract<PreparedExport, { ok: true }>,
  sink: TextSink,
): Promise<ExportCounts> {
  const { writer } = prepared;
  const lookup = (ids: readonly string[]) => recordsById(db, ids, spec.knownAsOf);
  for (const chunk of writer.begin()) await sink.write(chunk);
  for await (const page of prepared.pages) {
    for (const chunk of await writer.page(page, lookup)) await sink.write(chunk);
  }
  for (const chunk of writer.end()) await sink.write(chunk);
  await sink.end();
  return writer.counts;
}
