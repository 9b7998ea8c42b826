import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processGroupCpuMs } from './process-group-cpu.js';

/** Burns 300 ms of its own CPU time (however busy the machine is), then idles until killed. */
const BURNER = 'while (process.cpuUsage().user < 300_000); setInterval(() => {}, 1000);';

describe('processGroupCpuMs', () => {
  it('counts the CPU a process group spends, and nothing of other groups', async () => {
    const child = spawn(process.execPath, ['-e', BURNER], { detached: true, stdio: 'ignore' });
    try {
      const group = child.pid ?? 0;
      expect(group).toBeGreaterThan(0);
      const deadline = Date.now() + 15_000;
      let spent = processGroupCpuMs(group);
      while (spent < 300 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        spent = processGroupCpuMs(group);
      }
      expect(spent).toBeGreaterThanOrEqual(300);
      expect(spent).toBeLessThan(5_000);
      // A group no process is in has spent nothing.
      expect(processGroupCpuMs(2 ** 22 + 12_345)).toBe(0);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }
  });
});
