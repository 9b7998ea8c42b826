import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type SerializationRun, SMOKE_MIN_CPU_RATIO, SMOKE_MIN_ZOD_GAP, serializationLab } from './measure.js';

describe('lab serialization (smoke)', () => {
  it('the compiled serializer costs less CPU per request than Zod encode + JSON.stringify, and the profiles show why', async () => {
    const report = await serializationLab.run({
      smoke: true,
      progress: createProgress('serialization'),
      workDir: labWorkDir(),
    });
    const run = report.raw as SerializationRun;

    for (const round of run.rounds) {
      expect(round.succeeded).toBeGreaterThan(0);
      expect(round.non2xx).toBe(0);
    }
    expect(run.cpuRatio).toBeGreaterThan(SMOKE_MIN_CPU_RATIO);

    // The flame graphs: zod (per-response validation) is a visibly larger share of naive's CPU.
    const share = Object.fromEntries(run.profiles.map((p) => [p.mode, p.zodShare]));
    expect((share.naive ?? 0) - (share.tuned ?? 1)).toBeGreaterThanOrEqual(SMOKE_MIN_ZOD_GAP);
    expect(report.files?.map((file) => file.name)).toEqual(['flame-naive.svg', 'flame-tuned.svg']);
    for (const file of report.files ?? []) expect(file.content).toMatch(/<svg[\s\S]*zod/);
  });
});
