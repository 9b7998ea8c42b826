import { randomUUID } from 'node:crypto';
import { ErrorEnvelope, LimitsEnvelope, MAX_BATCH_IDS, RATE_LIMIT_DEFAULTS } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../../test/api-server.js';
import { EventStreamReader, type TestResponse } from '../../../test/clients.js';
import { metricSample } from '../../../test/metric-samples.js';

// Refill so slow (1 unit per 1000 s) that no test can see a unit come back: what is
// admitted is decided by weights and bursts alone, never by how fast the machine is.
const SLOW = '0.001';
const API_BURST = MAX_BATCH_IDS;
const RUM_BURST = 2;
const ADMIN_TOKEN = 'rate-limit-test-token';

const ids = (count: number) => Array.from({ length: count }, () => randomUUID());
const batchPath = (list: string[]) => `/api/v1/orders/batch?ids=${list.join(',')}`;
const beacon = {
  app: 'rate-limit-test',
  samples: [{ type: 'web-vital', name: 'LCP', value: 800, rating: 'good', page: 'orders' }],
};

function header(res: TestResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

describe('rate limiting behind one trusted proxy (clients told apart by X-Forwarded-For)', () => {
  const started = useStartedApi({
    env: {
      RATE_LIMIT_API_UNITS_PER_SECOND: SLOW,
      RATE_LIMIT_API_BURST: String(API_BURST),
      RATE_LIMIT_RUM_UNITS_PER_SECOND: SLOW,
      RATE_LIMIT_RUM_BURST: String(RUM_BURST),
      TRUST_PROXY_HOPS: '1',
      ADMIN_TOKEN,
    },
  });
  /** A request as the client at `ip` (through the proxy). */
  const as = (
    ip: string,
    path: string,
    extra: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => started.client.request({ path, ...extra, headers: { 'x-forwarded-for': ip, ...extra.headers } });

  it('charges a batch one unit per distinct id, and says what is left', async () => {
    const distinct = ids(30);
    const res = await as('203.0.113.1', batchPath([...distinct, ...distinct.slice(0, 10)]));
    expect(res.status).toBe(200);
    expect(header(res, 'ratelimit-limit')).toBe(String(API_BURST));
    expect(header(res, 'ratelimit-remaining')).toBe(String(API_BURST - 30));
    // 30 units at 1000 s each until the bucket is full again.
    expect(Number(header(res, 'ratelimit-reset'))).toBeGreaterThan(29_000);

    const next = await as('203.0.113.1', '/api/v1/orders?limit=1');
    expect(next.status).toBe(200);
    expect(header(next, 'ratelimit-remaining')).toBe(String(API_BURST - 31));
  });

  it('answers an empty bucket with a 429 envelope, Retry-After and retryAfterMs, CORS headers kept', async () => {
    expect((await as('203.0.113.2', batchPath(ids(API_BURST)))).status).toBe(200);
    const res = await as('203.0.113.2', '/api/v1/orders', { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(429);
    const body = ErrorEnvelope.parse(res.json());
    expect(body).toMatchObject({ code: 42901, data: { error: 'RATE_LIMITED' } });
    expect(body.data.requestId).toBe(header(res, 'x-request-id'));
    const retryAfterMs = body.data.retryAfterMs ?? Number.NaN;
    // One unit is missing: 1000 s, less the few ms since the batch was admitted.
    expect(retryAfterMs).toBeGreaterThan(990_000);
    expect(retryAfterMs).toBeLessThanOrEqual(1_000_000);
    expect(header(res, 'retry-after')).toBe(String(Math.ceil(retryAfterMs / 1000)));
    expect(header(res, 'ratelimit-remaining')).toBe('0');
    expect(header(res, 'access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(header(res, 'access-control-expose-headers')).toMatch(/retry-after.*ratelimit-remaining/);
  });

  it('makes a batch that does not fit wait for all its units, and admits one that fits', async () => {
    expect((await as('203.0.113.3', batchPath(ids(60)))).status).toBe(200);
    const tooBig = await as('203.0.113.3', batchPath(ids(50)));
    expect(tooBig.status).toBe(429);
    // 10 units missing.
    expect(ErrorEnvelope.parse(tooBig.json()).data.retryAfterMs).toBeGreaterThan(9_990_000);
    expect(header(tooBig, 'ratelimit-remaining')).toBe('40');
    expect((await as('203.0.113.3', batchPath(ids(40)))).status).toBe(200);
  });

  it('keeps each client its own budget', async () => {
    expect((await as('203.0.113.4', batchPath(ids(API_BURST)))).status).toBe(200);
    expect((await as('203.0.113.4', '/api/v1/rollout')).status).toBe(429);
    const other = await as('203.0.113.5', '/api/v1/rollout');
    expect(other.status).toBe(200);
    expect(header(other, 'ratelimit-remaining')).toBe(String(API_BURST - 1));
  });

  it('charges a batch that fails validation 1 unit and answers its 400', async () => {
    const res = await as('203.0.113.6', '/api/v1/orders/batch?ids=not-an-id');
    expect(res.status).toBe(400);
    expect(header(res, 'ratelimit-remaining')).toBe(String(API_BURST - 1));
  });

  it('gives browser beacons their own bucket: a spent API budget does not stop them, nor the reverse', async () => {
    expect((await as('203.0.113.7', batchPath(ids(API_BURST)))).status).toBe(200);
    for (let i = 0; i < RUM_BURST; i++) {
      const res = await as('203.0.113.7', '/api/v1/rum', { method: 'POST', body: beacon });
      expect(res.status).toBe(202);
      expect(header(res, 'ratelimit-limit')).toBe(String(RUM_BURST));
    }
    const refused = await as('203.0.113.7', '/api/v1/rum', { method: 'POST', body: beacon });
    expect(refused.status).toBe(429);
    expect(ErrorEnvelope.parse(refused.json()).message).toMatch(/rum/);
    expect((await as('203.0.113.8', '/api/v1/rum', { method: 'POST', body: beacon })).status).toBe(202);
  });

  it('never charges /metrics, the probes, preflights, the event stream or the admin routes', async () => {
    const spent = '203.0.113.9';
    expect((await as(spent, batchPath(ids(API_BURST)))).status).toBe(200);
    expect((await as(spent, '/api/v1/orders')).status).toBe(429);

    const answers = [
      await as(spent, '/healthz'),
      await as(spent, '/readyz'),
      await as(spent, '/metrics'),
      await as(spent, '/api/v1/orders', {
        method: 'OPTIONS',
        headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
      }),
      await as(spent, '/api/v1/admin/event-generator', {
        method: 'PUT',
        body: { eventsPerSecond: 0 },
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      }),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 204, 200]);
    for (const res of answers) expect(header(res, 'ratelimit-limit')).toBeUndefined();

    const stream = await EventStreamReader.overHttp2(started.client, { 'x-forwarded-for': spent }).open();
    expect(stream.status).toBe(200);
    expect(stream.headers['ratelimit-limit']).toBeUndefined();
    stream.close();
  });

  it('counts each 429 by route and bucket, every limited route starting at 0', async () => {
    const text = (await started.client.request({ path: '/metrics' })).text;
    const rejections = (route: string, bucket: string) =>
      metricSample(text, 'tandem_rate_limit_rejections_total', { route, bucket });
    expect(rejections('/api/v1/orders', 'api')).toBeGreaterThanOrEqual(2);
    expect(rejections('/api/v1/orders/batch', 'api')).toBeGreaterThanOrEqual(1);
    expect(rejections('/api/v1/rum', 'rum')).toBeGreaterThanOrEqual(1);
    expect(rejections('/api/v1/orders/:id', 'api')).toBe(0);
    expect(rejections('/api/v1/limits', 'api')).toBe(0);
    expect(metricSample(text, 'tandem_rate_limit_rejections_total', { route: '/api/v1/events' })).toBeUndefined();
    expect(
      metricSample(text, 'tandem_rate_limit_rejections_total', { route: '/api/v1/admin/event-generator' }),
    ).toBeUndefined();
  });

  it('publishes the active limits at /api/v1/limits', async () => {
    const res = await as('203.0.113.10', '/api/v1/limits');
    expect(res.status).toBe(200);
    expect(LimitsEnvelope.parse(res.json()).data.rateLimits).toEqual({
      weighting: 'weighted',
      key: 'client-ip',
      buckets: {
        ...RATE_LIMIT_DEFAULTS.buckets,
        api: { unitsPerSecond: 0.001, burst: API_BURST },
        rum: { unitsPerSecond: 0.001, burst: RUM_BURST },
      },
    });
  });

  it('charges every request 1 unit with the per-request weighting, switched at run time', async () => {
    started.api.app.rateLimiter.setWeighting('per-request');
    try {
      const res = await as('203.0.113.11', batchPath(ids(API_BURST)));
      expect(res.status).toBe(200);
      expect(header(res, 'ratelimit-remaining')).toBe(String(API_BURST - 1));
      const limits = LimitsEnvelope.parse((await as('203.0.113.11', '/api/v1/limits')).json());
      expect(limits.data.rateLimits.weighting).toBe('per-request');
    } finally {
      started.api.app.rateLimiter.setWeighting('weighted');
    }
    const weighted = await as('203.0.113.12', batchPath(ids(API_BURST)));
    expect(header(weighted, 'ratelimit-remaining')).toBe('0');
  });
});

describe('app.rateLimitPolicy { enforce: false }', () => {
  const started = useStartedApi({
    env: { RATE_LIMIT_API_UNITS_PER_SECOND: SLOW, RATE_LIMIT_API_BURST: String(API_BURST) },
  });

  it('charges, counts and refuses nothing while off, and takes up where it was when on again', async () => {
    expect(started.api.app.rateLimitPolicy.get()).toEqual({ enforce: true });
    expect((await started.client.request({ path: batchPath(ids(API_BURST)) })).status).toBe(200);
    expect((await started.client.request({ path: '/api/v1/orders' })).status).toBe(429);
    started.api.app.rateLimitPolicy.set({ enforce: false });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await started.client.request({ path: batchPath(ids(API_BURST)) });
        expect(res.status).toBe(200);
        expect(header(res, 'ratelimit-limit')).toBeUndefined();
        expect(header(res, 'ratelimit-remaining')).toBeUndefined();
      }
      // What it would enforce stays published.
      const limits = LimitsEnvelope.parse((await started.client.request({ path: '/api/v1/limits' })).json());
      expect(limits.data.rateLimits.buckets.api.burst).toBe(API_BURST);
    } finally {
      started.api.app.rateLimitPolicy.set({ enforce: true });
    }
    const after = await started.client.request({ path: '/api/v1/orders' });
    expect(after.status).toBe(429);
    expect(header(after, 'ratelimit-remaining')).toBe('0');
  });
});

describe('rate limiting by default (no trusted proxy)', () => {
  const started = useStartedApi({
    env: {
      RATE_LIMIT_API_UNITS_PER_SECOND: SLOW,
      RATE_LIMIT_API_BURST: String(API_BURST),
    },
  });

  it('starts weighted: a batch costs its ids', async () => {
    expect(started.api.app.rateLimiter.weighting).toBe('weighted');
    const res = await started.client.request({ path: batchPath(ids(10)) });
    expect(header(res, 'ratelimit-remaining')).toBe(String(API_BURST - 10));
  });

  it('keys by the socket peer: a forged X-Forwarded-For buys no fresh budget', async () => {
    // Ten units went on the previous test: this batch takes the rest.
    const rest = await started.client.request({ path: batchPath(ids(API_BURST - 10)) });
    expect(header(rest, 'ratelimit-remaining')).toBe('0');
    const forged = await started.client.request({
      path: '/api/v1/orders',
      headers: { 'x-forwarded-for': '198.51.100.77' },
    });
    expect(forged.status).toBe(429);
  });
});
