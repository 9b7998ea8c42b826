import { type ApiCallSample, ApiCallSample as ApiCallSampleSchema, apiVersionOfPath } from '@tandem/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RequestAnswer, useRecordingServer } from '../../../../test/recording-server';
import { recordApiCalls } from '../../../rum/api-call-recorder';
import { ResourceTimingFinder } from '../../../rum/resource-timing-finder';
import { ApiError } from '../../api-error';
import { apiClient } from '../../client';
import { ordersApi } from './index';

// A real HTTP server answering as the API's v2 routes do; the module is proven on the wire.
let answer: RequestAnswer;
const server = useRecordingServer((request, response) => answer(request, response));
const { seen } = server;
const samples: ApiCallSample[] = [];
let finder: ResourceTimingFinder;
let eject: () => void;

const ORDER_V2 = {
  id: '0b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e90',
  customerName: 'Ada Lovelace',
  items: [{ sku: 'TEA-OOLONG-250', quantity: 2, unitPrice: { amountMinor: 1699, currency: 'EUR' } }],
  total: { amountMinor: 3398, currency: 'EUR' },
  status: 'pending',
  createdAt: '2026-11-24T09:30:00.000Z',
};
const envelope = (code: number, data: unknown) =>
  JSON.stringify({ code, message: 'OK', data, timestamp: '2026-11-24T09:30:01.000Z' });

beforeAll(() => {
  apiClient.defaults.baseURL = server.origin;
  finder = new ResourceTimingFinder((entry) => entry.name.startsWith(server.origin)).start();
  eject = recordApiCalls(apiClient, {
    currentPage: () => 'order',
    finder,
    record: (sample) => samples.push(sample),
    waitMs: 500,
  });
});

afterEach(() => {
  samples.length = 0;
});

afterAll(() => {
  eject();
  finder.stop();
});

async function recorded(): Promise<ApiCallSample> {
  const until = Date.now() + 5_000;
  while (samples.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  const [sample] = samples;
  if (!sample) throw new Error('no RUM sample was recorded');
  return sample;
}

describe('the v2 orders module', () => {
  it('reads /api/v2/orders/:id and answers in the SPA model; RUM records the v2 route', async () => {
    answer = (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(envelope(200, ORDER_V2));
    const order = await ordersApi.get(ORDER_V2.id);
    expect(seen[0]).toMatchObject({ method: 'GET', url: `/api/v2/orders/${ORDER_V2.id}` });
    expect(order).toMatchObject({ customer: 'Ada Lovelace', total: 33.98, items: [{ qty: 2, price: 16.99 }] });

    const sample = await recorded();
    // The route pattern, never the URL: the API derives the sample's `version` label from it.
    expect(sample.route).toBe('/api/v2/orders/:id');
    expect(apiVersionOfPath(sample.route)).toBe('v2');
    expect(ApiCallSampleSchema.safeParse(sample).success).toBe(true);
  });

  it('lists /api/v2/orders with the page size and cursor', async () => {
    answer = (_request, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(envelope(200, { items: [ORDER_V2], nextCursor: null }));
    const page = await ordersApi.list({ limit: 20, cursor: 'abc' });
    expect(seen[0]?.url).toBe('/api/v2/orders?limit=20&cursor=abc');
    expect(page).toMatchObject({ nextCursor: null, items: [{ total: 33.98 }] });
    expect((await recorded()).route).toBe('/api/v2/orders');
  });

  it('creates with a v2 body and names validation issues by the form fields', async () => {
    answer = (_request, response) =>
      response.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          code: 40001,
          message: 'Validation failed',
          data: {
            error: 'VALIDATION_FAILED',
            requestId: 'req-1',
            issues: [{ path: 'body.items.0.unitPrice.amountMinor', message: 'Invalid input: expected int' }],
          },
          timestamp: '2026-11-24T09:30:01.000Z',
        }),
      );
    const error = await ordersApi
      .create({ customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1.005 }] }, crypto.randomUUID())
      .catch((thrown: unknown) => thrown);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/api/v2/orders');
    expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({ customerName: 'Ada', items: [{ quantity: 1 }] });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).issues).toEqual([
      { path: 'body.items.0.price', message: 'Invalid input: expected int' },
    ]);
  });
});
