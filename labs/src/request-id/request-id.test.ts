import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type RequestIdRun, requestIdLab } from './measure.js';

describe('lab request-id (smoke)', () => {
  it('tuned joins every browser record to its server line and Server-Timing; naive almost none', async () => {
    const report = await requestIdLab.run({
      smoke: true,
      progress: createProgress('request-id'),
      workDir: labWorkDir(),
    });
    const { naive, tuned } = (report.raw as RequestIdRun).modes;

    // Every call the tab made reached the log as a browser record of an answered call, in both settings.
    expect(tuned.answered).toBeGreaterThanOrEqual(tuned.callsMade);
    expect(naive.answered).toBeGreaterThanOrEqual(naive.callsMade);
    expect(tuned.callsMade).toBeGreaterThan(10);

    expect(tuned.found).toBe(tuned.answered);
    expect(tuned.joined.filter((call) => call.status > 0).every((call) => call.serverLine && call.serverTiming)).toBe(
      true,
    );

    // Naive: only a call that carried an id (sent before the tab had read the lab state) can be found.
    expect(naive.share).toBeLessThanOrEqual(0.1);
    expect(naive.found).toBeLessThanOrEqual(naive.callsWithId);
  });
});
