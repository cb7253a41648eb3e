/**
 * One problem with a data-set file, located precisely enough to fix it: the file, the section and the
 * record's index and id, the field, and the reason.
 */
export interface DataSetIssue {
  file: string;
  section?: string;
  index?: number;
  recordId?: string;
  field?: string;
  message: string;
}

export function formatIssue(issue: DataSetIssue): string {
  const where = [issue.file];
  if (issue.section !== undefined) {
    where.push(issue.index !== undefined ? `${issue.section}[${issue.index}]` : issue.section);
  }
  if (issue.recordId) where.push(`id "${issue.recordId}"`);
  if (issue.field) where.push(`field "${issue.field}"`);
  return `${where.join(', ')}: ${issue.message}`;
}

/** Thrown by the loader when a file is rejected; nothing from that file was written. */
export class DataSetError extends Error {
  readonly issues: readonly DataSetIssue[];

  constructor(issues: readonly DataSetIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue);
    const more = issues.length > 20 ? [`… and ${issues.length - 20} more`] : [];
    super([`${issues.length} problem(s) in the data set:`, ...shown, ...more].join('\n  '));
    this.name = 'DataSetError';
    this.issues = issues;
  }
}
