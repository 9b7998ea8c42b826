import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import {
  DEADLINE_MS,
  SLOW_QUERY_MS,
  SMOKE_MAX_CANCEL_MS,
  SMOKE_MIN_NAIVE_SHARE,
  type TimeoutRun,
  timeoutLab,
} from './measure.js';

describe('lab timeout (smoke)', () => {
  it('tuned cancels the report query in PostgreSQL at the client’s deadline; naive lets it run to the end', async () => {
    const report = await timeoutLab.run({ smoke: true, progress: createProgress('timeout'), workDir: labWorkDir() });
    const { summary, calls } = report.raw as TimeoutRun;

    // Every client gave up at its deadline in both settings: the difference is all on the server.
    for (const call of calls) expect(call.outcome).toBe('gave up');

    // Tuned: every query was cancelled on the server, soon after the deadline (a bound far
    // looser than the 50 ms target: the suite runs on a busy 2-core machine).
    expect(summary.tuned.queriesCancelled).toBe(summary.tuned.calls);
    expect(summary.tuned.statementEndP99Ms).toBeLessThan(SMOKE_MAX_CANCEL_MS);

    // Naive: nothing cancelled, each statement kept running for about what it had left.
    expect(summary.naive.queriesCancelled).toBe(0);
    for (const call of calls.filter((c) => c.mode === 'naive')) {
      expect(call.dbMsAfterDeadline).toBeGreaterThan(SMOKE_MIN_NAIVE_SHARE * (SLOW_QUERY_MS - DEADLINE_MS));
    }
  });
});
