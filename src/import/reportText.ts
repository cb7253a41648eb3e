import type { ImportReport } from './runImport';

/** The final report of an import, as the CLI prints it: counts, then every listed problem and review entry. */
export function reportText(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run of' : 'Imported'} ${report.file} (${report.format}, source ${report.sourceId}): ` +
      `${report.lines} line(s); ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.matched} matched, ${report.ambiguous} ambiguous, ${report.rejected} rejected, ${report.skipped} skipped.`,
  ];
  if (report.resumedFrom) {
    lines.push(
      `Resumed from the checkpoint after line ${report.resumedFrom.line} of pass ${report.resumedFrom.pass}.`,
    );
  }
  for (const p of report.problems) {
    lines.push(`  rejected: ${p.file}, line ${p.line}${p.field ? `, field "${p.field}"` : ''}: ${p.message}`);
  }
  if (report.rejected > report.problems.length) {
    lines.push(`  … and ${report.rejected - report.problems.length} more rejected`);
  }
  for (const r of report.reviews) {
    lines.push(
      `  ambiguous: line ${r.line}, "${r.name}" (${r.localId}) could be ${r.candidates.join(' or ')}: ${r.reason}` +
        (report.dryRun ? '' : ' (in importReview)'),
    );
  }
  lines.push(summaryOf(report));
  return lines.join('\n');
}

/** What was and was not written, in one sentence (the CLI's last line, the API's `summary`). */
export function summaryOf(report: ImportReport): string {
  return report.refused
    ? `${report.refused[0]!.toUpperCase()}${report.refused.slice(1)} (fix them and run the import again).`
    : report.dryRun
      ? 'Nothing was written (dry run).'
      : report.rejected + report.ambiguous === 0
        ? 'Everything was written.'
        : 'Everything else was written; rejected lines were not, ambiguous parties (and what refers to them) wait in the review list.';
}
