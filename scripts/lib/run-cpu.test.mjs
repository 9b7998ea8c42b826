import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCpuSeconds } from './run-cpu.mjs';

describe.runIf(process.platform === 'linux')('runCpuSeconds', () => {
  it('counts the CPU of a child once it has ended, and its own', () => {
    const before = runCpuSeconds() ?? Number.NaN;
    // A child that spins for 400 ms of CPU (not wall-clock time: a busy machine still counts it right).
    const child = spawnSync(process.execPath, [
      '-e',
      'const start = process.cpuUsage(); while ((process.cpuUsage(start).user + process.cpuUsage(start).system) < 400_000) {}',
    ]);
    expect(child.status).toBe(0);
    const after = runCpuSeconds() ?? Number.NaN;
    expect(after - before).toBeGreaterThanOrEqual(0.35);
    expect(after - before).toBeLessThan(30);
  });
});
