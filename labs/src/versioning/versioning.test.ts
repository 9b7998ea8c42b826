import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { SMOKE_MAX_ERROR_SHARE, type VersioningRun, versioningLab } from './measure.js';

describe('lab versioning (smoke)', () => {
  it('a canary release (10 → 50 → 100 %) shows a faulty v2 to far fewer users than a big bang before the rollback', async () => {
    const report = await versioningLab.run({
      smoke: true,
      progress: createProgress('versioning'),
      workDir: labWorkDir(),
    });
    const { naive, tuned } = (report.raw as VersioningRun).runs;

    // Each setting ran its own release plan, read from the lab switch.
    expect(naive.plan).toEqual([100]);
    expect(tuned.plan).toEqual([10, 50, 100]);
    // The real alert fired in both, from the real rule file; the canary caught it before the last step.
    expect(naive.secondsToAlert).not.toBeNull();
    expect(tuned.secondsToAlert).not.toBeNull();
    expect(tuned.shareAtAlert).toBeLessThan(100);
    // Both releases reached users, and the fault stayed in v2.
    expect(naive.calls.v2).toBeGreaterThan(0);
    expect(tuned.calls.v2).toBeGreaterThan(0);
    expect(naive.v1Errors).toBe(0);
    expect(tuned.v1Errors).toBe(0);
    expect(naive.noAnswer + tuned.noAnswer).toBe(0);
    for (const run of [naive, tuned]) {
      expect(run.errorsBeforeAlert).toBeLessThanOrEqual(run.errorsBeforeRollback);
      expect(run.errorsBeforeRollback).toBeLessThanOrEqual(run.errorsTotal);
    }

    // The lab's metric: errors users saw before the rollback. Naive puts every user on the
    // faulty v2 (tens of errors per second); tuned about a tenth of them, so ≤ half of
    // naive's holds even when the canary's random buckets or a slow alert go against it.
    expect(naive.errorsBeforeRollback).toBeGreaterThan(20);
    expect(tuned.errorsBeforeRollback).toBeLessThanOrEqual(SMOKE_MAX_ERROR_SHARE * naive.errorsBeforeRollback);
  });
});
