import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import {
  BATCH_IDS,
  type BatchWeightRun,
  batchWeightLab,
  NAIVE_MIN_BUDGET_RATIO,
  NAIVE_MIN_QUERIES_PER_BATCH,
  TUNED_BUDGET_TOLERANCE,
  TUNED_MAX_QUERIES_PER_BATCH,
} from './measure.js';

describe('lab batch-weight (smoke)', () => {
  it('the weighted limiter holds admitted work at the budget and one query serves a batch; the per-request one admits many times it, one query per id', async () => {
    const report = await batchWeightLab.run({
      smoke: true,
      progress: createProgress('batch-weight'),
      workDir: labWorkDir(),
    });
    const run = report.raw as BatchWeightRun;

    expect(run.rounds.map((r) => r.mode).sort()).toEqual(['naive', 'tuned']);
    for (const round of run.rounds) {
      expect(round.admitted).toBeGreaterThan(0);
      // Every admitted batch was answered in full: the limiter never cuts a batch short.
      expect(round.admittedIdsPerSecond).toBeCloseTo(round.admittedRequestsPerSecond * BATCH_IDS, 6);
    }
    // Tuned: the budget, within ±10%, with 429s for the rest of the demand.
    expect(Math.abs(run.budgetRatio.tuned - 1)).toBeLessThanOrEqual(TUNED_BUDGET_TOLERANCE);
    expect(run.median.tuned.rejectedPerSecond).toBeGreaterThan(0);
    // Naive: the same budget admits several times the work.
    expect(run.budgetRatio.naive).toBeGreaterThanOrEqual(NAIVE_MIN_BUDGET_RATIO);
    // One query per batch vs one per id.
    expect(run.median.tuned.queriesPerBatch).toBeLessThanOrEqual(TUNED_MAX_QUERIES_PER_BATCH);
    expect(run.median.naive.queriesPerBatch).toBeGreaterThanOrEqual(NAIVE_MIN_QUERIES_PER_BATCH);
    expect(run.median.tuned.perIdQueriesPerSecond).toBe(0);
    expect(run.median.naive.oneQueryQueriesPerSecond).toBe(0);
    expect(report.verdicts.every((verdict) => verdict.met)).toBe(true);
  });
});
