import type { z } from 'zod';
import { CSV_ID_PREFIX } from './csvTemplates';
import type { Incoming, Ref } from './incoming';
import { newRecord, partySchemaOf } from './partyRecords';
import { ID_PREFIX } from './referenceKinds';
import { controlRecord, designationRecord, ownershipRecord } from './relationshipRecords';

/**
 * Every rule the writer enforces on one record, checked on a CSV row as it is read: the row is made into
 * the record it will be written as and parsed by the same zod schema the write layer parses it with
 * (model/), so a rule added there is checked here without being written twice. References stand in by
 * their id, or by a placeholder of the right kind where they are identifiers (the whole-folder check
 * settles those against the folder and the database), and the sources by the import's own. Each issue is
 * named by the template's column, so the report points at the cell to fix, before anything is written.
 */

/** The record fields whose template column has another name (the rest share theirs). */
const COLUMN_OF_FIELD: Record<string, string> = {
  startDate: 'start_date',
  endDate: 'end_date',
  listName: 'list_name',
  owner: 'owner',
  owned: 'owned',
};

/** A share's parts by the column that gave them (csvReader.ts `share`). */
const COLUMN_OF_SHARE: Record<string, string> = {
  exact: 'share',
  minimum: 'share_min',
  exclusiveMinimum: 'share_min',
  maximum: 'share_max',
  exclusiveMaximum: 'share_max',
};

const IMPORT_SOURCE = 'src:csv-import';

export interface RecordIssue {
  column: string;
  message: string;
}

type Item = Exclude<Incoming, { kind: 'rejected' } | { kind: 'skipped' }>;

/** What the writer would refuse in this row's record, every issue (not only the first), by column. */
export function recordIssues(item: Item, row: Record<string, string>): RecordIssue[] {
  const parsed = parseAsRecord(item);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => issueOf(issue, row));
}

function parseAsRecord(item: Item) {
  // The builders pass 2 writes with (relationshipRecords.ts, partyRecords.ts), with ids or placeholders.
  const at = { idPrefix: CSV_ID_PREFIX, sourceId: IMPORT_SOURCE };
  const ref = (r: Ref, field: string) => ('id' in r ? r.id : `org:placeholder-${field}`);
  switch (item.kind) {
    case 'party': {
      const id = item.id ?? `${ID_PREFIX[item.label]}:placeholder`;
      return partySchemaOf(item.label).safeParse(newRecord(item, id, IMPORT_SOURCE));
    }
    case 'ownership':
      return ownershipRecord(item, { owner: ref(item.owner, 'owner'), owned: ref(item.owned, 'owned') }, at);
    case 'control':
      return controlRecord(
        item,
        { controller: ref(item.controller, 'controller'), controlled: ref(item.controlled, 'controlled') },
        at,
      );
    case 'designation':
      return designationRecord(item, ref(item.entity, 'entity'), item.policies[0]!, at);
  }
}

function issueOf(issue: z.core.$ZodIssue, row: Record<string, string>): RecordIssue {
  const [field, part] = issue.path.map(String);
  const column =
    field === 'share'
      ? (COLUMN_OF_SHARE[part ?? ''] ?? 'share')
      : field === undefined
        ? 'row'
        : (COLUMN_OF_FIELD[field] ?? field);
  const text = row[column];
  const shown =
    text === undefined ? '' : `${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} `;
  return { column, message: `${shown}${wording(issue)}` };
}

/** zod's wording, except where ours says it in the template's terms. */
function wording(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return `is longer than ${Number(issue.maximum).toLocaleString('en')} characters`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string') return 'must not be empty';
  return issue.message;
}
