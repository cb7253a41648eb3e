import { ftmReader, DEFAULT_POLICY_MAP } from './ftm';
import { bodsReader } from './bods';
import { csvReader } from './csvReader';
import { gleifReader } from './gleif';
import { gleifCsvReader } from './gleifCsv';
import type { FormatReader } from './incoming';

/** The formats `npm run import` and the importData mutation read. */
export const FORMATS = ['ftm', 'bods', 'gleif', 'gleif-csv', 'csv'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface ReaderOptions {
  /** Extra or replacing entries of the sanctions-list → policies map (FtM). */
  policyMap?: Record<string, string[]>;
}

export function readerFor(format: FormatName, options: ReaderOptions = {}): FormatReader {
  switch (format) {
    case 'ftm':
      return ftmReader({ ...DEFAULT_POLICY_MAP, ...options.policyMap });
    case 'bods':
      return bodsReader();
    case 'gleif':
      return gleifReader();
    case 'gleif-csv':
      return gleifCsvReader();
    case 'csv':
      // One file whose rows say which template they follow; a folder goes through importCsv (csvImport.ts).
      return csvReader();
    default:
      return unknownFormat(format);
  }
}

function unknownFormat(format: never): never {
  throw new Error(`unknown import format: ${String(format)}`);
}
