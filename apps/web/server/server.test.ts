import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:http2';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CapturedProcess, spawnCaptured } from '@tandem/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeWebBuild, type FakeWebBuild } from '../test/fake-web-build.js';

const webRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs server/server.ts as a real process (through tsx), the way local-stack's startWeb does. */
function runServer(env: Record<string, string>): CapturedProcess {
  return spawnCaptured(process.execPath, ['--conditions=@tandem/source', '--import', 'tsx', 'server/server.ts'], {
    cwd: webRoot,
    env: { PATH: process.env.PATH ?? '', WEB_HOST: '127.0.0.1', WEB_PORT: '0', ...env },
  });
}

/** A GET with node:https, which offers no HTTP/2: the server must fall back to HTTP/1.1. */
function getOverHttp1(url: string): Promise<{ status: number; httpVersion: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, httpVersion: response.httpVersion });
    });
    req.on('error', reject);
    req.end();
  });
}

// Each test starts the server as a node process: on a busy machine that alone can take
// seconds, so the timeout is room to stop a hang, not a figure.
describe('server/server.ts', { timeout: 60_000 }, () => {
  let build: FakeWebBuild;
  let certDir: string;
  beforeAll(() => {
    build = createFakeWebBuild();
    certDir = mkdtempSync(join(tmpdir(), 'tandem-web-cert-'));
  });
  afterAll(() => {
    build?.remove();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('serves over HTTP/2 and HTTP/1.1 on one TLS port, and exits 0 on SIGTERM with a session still open', async () => {
    const run = runServer({ WEB_DIST_DIR: build.dir, TLS_DEV_CERT_DIR: certDir, WEB_LOG_LEVEL: 'info' });
    const [, port] = await run.waitForOutput(
      /Tandem web listening on https:\/\/127\.0\.0\.1:(\d+) \(h2 \+ http\/1\.1\)/,
    );
    const origin = `https://127.0.0.1:${port}`;

    const session = connect(origin, { rejectUnauthorized: false });
    const status = await new Promise<number>((resolve, reject) => {
      const stream = session.request({ ':path': '/orders' });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
      stream.resume();
    });
    expect(status).toBe(200);
    expect(session.alpnProtocol).toBe('h2');

    expect(await getOverHttp1(`${origin}/orders`)).toEqual({ status: 200, httpVersion: '1.1' });

    // The browser's session stays open; the server must not wait for it to leave.
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('shut down cleanly');
    session.destroy();
  });

  it('refuses a bad environment in a few lines naming each variable, and exits 1', async () => {
    const run = runServer({ WEB_DIST_DIR: build.dir, WEB_API_URL: 'localhost:8443', VITE_API_URL: 'https://x.test' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Invalid environment configuration of the web server:');
    expect(run.output()).toContain('WEB_API_URL="localhost:8443"');
    expect(run.output()).toContain('VITE_API_URL="https://x.test": was renamed: set WEB_API_URL');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('says where the build is missing instead of serving nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tandem-no-build-'));
    try {
      const run = runServer({ WEB_DIST_DIR: empty, TLS_DEV_CERT_DIR: certDir });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`${join(empty, 'index.html')} was not found`);
      expect(run.output()).toContain('pnpm --filter @tandem/web build');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
