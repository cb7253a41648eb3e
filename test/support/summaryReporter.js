/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", after Jest's own summary, so that
 * tools reading a test run's last line (CI among them) see the counts without parsing Jest's layout.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const line = `Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`;
    // Jest prints its own summary after every reporter has run; at exit this line comes last.
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = SummaryReporter;
