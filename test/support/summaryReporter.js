/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", after Jest's own summary, so that
 * tools reading a test run's last line (CI among them) see the counts without parsing Jest's layout.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    // stderr, like Jest's own summary, so this line comes after it in a combined log.
    process.stderr.write(`Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}

module.exports = SummaryReporter;
