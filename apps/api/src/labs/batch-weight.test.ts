import { LimitsEnvelope, OrderPageEnvelope, OrdersBatchEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../test/api-server.js';
import { H2Client } from '../../test/clients.js';
import { metricSum } from '../../test/metric-samples.js';

const BATCH = 8;

let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({
    // Refill so slow that the remaining budget moves by what each request is charged, never by the clock.
    env: {
      LABS_ENABLED: 'true',
      SEED_ORDERS: String(BATCH),
      LAB_MODE_BATCH_WEIGHT: 'naive',
      RATE_LIMIT_API_UNITS_PER_SECOND: '0.001',
    },
  });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

/** Finished queries of each batch read path so far (tandem_db_query_duration_seconds_count). */
async function queryCounts(): Promise<{ perId: number; oneQuery: number }> {
  const text = (await client.request({ path: '/metrics' })).text;
  const count = (query: string) => metricSum(text, 'tandem_db_query_duration_seconds_count', { query });
  return { perId: count('orders.get'), oneQuery: count('orders.find_many') };
}

/** One batch of every seeded order: its answer, its remaining budget, and the queries it cost. */
async function readBatch(ids: string[]) {
  const before = await queryCounts();
  const res = await client.request({ path: `/api/v1/orders/batch?ids=${ids.join(',')}` });
  const after = await queryCounts();
  expect(res.status).toBe(200);
  return {
    batch: OrdersBatchEnvelope.decode(res.json() as never).data,
    remaining: Number(res.headers['ratelimit-remaining']),
    queries: { perId: after.perId - before.perId, oneQuery: after.oneQuery - before.oneQuery },
  };
}

describe('lab batch-weight', () => {
  it('one switch flips both the limiter’s weighting and the batch read, at run time', async () => {
    const page = OrderPageEnvelope.decode(
      (await client.request({ path: `/api/v1/orders?limit=${BATCH}` })).json() as never,
    );
    const ids = page.data.items.map((order) => order.id);
    expect(ids).toHaveLength(BATCH);
    const weighting = async () =>
      LimitsEnvelope.parse((await client.request({ path: '/api/v1/limits' })).json()).data.rateLimits.weighting;

    // Started naive (LAB_MODE_BATCH_WEIGHT): the batch costs 1 unit and BATCH queries.
    expect(await weighting()).toBe('per-request');
    const listed = Number((await client.request({ path: '/api/v1/limits' })).headers['ratelimit-remaining']);
    const naive = await readBatch(ids);
    expect(naive.batch.items.map((order) => order.id)).toEqual(ids);
    expect(naive.remaining).toBe(listed - 1);
    expect(naive.queries).toEqual({ perId: BATCH, oneQuery: 0 });

    api.app.labs.set('batch-weight', 'tuned');
    try {
      expect(await weighting()).toBe('weighted');
      const before = Number((await client.request({ path: '/api/v1/limits' })).headers['ratelimit-remaining']);
      const tuned = await readBatch(ids);
      expect(tuned.batch).toEqual(naive.batch);
      expect(tuned.remaining).toBe(before - BATCH);
      expect(tuned.queries).toEqual({ perId: 0, oneQuery: 1 });
    } finally {
      api.app.labs.set('batch-weight', 'naive');
    }
  });
});
