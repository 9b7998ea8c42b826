import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CapturedProcess, spawnCaptured } from '@tandem/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/api-server.js';
import { H2Client } from '../test/clients.js';
import { copyPgliteTemplate } from '../test/databases.js';

const apiRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs src/server.ts as a real process (through tsx), the way `pnpm dev` does. */
function runServer(env: Record<string, string>): CapturedProcess {
  return spawnCaptured(process.execPath, ['--conditions=@tandem/source', '--import', 'tsx', 'src/server.ts'], {
    cwd: apiRoot,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', SEED_ORDERS: '0', API_H1_PORT: '0', ...env },
  });
}

// Real processes started through tsx: on a loaded machine a start alone can take most of a
// minute, so every test here gets room (a hang still fails it).
const START_MS = 60_000;

describe('server.ts', { timeout: 2 * START_MS }, () => {
  const copy = { current: undefined as ReturnType<typeof copyPgliteTemplate> | undefined };
  let certDir: string;
  beforeAll(() => {
    copy.current = copyPgliteTemplate();
    certDir = mkdtempSync(join(tmpdir(), 'tandem-cert-'));
  });
  afterAll(() => {
    copy.current?.remove();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('listens, announces h2 + http/1.1, and exits 0 on SIGTERM after closing', async () => {
    const h1Port = await freePort();
    const run = runServer({
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      API_H1_PORT: String(h1Port),
      PGLITE_DATA_DIR: copy.current?.dataDir ?? '',
      TLS_DEV_CERT_DIR: certDir,
    });
    const [, port] = await run.waitForOutput(
      /Tandem API listening on https:\/\/127\.0\.0\.1:(\d+) \(h2 \+ http\/1\.1\)/,
      START_MS,
    );
    expect(Number(port)).toBeGreaterThan(0);
    await run.waitForOutput(
      new RegExp(`Tandem API listening on https://127\\.0\\.0\\.1:${h1Port} \\(http/1\\.1 only\\)`),
      START_MS,
    );
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('shut down cleanly');
  });

  it('with SHUTDOWN_DRAIN_MS, on SIGTERM: /readyz answers 503 while other calls answer 200, then it exits 0', async () => {
    const run = runServer({
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      PGLITE_DATA_DIR: copy.current?.dataDir ?? '',
      TLS_DEV_CERT_DIR: certDir,
      // Room for the calls below on a loaded machine; the figure itself is not what is tested.
      SHUTDOWN_DRAIN_MS: '4000',
      // The only 503 here is the drain's: a start is a busy event loop, which the load
      // shedding's sampler can judge overloaded for its first seconds (its own tests cover it).
      LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
      LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
      LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
    });
    const [, port] = await run.waitForOutput(/Tandem API listening on https:\/\/127\.0\.0\.1:(\d+) \(h2/, START_MS);
    const client = new H2Client(`https://127.0.0.1:${port}`);
    try {
      expect((await client.request({ path: '/readyz' })).status).toBe(200);
      run.child.kill('SIGTERM');
      await run.waitForOutput('draining for 4000 ms');
      const ready = await client.request({ path: '/readyz' });
      expect(ready.status).toBe(503);
      expect(ready.json()).toMatchObject({ data: { error: 'NOT_READY' } });
      // Everything else is still served, on the connection the balancer already has.
      expect((await client.request({ path: '/healthz' })).status).toBe(200);
      expect((await client.request({ path: '/api/version' })).status).toBe(200);
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('shut down cleanly');
    } finally {
      await client.close();
    }
  });

  it('explains a port already in use in one line, without a stack trace, and exits 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const run = runServer({ API_HOST: '127.0.0.1', API_PORT: String(port), TLS_DEV_CERT_DIR: certDir });
      expect(await run.exited).toBe(1);
      expect(run.output().trim()).toBe(
        `Port ${port} on 127.0.0.1 is already in use: stop the other process or set API_PORT.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('lists every invalid variable and exits 1', async () => {
    const run = runServer({ API_PORT: '99999', LOG_LEVEL: 'chatty' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/API_PORT="99999"/);
    expect(run.output()).toMatch(/LOG_LEVEL="chatty"/);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('reports a database it cannot reach in one line and exits 1', async () => {
    const run = runServer({
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      // Port 1 on loopback: nothing listens there, so the connection is refused at once.
      DATABASE_URL: 'postgres://tandem@127.0.0.1:1/tandem',
      TLS_DEV_CERT_DIR: certDir,
      LOG_LEVEL: 'silent',
    });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^Tandem API could not start: .*ECONNREFUSED/);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });
});
