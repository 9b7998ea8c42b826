import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { ErrorEnvelope, OrderPageEnvelope } from '@tandem/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../../test/api-server.js';
import { EventStreamReader, http1Request, preflightOrders, type TestResponse } from '../../../test/clients.js';
import helmet, { HELMET_OPTIONS, helmetHeaders } from './helmet.js';

/** What the API promises on every answer (issue #14, "a hardened edge"). */
const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};
/** Headers that would break the SPA's cross-origin, credentialed reads, or mean nothing on JSON. */
const NOT_SENT = [
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-frame-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

function securityHeadersOf(res: Pick<TestResponse, 'headers'>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, res.headers[name]]));
}

describe('helmetHeaders: the headers @fastify/helmet sends with the same options, computed once', () => {
  let reference: FastifyInstance;
  beforeAll(async () => {
    reference = Fastify();
    // The same options object; the package types helmet's options through helmet's CommonJS typings.
    await reference.register(fastifyHelmet, HELMET_OPTIONS as FastifyHelmetOptions);
    reference.get('/thing', async () => ({ ok: true }));
  });
  afterAll(async () => {
    await reference?.close();
  });

  it('lists exactly what the package sets on an answer, and nothing document-only', async () => {
    const res = await reference.inject({ url: '/thing' });
    const ours = helmetHeaders();
    const pairs = Object.fromEntries(
      Array.from({ length: ours.length / 2 }, (_, index) => [ours[2 * index], ours[2 * index + 1]]),
    );
    expect(pairs).toEqual(SECURITY_HEADERS);
    const {
      date: _date,
      'content-length': _length,
      'content-type': _type,
      connection: _c,
      ...fromPackage
    } = res.headers;
    expect(fromPackage).toEqual(pairs);
  });

  it('sets nothing when disabled', async () => {
    const app = Fastify();
    await app.register(helmet, { enabled: false });
    app.get('/thing', async () => ({ ok: true }));
    const res = await app.inject({ url: '/thing' });
    for (const name of Object.keys(SECURITY_HEADERS)) expect(res.headers[name]).toBeUndefined();
    await app.close();
  });
});

describe('SECURITY_HEADERS on (the default): every kind of answer carries them', () => {
  const started = useStartedApi();

  it('a JSON answer, over HTTP/2 and HTTP/1.1, its CORS headers kept', async () => {
    const res = await started.client.request({ path: '/api/v1/orders?limit=1', headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    OrderPageEnvelope.parse(res.json());
    expect(securityHeadersOf(res)).toEqual(SECURITY_HEADERS);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['x-request-id']).toBeDefined();
    for (const name of NOT_SENT) expect(res.headers[name], name).toBeUndefined();

    const h1 = await http1Request(started.api.origin, {
      path: '/api/v1/orders?limit=1',
      headers: { ...started.api.signedIn },
    });
    expect(h1.status).toBe(200);
    expect(securityHeadersOf(h1)).toEqual(SECURITY_HEADERS);
  });

  it('an error envelope (malformed JSON) and a 404', async () => {
    const bad = await started.client.request({
      method: 'POST',
      path: '/api/v1/orders',
      headers: { 'content-type': 'application/json' },
      body: '{"customer":',
    });
    expect(bad.status).toBe(400);
    ErrorEnvelope.parse(bad.json());
    expect(securityHeadersOf(bad)).toEqual(SECURITY_HEADERS);

    const missing = await started.client.request({ path: '/api/v1/no-such-route' });
    expect(missing.status).toBe(404);
    expect(ErrorEnvelope.parse(missing.json()).data.error).toBe('ROUTE_NOT_FOUND');
    expect(securityHeadersOf(missing)).toEqual(SECURITY_HEADERS);
  });

  it('a URL the router refuses (no hook runs for it)', async () => {
    const res = await started.client.request({ path: '/api/v1/orders/%E0%A4%A' });
    expect(res.status).toBe(400);
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('VALIDATION_FAILED');
    expect(securityHeadersOf(res)).toEqual(SECURITY_HEADERS);
  });

  it('a CORS preflight, still answered with its CORS headers', async () => {
    const res = await preflightOrders(started.client, ALLOWED_ORIGIN, 'content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(securityHeadersOf(res)).toEqual(SECURITY_HEADERS);
  });

  it("the event stream's head", async () => {
    const stream = await EventStreamReader.overHttp2(started.client, { origin: ALLOWED_ORIGIN }).open();
    try {
      expect(stream.status).toBe(200);
      expect(securityHeadersOf(stream)).toEqual(SECURITY_HEADERS);
      expect(stream.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    } finally {
      stream.close();
    }
  });
});

describe('SECURITY_HEADERS=false (a proxy in front sets them): none of them, nothing else lost', () => {
  const started = useStartedApi({ env: { SECURITY_HEADERS: 'false' } });

  it('answers, errors and preflights without them, with CORS and the request id as before', async () => {
    const answers = [
      await started.client.request({ path: '/api/v1/orders?limit=1', headers: { origin: ALLOWED_ORIGIN } }),
      await started.client.request({ path: '/api/v1/no-such-route', headers: { origin: ALLOWED_ORIGIN } }),
      await preflightOrders(started.client, ALLOWED_ORIGIN, 'content-type'),
      await started.client.request({ path: '/api/v1/orders/%E0%A4%A', headers: { origin: ALLOWED_ORIGIN } }),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 404, 204, 400]);
    for (const res of answers) {
      for (const name of Object.keys(SECURITY_HEADERS)) expect(res.headers[name], name).toBeUndefined();
    }
    for (const res of answers.slice(0, 3)) expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(answers[0]?.headers['x-request-id']).toBeDefined();
  });
});
