import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { loadTlsCertificate } from '@tandem/dev-cert';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeWebBuild, FAKE_BUILD, type FakeWebBuild } from '../test/fake-web-build.js';
import { buildWebServer } from './app.js';
import { loadServerConfig } from './config.js';

let build: FakeWebBuild;
let certDir: string;
let app: FastifyInstance;

beforeAll(async () => {
  build = createFakeWebBuild();
  certDir = mkdtempSync(join(tmpdir(), 'tandem-web-cert-'));
  const config = loadServerConfig({
    WEB_DIST_DIR: build.dir,
    WEB_API_URL: 'https://api.example.test',
    WEB_LOG_LEVEL: 'silent',
  });
  app = await buildWebServer(config, { tls: await loadTlsCertificate({ devCertDir: certDir }) });
});

afterAll(async () => {
  await app?.close();
  build?.remove();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('the web server: index.html', () => {
  it('is served at / with the run’s config block, never cached without revalidating', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain(
      '<script type="application/json" id="tandem-config">{"apiUrl":"https://api.example.test","rum":true',
    );
    expect(response.body).toContain('<script type="module" crossorigin src="/assets/index-B1x2c3d4.js"></script>');
    expect((await get('/index.html')).body).toBe(response.body);
  });

  it('answers a repeated visit with 304 while the page is the same', async () => {
    const first = await get('/');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/orders', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('is the SPA fallback: a client route without a file gets index.html', async () => {
    for (const path of ['/orders', '/orders/0a1b2c3d-0000-4000-8000-000000000000', '/customers/?tab=all', '/labs']) {
      const response = await get(path);
      expect(response.statusCode, path).toBe(200);
      expect(response.body, path).toContain('id="tandem-config"');
      expect(response.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('sends a pre-rendered path with its first screen, the run’s API origin in it, its route’s chunks preloaded', async () => {
    const response = await get('/customers');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(
      '<div id="app"><h1>Customers</h1><footer>API <code>https://api.example.test</code></footer></div>',
    );
    expect(response.body).toContain('<link rel="modulepreload" crossorigin href="/assets/CustomersPage-C1d2e3f4.js">');
    expect(response.body).toContain('id="tandem-config"');
    expect((await get('/customers/?tab=all')).body).toBe(response.body);
    expect(response.headers.etag).not.toBe((await get('/')).headers.etag);
  });

  it('sends the plain shell for a path it did not pre-render: an order, an unknown page, /index.html', async () => {
    for (const path of ['/orders/0a1b2c3d-0000-4000-8000-000000000000', '/no-such-page', '/index.html']) {
      const response = await get(path);
      expect(response.statusCode, path).toBe(200);
      expect(response.body, path).toContain('<div id="app"></div>');
      expect(response.body, path).not.toContain('CustomersPage');
    }
  });

  it('has index.html’s stylesheet written into it, allowed by its hash in the CSP', async () => {
    const response = await get('/orders');
    expect(response.body).toContain(`<style>${FAKE_BUILD.stylesheet}</style>`);
    expect(response.body).not.toContain(FAKE_BUILD.stylesheetPath);
    const hash = createHash('sha256').update(FAKE_BUILD.stylesheet).digest('base64');
    expect(String(response.headers['content-security-policy'])).toContain(`style-src 'self' 'sha256-${hash}';`);
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/orders' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });
});

describe('the web server: files', () => {
  it('sends the brotli file to a browser that accepts it, then gzip, then the file itself', async () => {
    const br = await get(FAKE_BUILD.scriptPath, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(FAKE_BUILD.script);

    const gz = await get(FAKE_BUILD.scriptPath, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(FAKE_BUILD.script);

    const plain = await get(FAKE_BUILD.scriptPath);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(FAKE_BUILD.script);

    for (const response of [br, gz, plain]) expect(response.headers.vary).toMatch(/accept-encoding/i);
  });

  it('lets browsers keep hashed assets for a year without asking, and revalidate the rest', async () => {
    const asset = await get(FAKE_BUILD.scriptPath, { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const favicon = await get('/favicon.svg');
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['cache-control']).toBe('no-cache');
    expect(favicon.body).toBe(FAKE_BUILD.favicon);
  });

  it('answers a missing asset with 404, never with index.html', async () => {
    for (const path of ['/assets/index-missing.js', '/assets/chunk', '/missing.css', '/robots.txt']) {
      const response = await get(path, { 'accept-encoding': 'br, gzip' });
      expect(response.statusCode, path).toBe(404);
      expect(response.body, path).not.toContain('tandem-config');
    }
  });

  it('serves the build as it was at start: a file written into the folder later is a 404', async () => {
    writeFileSync(join(build.dir, 'assets', 'added-later.js'), 'console.log(1);');
    expect((await get('/assets/added-later.js')).statusCode).toBe(404);
  });

  it('does not serve the build’s own files (Vite’s manifest)', async () => {
    expect((await get('/.vite/manifest.json')).statusCode).toBe(404);
  });

  it('answers other methods with 404 and a path that cannot be decoded with a 4xx, never a 5xx', async () => {
    expect((await app.inject({ method: 'POST', url: '/orders', payload: 'x' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/' })).statusCode).toBe(404);
    const malformed = await get('/assets/%E0%A4%A');
    expect(malformed.statusCode).toBeGreaterThanOrEqual(400);
    expect(malformed.statusCode).toBeLessThan(500);
  });
});

describe('the web server: security headers', () => {
  it('sends the CSP, COOP and nosniff with every answer: page, file, 404', async () => {
    const answers = await Promise.all([
      get('/'),
      get('/orders/42'),
      get(FAKE_BUILD.scriptPath, { 'accept-encoding': 'br' }),
      get('/favicon.svg'),
      get('/assets/missing.js'),
    ]);
    for (const response of answers) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("connect-src 'self' https://api.example.test wss://api.example.test");
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
