import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cors, { CACHED_PREFLIGHT, FASTIFY_CORS_OPTIONS } from './cors.js';

const ALLOWED = 'https://localhost:5173';
const ALSO_ALLOWED = 'https://app.example:8080';
const ORIGINS = [ALLOWED, ALSO_ALLOWED];

/** A route that answers and one that has set a Vary of its own before CORS runs. */
async function withRoutes(app: FastifyInstance): Promise<FastifyInstance> {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/varied') reply.header('vary', 'Accept-Encoding');
    done();
  });
  await app.register(async (routes) => {
    routes.get('/thing', async () => ({ ok: true }));
    routes.post('/thing', async () => ({ ok: true }));
    routes.get('/varied', async () => ({ ok: true }));
  });
  return app;
}

/** What the app answered, without what differs between any two answers. */
function headersOf(res: LightMyRequestResponse): Record<string, unknown> {
  const { date: _date, 'content-length': _length, ...rest } = res.headers;
  return rest;
}

describe('CORS on actual requests: the headers @fastify/cors gives, computed once per origin', () => {
  let ours: FastifyInstance;
  let reference: FastifyInstance;

  beforeAll(async () => {
    ours = Fastify();
    await ours.register(cors, { origins: ORIGINS });
    await withRoutes(ours);
    reference = Fastify();
    // The package as it was registered before: its own hook on every request, and the
    // preflight answer handed to its OPTIONS * route as `config.cors`.
    reference.addHook('onRoute', (route) => {
      if (route.url === '*' && [route.method].flat().includes('OPTIONS')) {
        const preflight = { maxAge: CACHED_PREFLIGHT.maxAge, allowedHeaders: CACHED_PREFLIGHT.allowedHeaders };
        route.config = { ...route.config, cors: preflight } as typeof route.config;
      }
    });
    await reference.register(fastifyCors, { ...FASTIFY_CORS_OPTIONS, origin: ORIGINS });
    await withRoutes(reference);
  });

  afterAll(async () => {
    await ours?.close();
    await reference?.close();
  });

  const requests: {
    name: string;
    method: 'GET' | 'POST' | 'HEAD' | 'OPTIONS';
    url: string;
    headers: Record<string, string>;
  }[] = [
    { name: 'GET from the allowed origin', method: 'GET', url: '/thing', headers: { origin: ALLOWED } },
    { name: 'GET from the second allowed origin', method: 'GET', url: '/thing', headers: { origin: ALSO_ALLOWED } },
    { name: 'POST from the allowed origin', method: 'POST', url: '/thing', headers: { origin: ALLOWED } },
    { name: 'HEAD from the allowed origin', method: 'HEAD', url: '/thing', headers: { origin: ALLOWED } },
    {
      name: 'GET from an origin not allowed',
      method: 'GET',
      url: '/thing',
      headers: { origin: 'https://evil.example' },
    },
    { name: 'GET with no Origin', method: 'GET', url: '/thing', headers: {} },
    { name: 'GET of an unknown route', method: 'GET', url: '/nothing', headers: { origin: ALLOWED } },
    { name: 'GET whose Vary was set before', method: 'GET', url: '/varied', headers: { origin: ALLOWED } },
    {
      name: 'a preflight',
      method: 'OPTIONS',
      url: '/thing',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    },
    {
      name: 'a preflight asking for headers',
      method: 'OPTIONS',
      url: '/thing',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-request-id',
      },
    },
    {
      name: 'a preflight from an origin not allowed',
      method: 'OPTIONS',
      url: '/thing',
      headers: { origin: 'https://evil.example' },
    },
    { name: 'an OPTIONS with no Origin', method: 'OPTIONS', url: '/thing', headers: {} },
  ];

  it.each(requests)(
    '$name: the same status and headers, plus Timing-Allow-Origin for an allowed origin',
    async (request) => {
      const mine = await ours.inject(request);
      const theirs = await reference.inject(request);
      expect(mine.statusCode).toBe(theirs.statusCode);
      const { 'timing-allow-origin': timingAllowOrigin, ...rest } = headersOf(mine);
      expect(rest).toEqual(headersOf(theirs));
      const origin = request.headers.origin;
      expect(timingAllowOrigin).toBe(origin && ORIGINS.includes(origin) ? origin : undefined);
    },
  );
});

describe('CORS with no origins (CORS_ORIGINS=none)', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    await app.register(cors, { origins: [] });
    await withRoutes(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers without any CORS header, whatever the origin', async () => {
    const res = await app.inject({ method: 'GET', url: '/thing', headers: { origin: ALLOWED } });
    expect(res.statusCode).toBe(200);
    for (const name of Object.keys(res.headers))
      expect(name).not.toMatch(/^(access-control-|timing-allow-origin|vary)/);
  });

  it('has no preflight route: an OPTIONS is a 404 like any unknown route', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/thing',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('still decorates app.corsPreflight, the seam a layer on top may set', () => {
    expect(app.corsPreflight.get().maxAge).toBeGreaterThan(0);
  });
});
