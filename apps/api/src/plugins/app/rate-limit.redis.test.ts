import { randomUUID } from 'node:crypto';
import { MAX_BATCH_IDS } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client, type TestResponse } from '../../../test/clients.js';
import { type RunningRedis, startRedisServer } from '../../../test/redis-server.js';

// 1 unit per 1000 s: nothing refills while the test runs, so the count is exact.
const SLOW = '0.001';
const API_BURST = MAX_BATCH_IDS;
const BATCH = 10;

const batchPath = () => `/api/v1/orders/batch?ids=${Array.from({ length: BATCH }, () => randomUUID()).join(',')}`;
const header = (res: TestResponse, name: string) => {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

describe('two API instances on one Redis', () => {
  const apis: StartedApi[] = [];
  const clients: H2Client[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const api = await startApi({
        env: {
          REDIS_URL: inject('redisUrl'),
          RATE_LIMIT_API_UNITS_PER_SECOND: SLOW,
          RATE_LIMIT_API_BURST: String(API_BURST),
          TRUST_PROXY_HOPS: '1',
        },
      });
      apis.push(api);
      clients.push(new H2Client(api.origin, api.signedIn));
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(apis.map((api) => api.close()));
  });

  it('admit one budget between them, not one each', async () => {
    expect(apis.map((api) => api.app.rateLimiter.storeKind)).toEqual(['redis', 'redis']);
    const client = '192.0.2.1';
    // Twice the budget, half through each instance, all at once.
    const asked = (2 * API_BURST) / BATCH;
    const answers = await Promise.all(
      Array.from({ length: asked }, (_, i) =>
        clients[i % 2]?.request({ path: batchPath(), headers: { 'x-forwarded-for': client } }),
      ),
    );
    const statuses = answers.map((res) => res?.status);
    expect(statuses.filter((status) => status === 200).length * BATCH).toBe(API_BURST);
    expect(statuses.filter((status) => status === 429).length * BATCH).toBe(API_BURST);

    // Either instance now refuses this client, and the other client still has its budget.
    for (const http of clients) {
      expect((await http.request({ path: '/api/v1/orders', headers: { 'x-forwarded-for': client } })).status).toBe(429);
    }
    const other = await clients[0]?.request({ path: '/api/v1/orders', headers: { 'x-forwarded-for': '192.0.2.251' } });
    expect(other?.status).toBe(200);
  });
});

describe('an API whose Redis goes away', () => {
  let redis: RunningRedis;
  let api: StartedApi;
  let client: H2Client;
  beforeAll(async () => {
    redis = await startRedisServer();
    api = await startApi({ env: { REDIS_URL: redis.url, RATE_LIMIT_API_UNITS_PER_SECOND: SLOW } });
    client = new H2Client(api.origin, api.signedIn);
  });
  afterAll(async () => {
    await client?.close();
    await api?.close();
    await redis?.stop();
  });

  it('fails open: requests pass unchecked, a metric counts them', async () => {
    const checked = await client.request({ path: '/api/v1/orders?limit=1' });
    expect(checked.status).toBe(200);
    expect(header(checked, 'ratelimit-limit')).toBeDefined();

    await redis.stop();
    await expect
      .poll(async () => header(await client.request({ path: '/api/v1/orders?limit=1' }), 'ratelimit-limit'), {
        timeout: 10_000,
      })
      .toBeUndefined();
    const unchecked = await client.request({ path: '/api/v1/orders?limit=1' });
    expect(unchecked.status).toBe(200);

    const metrics = (await client.request({ path: '/metrics' })).text;
    const failures = /^tandem_rate_limit_store_failures_total (\d+)/m.exec(metrics)?.[1];
    expect(Number(failures)).toBeGreaterThanOrEqual(2);
  });
});
