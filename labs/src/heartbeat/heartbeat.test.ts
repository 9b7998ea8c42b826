import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { heartbeatLab } from './measure.js';

interface Held {
  wsFreedAfter: number | null;
  sseFreedAfter: number | null;
}

describe('lab heartbeat (smoke)', () => {
  it('tuned frees silently dropped peers within a few pings; naive keeps holding them', async () => {
    const report = await heartbeatLab.run({
      smoke: true,
      progress: createProgress('heartbeat'),
      workDir: labWorkDir(),
    });
    const raw = report.raw as Record<'naive' | 'tuned', Held>;
    // Ping 1 s + deadline 1 s: detection is expected near 2 s; 4 s leaves room for a busy machine.
    expect(raw.tuned.wsFreedAfter).not.toBeNull();
    expect(raw.tuned.sseFreedAfter).not.toBeNull();
    expect(raw.tuned.wsFreedAfter as number).toBeLessThanOrEqual(4);
    expect(raw.tuned.sseFreedAfter as number).toBeLessThanOrEqual(4);
    // Naive never notices within the 5 s window.
    expect(raw.naive.wsFreedAfter).toBeNull();
    expect(raw.naive.sseFreedAfter).toBeNull();
  });
});
