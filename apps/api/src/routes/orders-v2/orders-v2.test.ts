import {
  API_VERSION_HEADER,
  CreatedOrderEnvelope,
  CreatedOrderV2Envelope,
  ErrorEnvelope,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  Order,
  OrderEnvelope,
  OrderPageEnvelope,
  OrderPageV2Envelope,
  OrdersBatchEnvelope,
  OrdersBatchV2Envelope,
  OrderV2,
  OrderV2Envelope,
} from '@tandem/contract';
import { beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { useStartedApi } from '../../../test/api-server.js';
import type { TestRequest, TestResponse } from '../../../test/clients.js';

const started = useStartedApi();

beforeEach(() => {
  started.api.app.rollout.set({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });
});

const v2Body = {
  customerName: 'Grace Hopper',
  items: [
    { sku: 'TEA-OOLONG-250', quantity: 3, unitPrice: { amountMinor: 1999, currency: 'EUR' } },
    { sku: 'CUP-PORCELAIN', quantity: 1, unitPrice: { amountMinor: 7, currency: 'EUR' } },
  ],
};
const v1Body = {
  customer: 'Ada Lovelace',
  items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 0.1 }],
};

async function send(request: TestRequest): Promise<TestResponse> {
  return started.client.request(request);
}

/** Parses an answer with `schema`, after checking its status and the version header. */
async function expectAnswer<S extends z.ZodType>(request: TestRequest, status: number, version: string, schema: S) {
  const res = await send(request);
  expect(res.status, res.text).toBe(status);
  expect(res.headers[API_VERSION_HEADER]).toBe(version);
  return schema.parse(res.json()) as z.output<S>;
}

/** Every order of a v1 answer is v1's shape and none is v2's, and the other way round. */
function expectOnlyV1(orders: unknown[]) {
  expect(orders.length).toBeGreaterThan(0);
  for (const order of orders) {
    expect(Order.safeParse(order).success).toBe(true);
    expect(OrderV2.safeParse(order).success).toBe(false);
  }
}
function expectOnlyV2(orders: unknown[]) {
  expect(orders.length).toBeGreaterThan(0);
  for (const order of orders) {
    expect(OrderV2.safeParse(order).success).toBe(true);
    expect(Order.safeParse(order).success).toBe(false);
  }
}
const wireItems = (res: TestResponse) => (res.json() as { data: { items: unknown[] } }).data.items;
const wireData = (res: TestResponse) => (res.json() as { data: unknown }).data;

describe('v1 and v2 side by side', () => {
  it('a v1 client never receives a v2 shape, and a v2 client never a v1 one, on every orders route', async () => {
    const created = await expectAnswer(
      { method: 'POST', path: '/api/v1/orders', body: v1Body },
      201,
      'v1',
      CreatedOrderEnvelope,
    );
    const id = created.data.id;
    const ids = `${id},00000000-0000-4000-8000-000000000000`;

    for (const v2Share of [0, 100]) {
      // The rollout changes who is sent where, never what a URL answers.
      started.api.app.rollout.set({ v2Share });

      const v1List = await send({ path: '/api/v1/orders?limit=5' });
      OrderPageEnvelope.parse(v1List.json());
      expectOnlyV1(wireItems(v1List));
      const v1Batch = await send({ path: `/api/v1/orders/batch?ids=${ids}` });
      OrdersBatchEnvelope.parse(v1Batch.json());
      expectOnlyV1(wireItems(v1Batch));
      const v1One = await send({ path: `/api/v1/orders/${id}` });
      OrderEnvelope.parse(v1One.json());
      expectOnlyV1([wireData(v1One)]);
      for (const res of [v1List, v1Batch, v1One]) expect(res.headers[API_VERSION_HEADER]).toBe('v1');

      const v2List = await send({ path: '/api/v2/orders?limit=5' });
      OrderPageV2Envelope.parse(v2List.json());
      expectOnlyV2(wireItems(v2List));
      const v2Batch = await send({ path: `/api/v2/orders/batch?ids=${ids}` });
      expect(OrdersBatchV2Envelope.parse(v2Batch.json()).data.missing).toEqual([
        '00000000-0000-4000-8000-000000000000',
      ]);
      expectOnlyV2(wireItems(v2Batch));
      const v2One = await send({ path: `/api/v2/orders/${id}` });
      OrderV2Envelope.parse(v2One.json());
      expectOnlyV2([wireData(v2One)]);
      for (const res of [v2List, v2Batch, v2One]) expect(res.headers[API_VERSION_HEADER]).toBe('v2');
    }
  });

  it('a v2 create is read through v1 with the same cents, and a v1 create through v2', async () => {
    const res = await send({ method: 'POST', path: '/api/v2/orders', body: v2Body });
    expect(res.status, res.text).toBe(201);
    expect(res.headers[API_VERSION_HEADER]).toBe('v2');
    expectOnlyV2([wireData(res)]);
    const v2 = CreatedOrderV2Envelope.parse(res.json()).data;
    expect(v2).toMatchObject({
      customerName: 'Grace Hopper',
      status: 'pending',
      total: { amountMinor: 3 * 1999 + 7, currency: 'EUR' },
      items: v2Body.items,
    });

    const v1 = await expectAnswer({ path: `/api/v1/orders/${v2.id}` }, 200, 'v1', OrderEnvelope);
    expect(v1.data).toMatchObject({
      id: v2.id,
      customer: 'Grace Hopper',
      total: 60.04,
      items: [
        { sku: 'TEA-OOLONG-250', qty: 3, price: 19.99 },
        { sku: 'CUP-PORCELAIN', qty: 1, price: 0.07 },
      ],
    });
    expect(Math.round(v1.data.total * 100)).toBe(v2.total.amountMinor);

    const fromV1 = await expectAnswer(
      { method: 'POST', path: '/api/v1/orders', body: v1Body },
      201,
      'v1',
      CreatedOrderEnvelope,
    );
    const asV2 = await expectAnswer({ path: `/api/v2/orders/${fromV1.data.id}` }, 200, 'v2', OrderV2Envelope);
    expect(asV2.data.total).toEqual({ amountMinor: 20, currency: 'EUR' });
    expect(asV2.data.items).toEqual([
      { sku: 'TEA-OOLONG-250', quantity: 2, unitPrice: { amountMinor: 10, currency: 'EUR' } },
    ]);
  });

  it('moves an order through v2 and reads its status through v1', async () => {
    const created = CreatedOrderV2Envelope.parse(
      (await send({ method: 'POST', path: '/api/v2/orders', body: v2Body })).json(),
    );
    const paid = await expectAnswer(
      { method: 'PATCH', path: `/api/v2/orders/${created.data.id}`, body: { status: 'paid' } },
      200,
      'v2',
      OrderV2Envelope,
    );
    expect(paid.data.status).toBe('paid');
    const v1 = await expectAnswer({ path: `/api/v1/orders/${created.data.id}` }, 200, 'v1', OrderEnvelope);
    expect(v1.data.status).toBe('paid');
    const refused = await send({
      method: 'PATCH',
      path: `/api/v2/orders/${created.data.id}`,
      body: { status: 'pending' },
    });
    expect(refused.status).toBe(409);
    expect(refused.headers[API_VERSION_HEADER]).toBe('v2');
  });

  it('replays a v2 create with the same Idempotency-Key, in v2’s shape', async () => {
    const key = `v2-${Date.now()}`;
    const request = {
      method: 'POST',
      path: '/api/v2/orders',
      headers: { [IDEMPOTENCY_KEY_HEADER]: key },
      body: v2Body,
    };
    const first = CreatedOrderV2Envelope.parse((await send(request)).json());
    const again = await send(request);
    expect(again.status).toBe(201);
    expect(again.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(CreatedOrderV2Envelope.parse(again.json()).data).toEqual(first.data);
    const other = await send({ ...request, body: { ...v2Body, customerName: 'Someone Else' } });
    expect(ErrorEnvelope.parse(other.json()).data.error).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it.each([
    ['a v1 body', v1Body, ['body.customerName', 'body.items.0.quantity', 'body.items.0.unitPrice']],
    [
      'a decimal amount',
      { ...v2Body, items: [{ sku: 'CUP-01', quantity: 1, unitPrice: { amountMinor: 19.99, currency: 'EUR' } }] },
      ['body.items.0.unitPrice.amountMinor'],
    ],
    [
      'another currency',
      { ...v2Body, items: [{ sku: 'CUP-01', quantity: 1, unitPrice: { amountMinor: 100, currency: 'USD' } }] },
      ['body.items.0.unitPrice.currency'],
    ],
    [
      'a customer name with U+0000 (PostgreSQL text cannot hold it)',
      { ...v2Body, customerName: 'Grace\u0000' },
      ['body.customerName'],
    ],
  ])('refuses %s on POST /api/v2/orders with a 400 naming the fields', async (_, body, paths) => {
    const res = await send({ method: 'POST', path: '/api/v2/orders', body });
    expect(res.status, res.text).toBe(400);
    expect(res.headers[API_VERSION_HEADER]).toBe('v2');
    const error = ErrorEnvelope.parse(res.json());
    expect(error.data.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(paths));
  });

  it('refuses a v2 create on the v1 route, naming the v1 fields', async () => {
    const res = await send({ method: 'POST', path: '/api/v1/orders', body: v2Body });
    expect(res.status).toBe(400);
    expect(res.headers[API_VERSION_HEADER]).toBe('v1');
    const paths = ErrorEnvelope.parse(res.json()).data.issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.customer', 'body.items.0.qty', 'body.items.0.price']));
  });

  it('answers 404 ORDER_NOT_FOUND for an unknown id on v2, naming its version', async () => {
    const res = await send({ path: '/api/v2/orders/00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(404);
    expect(res.headers[API_VERSION_HEADER]).toBe('v2');
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('ORDER_NOT_FOUND');
  });

  it('names no version outside /api/v1 and /api/v2', async () => {
    for (const path of ['/healthz', '/metrics']) {
      const res = await send({ path });
      expect(res.headers[API_VERSION_HEADER], path).toBeUndefined();
    }
  });

  it('keeps serving /api/v2 while v2 is rolled back (clients pinned by URL are not broken)', async () => {
    started.api.app.rollout.set({ v2Enabled: false });
    await expectAnswer({ path: '/api/v2/orders?limit=1' }, 200, 'v2', OrderPageV2Envelope);
  });
});

describe('the injected v2 fault (versioning lab)', () => {
  it('at rate 1 fails every v2 orders call with 500 V2_INJECTED_FAULT while v1 answers 200', async () => {
    const id = CreatedOrderEnvelope.parse((await send({ method: 'POST', path: '/api/v1/orders', body: v1Body })).json())
      .data.id;
    started.api.app.rollout.set({ v2FaultRate: 1 });

    const v2Calls: TestRequest[] = [
      { path: '/api/v2/orders' },
      { path: `/api/v2/orders/batch?ids=${id}` },
      { path: `/api/v2/orders/${id}` },
      { method: 'POST', path: '/api/v2/orders', body: v2Body },
      { method: 'PATCH', path: `/api/v2/orders/${id}`, body: { status: 'paid' } },
    ];
    for (const request of v2Calls) {
      const res = await send(request);
      expect(res.status, `${request.method ?? 'GET'} ${request.path}`).toBe(500);
      expect(res.headers[API_VERSION_HEADER]).toBe('v2');
      const error = ErrorEnvelope.parse(res.json());
      expect(error.data.error).toBe('V2_INJECTED_FAULT');
      expect(error.message).toMatch(/fault injected/);
    }
    // The faulted PATCH changed nothing.
    expect(OrderEnvelope.parse((await send({ path: `/api/v1/orders/${id}` })).json()).data.status).toBe('pending');

    for (const request of [
      { path: '/api/v1/orders' },
      { path: `/api/v1/orders/batch?ids=${id}` },
      { path: `/api/v1/orders/${id}` },
    ]) {
      const res = await send(request);
      expect(res.status, request.path).toBe(200);
    }
    expect((await send({ method: 'POST', path: '/api/v1/orders', body: v1Body })).status).toBe(201);
    expect((await send({ method: 'PATCH', path: `/api/v1/orders/${id}`, body: { status: 'paid' } })).status).toBe(200);
  });

  it('at rate 0 fails none', async () => {
    started.api.app.rollout.set({ v2FaultRate: 0 });
    for (let call = 0; call < 20; call += 1) expect((await send({ path: '/api/v2/orders?limit=1' })).status).toBe(200);
  });
});
