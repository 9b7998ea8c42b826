import { fileURLToPath } from 'node:url';
import { type CapturedProcess, spawnCaptured } from '@tandem/local-stack';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('./shutdown-on-signals.ts', import.meta.url).href;
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** How the child's fake server closes: at once, never (a request that does not finish), or with an error. */
type Close = 'at-once' | 'never' | 'fails';

/**
 * A real process that installs shutdownOnSignals on a fake server (its log lines on
 * stdout), says `ready`, and keeps running until a signal ends it: signals need a process
 * of their own.
 */
function runServer(close: Close, timeoutMs: number, drainMs?: number): CapturedProcess {
  const script = `
    import { shutdownOnSignals } from ${JSON.stringify(moduleUrl)};
    const line = (level) => (obj, msg) => console.log(level, typeof obj === 'string' ? obj : msg);
    const close = ${JSON.stringify(close)};
    const server = {
      log: { info: line('info'), error: line('error') },
      close: () => {
        console.log('closing');
        return close === 'at-once' ? Promise.resolve()
          : close === 'fails' ? Promise.reject(new Error('a hook threw'))
          : new Promise(() => {});
      },
    };
    const drainMs = ${JSON.stringify(drainMs ?? null)};
    shutdownOnSignals(server, ${timeoutMs}, drainMs === null ? undefined : { periodMs: drainMs, begin: () => console.log('drain begins') });
    setInterval(() => {}, 1000);
    console.log('ready');
  `;
  return spawnCaptured(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    cwd: packageRoot,
  });
}

// Each test starts a node process: on a busy machine that alone can take seconds, so the
// timeout is room to stop a hang, not a figure.
describe('shutdownOnSignals', { timeout: 30_000 }, () => {
  it.for(['SIGTERM', 'SIGINT'] as const)('on %s: closes the server, then exits 0', async (signal) => {
    const run = runServer('at-once', 60_000);
    await run.waitForOutput('ready');
    run.child.kill(signal);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`info received ${signal}, shutting down`);
    expect(run.output()).toContain('info shut down cleanly');
  });

  it('with a drain period: begins it first, closes once the period is over, exits 0', async () => {
    const run = runServer('at-once', 60_000, 300);
    await run.waitForOutput('ready');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const output = run.output();
    expect(output).toContain('info draining for 300 ms: not ready, still serving');
    // In this order: the readiness check fails, then the server closes.
    expect(output.indexOf('drain begins')).toBeLessThan(output.indexOf('closing'));
    expect(output).toContain('info shut down cleanly');
  });

  it('on SIGINT, with a drain period: closes at once, without draining', async () => {
    const run = runServer('at-once', 5_000, 60_000);
    await run.waitForOutput('ready');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    const output = run.output();
    expect(output).toContain('closing');
    expect(output).not.toContain('drain begins');
    expect(output).not.toContain('draining for');
  });

  it('a second signal while draining exits 1 at once, without closing', async () => {
    const run = runServer('at-once', 60_000, 60_000);
    await run.waitForOutput('ready');
    run.child.kill('SIGTERM');
    await run.waitForOutput('draining for 60000 ms');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(1);
    expect(run.output()).not.toContain('closing');
  });

  it('a second signal while closing exits 1 at once, without waiting for the close or the timeout', async () => {
    // The close never ends and the timeout is a minute away: only the second signal can end it.
    const run = runServer('never', 60_000);
    await run.waitForOutput('ready');
    run.child.kill('SIGTERM');
    await run.waitForOutput('received SIGTERM, shutting down');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('error received SIGINT again while shutting down; exiting');
    expect(run.output()).not.toContain('shut down cleanly');
  });

  it('exits 1 when closing takes longer than the timeout', async () => {
    const run = runServer('never', 200);
    await run.waitForOutput('ready');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('error shutdown took longer than 200 ms; exiting');
  });

  it('exits 1 when closing fails, and says so', async () => {
    const run = runServer('fails', 60_000);
    await run.waitForOutput('ready');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('error shutdown failed');
  });

  it('leaves SIGUSR2 alone (the API writes a heap snapshot on it)', async () => {
    const run = runServer('at-once', 60_000);
    await run.waitForOutput('ready');
    // With no listener of its own, Node's default for SIGUSR2 ends the process by the signal.
    run.child.kill('SIGUSR2');
    expect(await run.exited).toBeNull();
    expect(run.child.signalCode).toBe('SIGUSR2');
    expect(run.output()).not.toContain('shutting down');
  });
});
