import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCpuSeconds } from './run-cpu.mjs';

describe.runIf(process.platform === 'linux')('runCpuSeconds', () => {
  // The child spins for 300 ms of CPU, not of wall-clock time: on a busy machine that can
  // take seconds, so the timeout only stops a hang.
  it('counts the CPU of a child once it has ended, and its own', { timeout: 60_000 }, () => {
    const before = runCpuSeconds() ?? Number.NaN;
    const child = spawnSync(process.execPath, [
      '-e',
      'const start = process.cpuUsage(); while ((process.cpuUsage(start).user + process.cpuUsage(start).system) < 300_000) {}',
    ]);
    expect(child.status).toBe(0);
    const after = runCpuSeconds() ?? Number.NaN;
    expect(after - before).toBeGreaterThanOrEqual(0.25);
    expect(after - before).toBeLessThan(30);
  });
});
