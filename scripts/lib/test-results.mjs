// Reads the machine-readable reports the test runners write, as passed/failed/skipped counts.
import { existsSync, readFileSync } from 'node:fs';

/**
 * @typedef {{ passed: number, failed: number, skipped: number }} Counts
 */

/** Vitest's JSON reporter (a file that fails to load shows in the exit code, not here). @returns {Counts | null} */
export function readVitestReport(/** @type {string} */ file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Playwright's JSON reporter; a flaky test counts as failed (retries hide nothing). @returns {Counts | null} */
export function readPlaywrightReport(/** @type {string} */ file) {
  if (!existsSync(file)) return null;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
  };
}
