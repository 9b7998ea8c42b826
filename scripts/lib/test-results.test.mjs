import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFailures, readPlaywrightReport, readVitestReport } from './test-results.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tandem-test-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = '/repo';
const writeReport = (/** @type {string} */ name, /** @type {unknown} */ report) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(report));
  return file;
};

describe('readVitestReport', () => {
  it('counts the tests and names each failed one with the gist of its message', () => {
    const file = writeReport('vitest.json', {
      numPassedTests: 3,
      numFailedTests: 2,
      numPendingTests: 1,
      numTodoTests: 1,
      testResults: [
        {
          name: '/repo/apps/api/src/a.test.ts',
          status: 'failed',
          message: '',
          assertionResults: [
            { fullName: 'a passes', status: 'passed', failureMessages: [] },
            {
              ancestorTitles: ['a', 'errors'],
              title: 'answers 400',
              fullName: 'a errors answers 400',
              status: 'failed',
              failureMessages: ['\u001b[31mAssertionError: expected 500 to be 400\u001b[39m\n    at a.test.ts:3:1'],
            },
            {
              ancestorTitles: ['a'],
              title: 'fuzz',
              fullName: 'a fuzz',
              status: 'failed',
              duration: 60_012,
              failureMessages: [
                'Error: STACK_TRACE_ERROR\n    at task (file:///repo/node_modules/@vitest/runner/dist/x.js:1:1)',
              ],
            },
          ],
        },
        {
          name: '/repo/apps/api/src/b.test.ts',
          status: 'failed',
          message: 'SyntaxError: b.ts: unexpected token',
          assertionResults: [],
        },
      ],
    });
    expect(readVitestReport(file, root)).toEqual({
      passed: 3,
      failed: 2,
      skipped: 2,
      failures: [
        {
          test: 'a › errors › answers 400',
          file: 'apps/api/src/a.test.ts',
          reason: 'AssertionError: expected 500 to be 400 · at a.test.ts:3',
        },
        {
          test: 'a › fuzz',
          file: 'apps/api/src/a.test.ts',
          reason: 'Error: STACK_TRACE_ERROR · the message was lost (a timeout loses it) after 60.0 s',
        },
        { test: '(the file itself)', file: 'apps/api/src/b.test.ts', reason: 'SyntaxError: b.ts: unexpected token' },
      ],
    });
  });

  it('returns null when the runner wrote no report', () => {
    expect(readVitestReport(join(dir, 'missing.json'), root)).toBeNull();
  });
});

describe('readPlaywrightReport', () => {
  it('counts a flaky test as failed and names failures with their describe titles', () => {
    const file = writeReport('playwright.json', {
      config: { projects: [{ testDir: '/repo/apps/web/e2e' }] },
      stats: { expected: 2, unexpected: 1, flaky: 1, skipped: 1 },
      suites: [
        {
          title: 'orders.spec.ts',
          file: 'orders.spec.ts',
          specs: [
            {
              title: 'lists orders',
              file: 'orders.spec.ts',
              tests: [
                {
                  status: 'flaky',
                  results: [
                    { status: 'timedOut', errors: [{ message: 'Test timeout of 30000ms exceeded.' }] },
                    { status: 'passed' },
                  ],
                },
              ],
            },
          ],
          suites: [
            {
              title: 'new order',
              file: 'orders.spec.ts',
              specs: [
                {
                  title: 'saves',
                  file: 'orders.spec.ts',
                  tests: [{ status: 'expected', results: [{ status: 'passed' }] }],
                },
                {
                  title: 'names the bad field',
                  file: 'orders.spec.ts',
                  tests: [
                    {
                      status: 'unexpected',
                      results: [
                        {
                          status: 'failed',
                          errors: [
                            {
                              message:
                                'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 503\nReceived: 200\n\n  at /repo/apps/web/e2e/orders.spec.ts:9:20',
                              location: { file: '/repo/apps/web/e2e/orders.spec.ts', line: 9, column: 20 },
                            },
                          ],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(readPlaywrightReport(file, root)).toEqual({
      passed: 2,
      failed: 2,
      skipped: 1,
      failures: [
        {
          test: 'lists orders (flaky)',
          file: 'apps/web/e2e/orders.spec.ts',
          reason: 'Test timeout of 30000ms exceeded.',
        },
        {
          test: 'new order › names the bad field',
          file: 'apps/web/e2e/orders.spec.ts',
          reason:
            'Error: expect(received).toBe(expected) // Object.is equality · Expected: 503 · Received: 200 · at orders.spec.ts:9',
        },
      ],
    });
  });
});

describe('formatFailures', () => {
  it('prints nothing when nothing failed', () => {
    expect(formatFailures([])).toBe('');
  });

  it('names each failure by suite, file and test, its reason on the next line', () => {
    expect(
      formatFailures([
        {
          suite: 'unit',
          file: 'apps/web/src/a.test.ts',
          test: 'a › answers 400',
          reason: 'AssertionError: expected 500',
        },
        { suite: 'typecheck', file: '', test: 'typecheck', reason: '' },
      ]),
    ).toBe(
      'failed:\n✗ [unit] apps/web/src/a.test.ts › a › answers 400\n    AssertionError: expected 500\n✗ [typecheck] typecheck',
    );
  });
});
