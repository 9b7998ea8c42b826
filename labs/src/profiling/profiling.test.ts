import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type ProfilingRun, profilingLab, SMOKE_MIN_HOT_SHARE_GAP, SMOKE_MIN_LONGEST_TASK_RATIO } from './measure.js';

describe('lab profiling (smoke)', () => {
  it('shows the hot spot in the API profile and in the browser trace, and each goes away when tuned', async () => {
    const report = await profilingLab.run({
      smoke: true,
      progress: createProgress('profiling'),
      workDir: labWorkDir(),
    });
    const run = report.raw as ProfilingRun;

    for (const round of run.rounds) {
      expect(round.succeeded).toBeGreaterThan(0);
      expect(round.non2xx).toBe(0);
    }
    // Server: the name sort is a visibly larger share of naive's CPU samples.
    const share = Object.fromEntries(run.profiles.map((p) => [p.mode, p.hotShare]));
    expect((share.naive ?? 0) - (share.tuned ?? 1)).toBeGreaterThanOrEqual(SMOKE_MIN_HOT_SHARE_GAP);
    expect(report.files?.map((file) => file.name)).toEqual(['flame-naive.svg', 'flame-tuned.svg']);
    for (const file of report.files ?? []) expect(file.content).toMatch(/<svg[\s\S]*sortByCustomerName/);

    // Browser: naive puts every customer in the DOM, tuned only the rows in view, and naive's longest task is longer.
    for (const view of run.views) {
      expect(view.customersListed).toBeGreaterThanOrEqual(run.customers);
      if (view.mode === 'naive') expect(view.rowsRendered).toBe(view.customersListed);
      else expect(view.rowsRendered).toBeLessThan(100);
    }
    const views = JSON.stringify(run.views.map(({ longestTaskTop, ...view }) => ({ ...view, top: longestTaskTop[0] })));
    expect(run.median.naive.longestTaskMs, views).toBeGreaterThanOrEqual(
      SMOKE_MIN_LONGEST_TASK_RATIO * run.median.tuned.longestTaskMs,
    );
  });
});
