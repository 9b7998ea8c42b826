import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type AuthCostRun, authCostLab, SMOKE_WINDOW_SECONDS, tunedLookupsBound } from './measure.js';

describe('lab auth-cost (smoke)', () => {
  it('naive looks every request’s session up in the database; tuned answers most from memory, and sign-ins go on in both', async () => {
    const report = await authCostLab.run({ smoke: true, progress: createProgress('auth-cost'), workDir: labWorkDir() });
    const run = report.raw as AuthCostRun;

    expect(run.rounds.map((r) => r.mode).sort()).toEqual(['naive', 'tuned']);
    for (const round of run.rounds) {
      // Both settings serve the readers and sign the wave in: they differ in what it costs, not in what works.
      expect(round.ordersCalls).toBeGreaterThan(0);
      expect(round.ordersFailed).toBe(0);
      expect(round.signIns).toBeGreaterThan(0);
    }
    const naive = run.rounds.filter((r) => r.mode === 'naive');
    const tuned = run.rounds.filter((r) => r.mode === 'tuned');
    // Naive: the cache is off, every lookup is a query: one per request.
    for (const round of naive) {
      expect(round.cacheLookups).toBe(0);
      expect(round.databaseLookups).toBeGreaterThan(0);
      expect(round.lookupsPerRequest).toBe(1);
    }
    // Tuned: at most one query per reader's session and TTL, however many requests the machine managed.
    for (const round of tuned) {
      expect(round.databaseLookups).toBeLessThanOrEqual(tunedLookupsBound(SMOKE_WINDOW_SECONDS));
      expect(round.cacheLookups).toBeGreaterThan(round.databaseLookups);
    }
    expect(run.median.tuned.lookupsPerRequest).toBeLessThan(run.median.naive.lookupsPerRequest);
  });
});
