import { describe, expect, it } from 'vitest';
import { spawnCaptured } from './captured-process.js';

const node = (script: string) => spawnCaptured(process.execPath, ['--eval', script]);

describe('spawnCaptured', () => {
  it('keeps stdout and stderr, finds a pattern in them and reports the exit code', async () => {
    const run = node(
      `console.log('listening on 4431'); console.error('a warning'); setTimeout(() => process.exit(3), 50);`,
    );
    const match = await run.waitForOutput(/listening on (\d+)/);
    expect(match[1]).toBe('4431');
    expect(await run.waitForOutput('a warning')).toBe('a warning');
    expect(await run.exited).toBe(3);
    expect(run.output()).toContain('listening on 4431');
    expect(run.output()).toContain('a warning');
  });

  it('rejects with the output so far when the process exits before the pattern', async () => {
    const run = node(`console.log('bad config'); process.exit(1);`);
    await expect(run.waitForOutput('listening')).rejects.toThrow(/exited \(1\) before listening:\nbad config/);
  });

  it('rejects when the pattern does not come in time, and leaves the process to its caller', async () => {
    const run = node('setInterval(() => {}, 1000);');
    await expect(run.waitForOutput('never', 100)).rejects.toThrow('no never in 100 ms of output');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBeNull();
  });
});
