import { SECTIONS, type Section } from '../model/dataset';
import type { ExportPage } from './exportPages';
import { count, newCounts, type ExportChunk, type FormatWriter } from './formatWriter';

/**
 * The data-set format (src/model/dataset.ts), as `seed/` holds it: every section, every field, so that what is
 * exported loads back with `npm run seed FOLDER` (or `loadFolder`) into the same records. One record a line,
 * fields in the schema's order, so the same graph always gives the same bytes. With `recordsPerFile` the
 * export is a folder of files (`0001-organizations.json` …) of at most that many records each, named so that
 * the loader's name order is the format's section order; each file is one transaction when loaded.
 */

export interface SeedFormatOptions {
  /** The `$comment` of each file: what was exported (never the time, so that exports of one graph compare). */
  comment: string;
  /** Split into a folder of files of at most this many records; null for one file. */
  recordsPerFile: number | null;
}

export function seedFormat(options: SeedFormatOptions): FormatWriter {
  const counts = newCounts();
  let fileNumber = 0;
  let inFile = 0;
  let section: Section | null = null;
  let first = true;
  const opening = () => `{\n  "$comment": ${JSON.stringify(options.comment)}`;
  const closeSection = () => (section !== null ? '\n  ]' : '');
  const openFile = (next: Section): ExportChunk => {
    fileNumber++;
    inFile = 0;
    const text = opening();
    return { file: `${String(fileNumber).padStart(4, '0')}-${next}.json`, text };
  };
  return {
    sections: SECTIONS,
    counts,
    begin: () => (options.recordsPerFile === null ? [{ text: opening() }] : []),
    page(page: ExportPage) {
      const chunks: ExportChunk[] = [];
      for (const { record } of page.items) {
        const split = options.recordsPerFile !== null;
        if (split && (section !== page.section || inFile >= options.recordsPerFile!)) {
          if (fileNumber > 0) chunks.push({ text: `${closeSection()}\n}\n` });
          chunks.push(openFile(page.section));
          section = null;
        }
        if (section !== page.section) {
          chunks.push({ text: `${closeSection()},\n  ${JSON.stringify(page.section)}: [\n    ` });
          section = page.section;
          first = true;
        }
        chunks.push({ text: `${first ? '' : ',\n    '}${JSON.stringify(record)}` });
        first = false;
        inFile++;
        count(counts, 'written', page.section);
      }
      return Promise.resolve(chunks);
    },
    end() {
      if (options.recordsPerFile !== null && fileNumber === 0) return [];
      return [{ text: `${closeSection()}\n}\n` }];
    },
  };
}
