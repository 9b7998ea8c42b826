import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { NAIVE_MIN_BUDGET_RATIO, REPLICAS, type ScaleOutRun, scaleOutLab, TUNED_BUDGET_TOLERANCE } from './measure.js';

describe('lab scale-out (smoke)', () => {
  it('shared on Redis the replicas admit one budget and every stream sees every order, across a resume too; each in its own process they admit several budgets and lose events', async () => {
    const report = await scaleOutLab.run({ smoke: true, progress: createProgress('scale-out'), workDir: labWorkDir() });
    const run = report.raw as ScaleOutRun;
    const { naive, tuned } = run.median;

    expect(run.rounds.map((r) => r.mode).sort()).toEqual(['naive', 'tuned']);
    for (const round of run.rounds) {
      expect(round.budget.admitted).toBeGreaterThan(0);
      // A stream always gets the orders created through its own replica.
      expect(round.missed.ownReceived).toBe(round.missed.ownCreated);
    }
    // The limiter: one budget shared, against one budget per replica.
    expect(Math.abs(tuned.budgetRatio - 1)).toBeLessThanOrEqual(TUNED_BUDGET_TOLERANCE);
    expect(naive.budgetRatio).toBeGreaterThanOrEqual(NAIVE_MIN_BUDGET_RATIO);
    expect(naive.budgetRatio).toBeLessThanOrEqual(REPLICAS * (1 + TUNED_BUDGET_TOLERANCE));
    // The fan-out: tuned misses nothing, naive misses the other replicas' orders.
    expect(tuned.missedShare).toBe(0);
    expect(naive.missedShare).toBeGreaterThan(tuned.missedShare);
    // The resume on another replica: tuned loses and repeats nothing, naive loses.
    expect([tuned.lost, tuned.repeated, tuned.resets]).toEqual([0, 0, 0]);
    expect(naive.lost).toBeGreaterThan(tuned.lost);
    expect(report.verdicts.every((verdict) => verdict.met)).toBe(true);
  });
});
