import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type Retry429Run, retry429Lab, TARGET_AMPLIFICATION } from './measure.js';

describe('lab retry-429 (smoke)', () => {
  it('the aligned policy keeps requests per action ≤ 1.1× and never retries before Retry-After; the default multiplies them', async () => {
    const report = await retry429Lab.run({ smoke: true, progress: createProgress('retry-429'), workDir: labWorkDir() });
    const { naive, tuned } = (report.raw as Retry429Run).runs;

    // The lab switch reached the SPA's client: each setting ran with its own policy.
    expect(naive.policy).toBe('default');
    expect(tuned.policy).toBe('aligned');
    // The API was overloaded in both settings, and counted every request the client sent.
    expect(naive.rejected429).toBeGreaterThan(naive.actions / 2);
    expect(tuned.rejected429).toBeGreaterThan(tuned.actions / 2);
    expect(naive.serverRequests).toBe(naive.clientRequests);
    expect(tuned.serverRequests).toBe(tuned.clientRequests);

    expect(tuned.amplification).toBeLessThanOrEqual(TARGET_AMPLIFICATION);
    // vue-query's 3 retries on every failure: up to 4 requests for an action that keeps failing.
    expect(naive.amplification).toBeGreaterThan(2);
    expect(tuned.retriesAfter429).toBeGreaterThan(0);
    expect(tuned.earlyRetries).toBe(0);
  });
});
