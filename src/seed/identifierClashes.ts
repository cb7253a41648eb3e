import path from 'node:path';
import type { Query } from '../db/database';
import type { DataSetFile } from '../model/dataset';
import { identifierKey, isUniqueKey } from '../model/identifier';
import { holdersOfKeys } from '../queries/identifierHolders';
import { DataSetError, type DataSetIssue } from './dataSetError';

/**
 * An LEI, a register number, a Wikidata or OpenSanctions id names one party: two records holding the same
 * one are one party entered twice, or a typo. Checked across a folder before anything is written, and
 * against the database inside each file's transaction (an identifier Neo4j cannot constrain: it lives in
 * a list property).
 */

interface Holding {
  file: string;
  section: 'organizations' | 'persons';
  index: number;
  recordId: string;
  field: string;
  key: string;
}

/** Every unique-scheme identifier a file's parties hold, with where it stands. */
export function uniqueIdentifiersOf(file: string, data: DataSetFile): Holding[] {
  const out: Holding[] = [];
  for (const section of ['organizations', 'persons'] as const) {
    (data[section] ?? []).forEach((record, index) => {
      (record.identifiers ?? []).forEach((identifier, i) => {
        const key = identifierKey(identifier);
        if (isUniqueKey(key))
          out.push({
            file: path.basename(file),
            section,
            index,
            recordId: record.id,
            field: `identifiers[${i}]`,
            key,
          });
      });
    });
  }
  return out;
}

/** Issues for each unique identifier held by two different records of these files (the first one owns it). */
export function identifierClashesAcross(
  files: ReadonlyArray<{ file: string; data: DataSetFile }>,
): DataSetIssue[] {
  const owner = new Map<string, Holding>();
  const issues: DataSetIssue[] = [];
  for (const { file, data } of files) {
    for (const holding of uniqueIdentifiersOf(file, data)) {
      const first = owner.get(holding.key);
      if (!first) owner.set(holding.key, holding);
      else if (first.recordId !== holding.recordId)
        issues.push(clash(holding, `"${first.recordId}" (${first.file})`));
    }
  }
  return issues;
}

/** Throws when a record of `data` holds a unique identifier that another record in the database holds. */
export async function checkIdentifiersAgainstDatabase(
  query: Query,
  file: string,
  data: DataSetFile,
): Promise<void> {
  const holdings = uniqueIdentifiersOf(file, data);
  const issues = identifierClashesAcross([{ file, data }]);
  if (holdings.length > 0) {
    const holders = await holdersOfKeys(query, [...new Set(holdings.map((h) => h.key))]);
    for (const holding of holdings) {
      const other = (holders.get(holding.key) ?? []).find((id) => id !== holding.recordId);
      if (other) issues.push(clash(holding, `"${other}" in the database`));
    }
  }
  if (issues.length > 0) throw new DataSetError(issues);
}

function clash(holding: Holding, holder: string): DataSetIssue {
  return {
    file: holding.file,
    section: holding.section,
    index: holding.index,
    recordId: holding.recordId,
    field: holding.field,
    message: `holds ${holding.key}, which already identifies ${holder}; an identifier of this scheme names one party`,
  };
}
