import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type LeaksRun, leaksLab } from './measure.js';

describe('lab leaks (smoke)', () => {
  it('tuned components leave nothing behind; naive ones leave one stream per visit', async () => {
    const report = await leaksLab.run({ smoke: true, progress: createProgress('leaks'), workDir: labWorkDir() });
    const { naive, tuned } = report.raw as Record<'naive' | 'tuned', LeaksRun>;
    const visits = tuned.navigations / 2;

    expect(tuned.after.eventSources).toBe(tuned.before.eventSources);
    expect(tuned.after.timers).toBe(tuned.before.timers);
    expect(tuned.after.serverStreams).toBe(tuned.before.serverStreams);

    // Each visit of the live page mounts a feed that is never closed.
    expect(naive.after.eventSources - naive.before.eventSources).toBeGreaterThanOrEqual(visits);
    expect(naive.after.serverStreams - naive.before.serverStreams).toBeGreaterThanOrEqual(visits);
  });
});
