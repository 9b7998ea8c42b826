import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type DateCodecRun, dateCodecLab } from './measure.js';

describe('lab date-codec (smoke)', () => {
  it('tuned reads every timestamp right; naive reads them shifted, without an error', async () => {
    const report = await dateCodecLab.run({
      smoke: true,
      progress: createProgress('date-codec'),
      workDir: labWorkDir(),
    });
    const { combos, orders, badCursor } = report.raw as DateCodecRun;

    expect(combos.tuned.read).toBe(orders);
    expect(combos.tuned.correct).toBe(orders);
    expect(combos.tuned.shifted + combos.tuned.zero + combos.tuned.wrongType + combos.tuned.rejected).toBe(0);

    expect(combos.naive.read).toBe(orders);
    expect(combos.naive.shifted + combos.naive.zero + combos.naive.wrongType).toBeGreaterThan(0);
    expect(combos.naive.rejected).toBe(0);

    // Half a codec is loud, not silent: the tuned SPA refuses the naive server's text.
    expect(combos.naiveServerTunedClient.rejected).toBe(orders);
    expect(badCursor).toEqual({ status: 400, field: 'query.cursor' });
  });
});
