import https from 'node:https';
import { ErrorEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, type StartedApi, startApi } from '../test/api-server.js';
import { H2Client, http1Request, preflightOrders } from '../test/clients.js';
import { CACHED_PREFLIGHT, CORS_ALLOWED_HEADERS, PREFLIGHT_MAX_AGE_SECONDS } from './plugins/external/cors.js';

let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({
    beforeListen: (app) => {
      // A handler that fails the way a bug would: its text must not reach the client.
      app.get('/test/boom', async () => {
        throw new Error('connection string postgres://secret@db leaked');
      });
    },
  });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

describe('transport', () => {
  it('negotiates HTTP/2 through ALPN over TLS', async () => {
    expect(await client.alpnProtocol()).toBe('h2');
    const res = await client.request({ path: '/healthz' });
    expect(res.status).toBe(200);
  });

  it('still serves an HTTP/1.1 client on the same port', async () => {
    const res = await http1Request(api.origin, { path: '/healthz' });
    expect(res.alpnProtocol).toBe('http/1.1');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ code: 200, message: 'OK', data: { status: 'ok' } });
  });

  it('serves the same error envelope over HTTP/1.1', async () => {
    const res = await http1Request(api.origin, { path: '/api/v1/orders?limit=0', headers: api.signedIn });
    expect(res.status).toBe(400);
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('VALIDATION_FAILED');
  });
});

describe('X-Request-ID', () => {
  it('echoes a well-formed id from the request', async () => {
    const id = 'web-1732.abc_DEF:42';
    const res = await client.request({ path: '/healthz', headers: { 'x-request-id': id } });
    expect(res.headers['x-request-id']).toBe(id);
  });

  it('generates a UUID when the request has none', async () => {
    const res = await client.request({ path: '/healthz' });
    expect(res.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['spaces and quotes', 'id with "spaces"'],
    ['a newline-like escape', 'abc%0Adef'],
    ['a slash and a semicolon', 'a/b;c'],
    ['empty', ''],
  ])('replaces a malformed id (%s) with a generated one', async (_case, id) => {
    const res = await client.request({ path: '/healthz', headers: { 'x-request-id': id } });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).not.toBe(id);
    expect(res.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('accepts exactly 128 safe characters', async () => {
    const id = 'x'.repeat(128);
    const res = await client.request({ path: '/healthz', headers: { 'x-request-id': id } });
    expect(res.headers['x-request-id']).toBe(id);
  });

  it('is echoed on errors and quoted in the error envelope', async () => {
    const res = await client.request({ path: '/api/v1/orders/not-a-uuid', headers: { 'x-request-id': 'trace-400' } });
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toBe('trace-400');
    expect(ErrorEnvelope.parse(res.json()).data.requestId).toBe('trace-400');
  });

  it('is echoed on 404s and CORS preflights', async () => {
    const notFound = await client.request({ path: '/nope', headers: { 'x-request-id': 'trace-404' } });
    expect(notFound.headers['x-request-id']).toBe('trace-404');
    const preflight = await client.request({
      method: 'OPTIONS',
      path: '/api/v1/orders',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'x-request-id': 'trace-preflight',
      },
    });
    expect(preflight.headers['x-request-id']).toBe('trace-preflight');
  });
});

describe('CORS', () => {
  it('answers a preflight from the allowed origin with the allowlist and Timing-Allow-Origin', async () => {
    const res = await client.request({
      method: 'OPTIONS',
      path: '/api/v1/orders',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-request-id',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['timing-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    // The default preflight policy (CACHED_PREFLIGHT): one sorted, complete list, cached 2 h.
    expect(String(res.headers['access-control-allow-headers']).split(/,\s*/)).toEqual([
      'authorization',
      'content-type',
      'idempotency-key',
      'last-event-id',
      'x-api-canary',
      'x-request-id',
      'x-request-timeout',
    ]);
    expect(res.headers['access-control-max-age']).toBe('7200');
    // GET /api/version is called with credentials (the canary bucket cookie).
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toContain('Origin');
  });

  it('exposes the id and timing headers to the allowed origin on actual requests', async () => {
    const res = await client.request({ path: '/api/v1/orders?limit=1', headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['timing-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(res.headers['access-control-expose-headers']).split(/,\s*/)).toEqual([
      'x-request-id',
      'server-timing',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'idempotent-replayed',
      'api-version',
    ]);
  });

  it('gives a disallowed origin neither Allow-Origin nor Timing-Allow-Origin', async () => {
    for (const method of ['OPTIONS', 'GET']) {
      const res = await client.request({
        method,
        path: '/api/v1/orders?limit=1',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBeLessThan(500);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['timing-allow-origin']).toBeUndefined();
    }
  });

  it('answers with app.corsPreflight, changed at run time: no max-age, the asked-for headers echoed and varied on', async () => {
    const preflight = (requestHeaders: string) => preflightOrders(client, ALLOWED_ORIGIN, requestHeaders);
    expect(api.app.corsPreflight.get()).toEqual(CACHED_PREFLIGHT);
    expect(PREFLIGHT_MAX_AGE_SECONDS).toBe(7200);
    expect(CORS_ALLOWED_HEADERS).toEqual([...CORS_ALLOWED_HEADERS].sort());
    expect(CORS_ALLOWED_HEADERS.every((header) => header === header.toLowerCase())).toBe(true);
    for (const asked of ['content-type', 'content-type, idempotency-key, x-request-id, x-request-timeout']) {
      const res = await preflight(asked);
      expect(res.headers['access-control-max-age']).toBe('7200');
      expect(String(res.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(CORS_ALLOWED_HEADERS);
      expect(res.headers.vary).not.toContain('Access-Control-Request-Headers');
    }

    api.app.corsPreflight.set({ maxAge: null, allowedHeaders: null });
    try {
      const res = await preflight('content-type, x-request-id');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(res.headers['access-control-max-age']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBe('content-type, x-request-id');
      expect(res.headers.vary).toContain('Access-Control-Request-Headers');
      // An actual request is answered as before.
      const actual = await client.request({ path: '/api/v1/orders?limit=1', headers: { origin: ALLOWED_ORIGIN } });
      expect(actual.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(actual.headers['access-control-max-age']).toBeUndefined();
    } finally {
      api.app.corsPreflight.set(CACHED_PREFLIGHT);
    }
    expect((await preflight('x-request-id')).headers['access-control-max-age']).toBe('7200');
  });

  it('answers an OPTIONS without Origin without a text/plain error of its own', async () => {
    const res = await client.request({ method: 'OPTIONS', path: '/api/v1/orders' });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Server-Timing', () => {
  it('reports the request total and its database time', async () => {
    // no-cache: a first page the orders page cache answers has no database time (orders-page-cache.test.ts).
    const res = await client.request({ path: '/api/v1/orders?limit=5', headers: { 'cache-control': 'no-cache' } });
    const header = String(res.headers['server-timing']);
    const match = /^app;dur=(\d+(?:\.\d+)?), db;dur=(\d+(?:\.\d+)?)$/.exec(header);
    expect(match, header).not.toBeNull();
    const [app, db] = [Number(match?.[1]), Number(match?.[2])];
    expect(db).toBeGreaterThan(0);
    expect(app).toBeGreaterThanOrEqual(db);
  });

  it('counts the database time of a write too (writes get the timing, not the deadline)', async () => {
    const res = await client.request({
      method: 'POST',
      path: '/api/v1/orders',
      body: { customer: 'Timing', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] },
    });
    expect(res.status, res.text).toBe(201);
    const match = /db;dur=(\d+(?:\.\d+)?)/.exec(String(res.headers['server-timing']));
    expect(Number(match?.[1])).toBeGreaterThan(0);
  });

  it('is present on errors too, with no database time when none was spent', async () => {
    const res = await client.request({ path: '/api/v1/orders?limit=abc' });
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+(\.\d+)?, db;dur=0\.0$/);
  });

  it('is left out while app.serverTimingPolicy is { send: false }, and back after', async () => {
    api.app.serverTimingPolicy.set({ send: false });
    try {
      const res = await client.request({ path: '/api/v1/orders?limit=5', headers: { origin: ALLOWED_ORIGIN } });
      expect(res.status).toBe(200);
      expect(res.headers['server-timing']).toBeUndefined();
    } finally {
      api.app.serverTimingPolicy.set({ send: true });
    }
    expect((await client.request({ path: '/api/v1/orders?limit=5' })).headers['server-timing']).toMatch(/^app;dur=/);
  });
});

describe('errors outside any route', () => {
  it('answers an unknown route with a 404 envelope naming the path', async () => {
    const res = await client.request({ path: '/api/v1/nothing-here?x=1' });
    expect(res.status).toBe(404);
    const body = ErrorEnvelope.parse(res.json());
    expect(body.code).toBe(40401);
    expect(body.data.error).toBe('ROUTE_NOT_FOUND');
    expect(body.message).toContain('GET /api/v1/nothing-here');
  });

  it('answers an unknown method on a known path with a 404 envelope, not a 5xx', async () => {
    const res = await client.request({ method: 'DELETE', path: '/api/v1/orders' });
    expect(res.status).toBe(404);
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('ROUTE_NOT_FOUND');
  });

  it('hides an unexpected exception behind a 500 envelope', async () => {
    const res = await client.request({ path: '/test/boom', headers: { 'x-request-id': 'trace-500' } });
    expect(res.status).toBe(500);
    const body = ErrorEnvelope.parse(res.json());
    expect(body).toMatchObject({ code: 50001, data: { error: 'INTERNAL', requestId: 'trace-500' } });
    expect(res.text).not.toContain('secret');
    expect(res.text).not.toContain('postgres://');
  });
});

/**
 * An API with `/test/slow`, which answers only when `release()` is called; `entered`
 * resolves once a request is in its handler (in flight on the server, not only sent).
 */
async function startApiWithSlowRoute() {
  let releaseSlow: () => void = () => {};
  let markEntered: () => void = () => {};
  const entered = new Promise<void>((resolve) => {
    markEntered = resolve;
  });
  const api = await startApi({
    beforeListen: (app) => {
      app.get('/test/slow', async () => {
        await new Promise<void>((resolve) => {
          releaseSlow = resolve;
          markEntered();
        });
        return { finished: true };
      });
    },
  });
  return { api, entered, release: () => releaseSlow() };
}

/**
 * With a `/test/slow` request in flight, starts closing `slow.api` and checks the close waits
 * for that request; then lets the request finish. Returns the close and whether it has finished.
 */
async function closeDuringSlowRequest(slow: { api: StartedApi; entered: Promise<void>; release: () => void }) {
  // Once the server has the request (a close before it arrived would answer it 503).
  await slow.entered;
  let closed = false;
  const closing = slow.api.close().then(() => {
    closed = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(closed).toBe(false);
  slow.release();
  return { closing, isClosed: () => closed };
}

describe('graceful close (what server.ts does on SIGTERM)', () => {
  // The client keeps its session open throughout, as a browser tab does.
  it('lets an in-flight HTTP/2 request finish, then closes', async () => {
    const slow = await startApiWithSlowRoute();
    const slowClient = new H2Client(slow.api.origin, slow.api.signedIn);
    try {
      const inFlight = slowClient.request({ path: '/test/slow' });
      const close = await closeDuringSlowRequest(slow);
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ code: 200, data: { finished: true } });
      await close.closing;
      expect(close.isClosed()).toBe(true);
    } finally {
      slowClient.session.destroy();
    }
  });
});

describe('graceful close over HTTP/1.1 keep-alive', () => {
  it('finishes the request in flight and closes the kept-alive socket', async () => {
    const slow = await startApiWithSlowRoute();
    const agent = new https.Agent({ keepAlive: true, maxSockets: 2, rejectUnauthorized: false });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) =>
        https
          .get(`${slow.api.origin}${path}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject),
      );
    try {
      // One socket left idle (kept alive) and one busy with a slow request.
      expect(await get('/healthz')).toBe(200);
      const inFlight = get('/test/slow');
      const close = await closeDuringSlowRequest(slow);
      expect(await inFlight).toBe(200);
      await close.closing;
      expect(close.isClosed()).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
