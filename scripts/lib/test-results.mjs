// Reads the machine-readable reports the test runners write, as passed/failed/skipped counts
// and the names of the tests that failed (so the summary at the end of a long log says which).
import { existsSync, readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/**
 * @typedef {{ test: string, file: string, reason: string }} Failure
 * @typedef {{ passed: number, failed: number, skipped: number, failures: Failure[] }} Report
 */

/**
 * A failure message in one line: its first line, then what an assertion expected and
 * received (several assertions share a first line, "expect(received).toBe(expected)"), and
 * where the test failed, without terminal colours, cut to a readable length.
 * @param {string | undefined} message
 * @param {{ file?: string, line?: number } | undefined} [location] the runner's own, when it gives one
 */
function gist(message, location) {
  const lines = stripVTControlCharacters(message ?? '')
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text !== '');
  const head = (lines[0] ?? '').slice(0, 200);
  const values = lines.filter((text) => /^(Expected|Received)\b/.test(text)).map((text) => text.slice(0, 120));
  const where =
    location?.file !== undefined && location.line !== undefined
      ? `${basename(location.file)}:${location.line}`
      : lines.find((text) => /^at .*\.(spec|test)\.[cm]?[jt]s:\d+/.test(text))?.match(/([^/\\(\s]+:\d+):\d+\)?$/)?.[1];
  return [head, ...values, ...(where === undefined ? [] : [`at ${where}`])].join(' · ');
}

/**
 * A failed Vitest test's reason. Its JSON reporter loses the message of some errors, a test
 * timeout's among them, and writes `STACK_TRACE_ERROR` instead: the test's duration then says
 * whether it ran into its timeout.
 * @param {{ failureMessages?: string[], duration?: number }} test
 */
function vitestReason(test) {
  const reason = gist(test.failureMessages?.[0]);
  if (!reason.startsWith('Error: STACK_TRACE_ERROR') || test.duration === undefined) return reason;
  return `${reason} · the message was lost (a timeout loses it) after ${(test.duration / 1000).toFixed(1)} s`;
}

/**
 * Vitest's JSON reporter. A file that fails to load shows in the exit code and as a failed
 * file without failed tests; it is listed by its file.
 * @param {string} file
 * @param {string} root paths in failures are relative to it
 * @returns {Report | null}
 */
export function readVitestReport(file, root) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Failure[]} */
  const failures = [];
  for (const testFile of report.testResults ?? []) {
    const path = relative(root, testFile.name);
    const failed = (testFile.assertionResults ?? []).filter((/** @type {any} */ test) => test.status === 'failed');
    for (const test of failed) {
      // The describe titles and the test's, as the runner's own output separates them.
      const name = test.title === undefined ? test.fullName : [...(test.ancestorTitles ?? []), test.title].join(' › ');
      failures.push({ test: name, file: path, reason: vitestReason(test) });
    }
    if (testFile.status === 'failed' && failed.length === 0) {
      failures.push({ test: '(the file itself)', file: path, reason: gist(testFile.message) });
    }
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    failures,
  };
}

/**
 * Playwright's JSON reporter; a flaky test counts as failed (retries hide nothing).
 * @param {string} file
 * @param {string} root paths in failures are relative to it
 * @returns {Report | null}
 */
export function readPlaywrightReport(file, root) {
  if (!existsSync(file)) return null;
  const { stats, suites = [], config } = JSON.parse(readFileSync(file, 'utf8'));
  const testDir = config?.projects?.[0]?.testDir ?? config?.rootDir ?? root;
  /** @type {Failure[]} */
  const failures = [];
  /** @param {any} suite @param {string[]} path the describe titles above the suite's specs */
  const visit = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
        const failedRun = (test.results ?? []).find((/** @type {any} */ run) => run.status !== 'passed');
        const error = failedRun?.errors?.[0] ?? failedRun?.error;
        failures.push({
          test: [...path, spec.title].join(' › ') + (test.status === 'flaky' ? ' (flaky)' : ''),
          file: relative(root, `${testDir}/${spec.file}`),
          reason: gist(error?.message, error?.location),
        });
      }
    }
    for (const child of suite.suites ?? []) visit(child, [...path, child.title]);
  };
  // The top-level suites are the spec files; their titles are the file names.
  for (const suite of suites) visit(suite, []);
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
    failures,
  };
}

/**
 * The failures of a run as lines to print under the summary table: `failed:` and one
 * entry per failure (suite, file, test, then its reason indented), or '' when none failed.
 * @param {(Failure & { suite: string })[]} failures
 */
export function formatFailures(failures) {
  if (failures.length === 0) return '';
  const entries = failures.map(
    ({ suite, file, test, reason }) =>
      `✗ [${suite}] ${file ? `${file} › ` : ''}${test}${reason ? `\n    ${reason}` : ''}`,
  );
  return ['failed:', ...entries].join('\n');
}
