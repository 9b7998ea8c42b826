import {
  CreatedOrderEnvelope,
  ErrorEnvelope,
  MAX_BATCH_IDS,
  MAX_PAGE_SIZE,
  type Order,
  OrderCursor,
  OrderEnvelope,
  OrderPageEnvelope,
  OrdersBatchEnvelope,
} from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client, type TestRequest, type TestResponse } from '../../../test/clients.js';
import { metricSum } from '../../../test/metric-samples.js';
import { TEMPLATE_SEED_ORDERS } from '../../../test/pglite-template.js';

let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({ env: { BODY_LIMIT_BYTES: '4096' } });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

const validBody = {
  customer: 'Ada Lovelace',
  items: [
    { sku: 'TEA-OOLONG-250', qty: 2, price: 12.5 },
    { sku: 'CUP-PORCELAIN', qty: 1, price: 24 },
  ],
};

/** Sends a request expected to be refused: asserts the 4xx envelope and returns it. */
async function expectError(request: TestRequest, status: number, error: string) {
  const res = await client.request(request);
  expect(res.status, res.text).toBe(status);
  const body = ErrorEnvelope.parse(res.json());
  expect(body.data.error).toBe(error);
  expect(Math.floor(body.code / 100)).toBe(status);
  expect(body.data.requestId).toBe(res.headers['x-request-id']);
  return body;
}

function issuePaths(body: ErrorEnvelope): string[] {
  return (body.data.issues ?? []).map((issue) => issue.path);
}

describe('GET /api/v1/orders', () => {
  it('returns the first page, newest first, with a cursor to the next', async () => {
    const res = await client.request({ path: '/api/v1/orders?limit=5' });
    expect(res.status).toBe(200);
    const body = OrderPageEnvelope.parse(res.json());
    expect(body).toMatchObject({ code: 200, message: 'OK' });
    expect(body.data.items).toHaveLength(5);
    expect(body.data.nextCursor).toEqual(expect.any(String));
    const times = body.data.items.map((order) => order.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('uses the default page size when none is given', async () => {
    const res = await client.request({ path: '/api/v1/orders' });
    expect(OrderPageEnvelope.parse(res.json()).data.items).toHaveLength(20);
  });

  it('walks every page without duplicates or gaps, and ends with a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=7&cursor=${cursor}` : 'limit=7';
      const res = await client.request({ path: `/api/v1/orders?${query}` });
      expect(res.status).toBe(200);
      const page = OrderPageEnvelope.parse(res.json()).data;
      seen.push(...page.items.map((order) => order.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    // Other tests in this file may have created orders first; the seed is the floor.
    expect(seen.length).toBeGreaterThanOrEqual(TEMPLATE_SEED_ORDERS);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 7));
  });

  it.each([
    ['0', 'too small'],
    [String(MAX_PAGE_SIZE + 1), 'too big'],
    ['abc', 'not a number'],
    ['1.5', 'not an integer'],
    ['', 'empty'],
    ['-3', 'negative'],
  ])('refuses limit=%s (%s) with a 400 naming query.limit', async (limit) => {
    const body = await expectError({ path: `/api/v1/orders?limit=${limit}` }, 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['query.limit']);
    expect(body.message).toContain('query.limit');
  });

  it('accepts the largest page size', async () => {
    const res = await client.request({ path: `/api/v1/orders?limit=${MAX_PAGE_SIZE}` });
    expect(res.status).toBe(200);
  });

  it('refuses a repeated limit rather than picking one', async () => {
    const body = await expectError({ path: '/api/v1/orders?limit=5&limit=6' }, 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['query.limit']);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['base64url of garbage', 'Zm9vYmFy'],
    ['valid JSON, wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    [
      'a bad date inside',
      Buffer.from('{"createdAt":"2026-13-45T00:00:00.000Z","id":"5f0c6a8e-8a54-4c57-9a39-1f2f7b0f6c11"}').toString(
        'base64url',
      ),
    ],
    ['a non-UUID id inside', Buffer.from('{"createdAt":"2026-01-01T00:00:00.000Z","id":"42"}').toString('base64url')],
    ['too long', 'A'.repeat(500)],
  ])('refuses a bad cursor (%s) with a 400 naming query.cursor', async (_case, cursor) => {
    const body = await expectError(
      { path: `/api/v1/orders?cursor=${encodeURIComponent(cursor)}` },
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(body)).toEqual(['query.cursor']);
    expect(body.data.issues?.[0]?.message).toMatch(/cursor|string/i);
  });

  it('accepts a well-formed cursor for a position that is not in the table', async () => {
    const cursor = OrderCursor.encode({ createdAt: new Date('2000-01-01T00:00:00.000Z'), id: crypto.randomUUID() });
    const res = await client.request({ path: `/api/v1/orders?cursor=${cursor}` });
    expect(res.status).toBe(200);
    expect(OrderPageEnvelope.parse(res.json()).data).toEqual({ items: [], nextCursor: null });
  });

  it('refuses unknown query parameters by name', async () => {
    const body = await expectError({ path: '/api/v1/orders?limit=5&sort=desc&page=2' }, 400, 'VALIDATION_FAILED');
    expect(body.data.issues).toEqual([
      { path: 'query.sort', message: 'Unknown field' },
      { path: 'query.page', message: 'Unknown field' },
    ]);
  });
});

describe('GET /api/v1/orders/:id', () => {
  it('returns an order that exists', async () => {
    const list = OrderPageEnvelope.parse((await client.request({ path: '/api/v1/orders?limit=1' })).json());
    const first = list.data.items[0];
    expect(first).toBeDefined();
    const res = await client.request({ path: `/api/v1/orders/${first?.id}` });
    expect(res.status).toBe(200);
    expect(OrderEnvelope.parse(res.json()).data).toEqual(first);
  });

  it('answers 404 ORDER_NOT_FOUND for a UUID no order has', async () => {
    const id = crypto.randomUUID();
    const body = await expectError({ path: `/api/v1/orders/${id}` }, 404, 'ORDER_NOT_FOUND');
    expect(body.code).toBe(40402);
    expect(body.message).toContain(id);
  });

  it.each([
    ['not-a-uuid'],
    ['12345'],
    ['5f0c6a8e-8a54-4c57-9a39-1f2f7b0f6c1'],
    ["5f0c6a8e-8a54-4c57-9a39-1f2f7b0f6c11' OR '1'='1"],
  ])('refuses the id %j with a 400 naming params.id', async (id) => {
    const body = await expectError({ path: `/api/v1/orders/${encodeURIComponent(id)}` }, 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['params.id']);
  });
});

describe('POST /api/v1/orders', () => {
  const post = (body: unknown, headers: Record<string, string> = {}): TestRequest => ({
    method: 'POST',
    path: '/api/v1/orders',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  it('creates an order (201), computing the total in cents, and reads it back', async () => {
    const before = Date.now();
    const res = await client.request(
      post({
        customer: '  Grace Hopper ',
        items: [...validBody.items, { sku: 'FILTER-PAPER-100', qty: 3, price: 0.1 }],
      }),
    );
    expect(res.status, res.text).toBe(201);
    const created = CreatedOrderEnvelope.parse(res.json());
    expect(created).toMatchObject({ code: 201, message: 'Created' });
    const order = created.data;
    expect(order.customer).toBe('Grace Hopper');
    expect(order.status).toBe('pending');
    // 2 × 12.50 + 1 × 24.00 + 3 × 0.10 = 49.30, exactly.
    expect(order.total).toBe(49.3);
    expect(order.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(order.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const read = await client.request({ path: `/api/v1/orders/${order.id}` });
    expect(read.status).toBe(200);
    expect(OrderEnvelope.parse(read.json()).data).toEqual(order);

    const newest = OrderPageEnvelope.parse((await client.request({ path: '/api/v1/orders?limit=1' })).json());
    expect(newest.data.items[0]?.id).toBe(order.id);
  });

  it('ignores nothing: a client-sent total or status is an unknown field', async () => {
    const body = await expectError(post({ ...validBody, total: 0.01, status: 'paid' }), 400, 'VALIDATION_FAILED');
    expect(body.data.issues).toEqual([
      { path: 'body.total', message: 'Unknown field' },
      { path: 'body.status', message: 'Unknown field' },
    ]);
  });

  it('names an unknown field inside an item', async () => {
    const body = await expectError(
      post({ customer: 'Ada', items: [{ ...validBody.items[0], discount: 5 }] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.data.issues).toEqual([{ path: 'body.items.0.discount', message: 'Unknown field' }]);
  });

  it('names every field of the wrong type', async () => {
    const body = await expectError(
      post({ customer: 42, items: [{ sku: 'TEA-OOLONG-250', qty: '2', price: 'free' }] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(body).sort()).toEqual(['body.customer', 'body.items.0.price', 'body.items.0.qty']);
  });

  it.each([
    ['an empty customer', { ...validBody, customer: '   ' }, 'body.customer'],
    ['no items', { ...validBody, items: [] }, 'body.items'],
    ['a zero quantity', { ...validBody, items: [{ sku: 'TEA-OOLONG-250', qty: 0, price: 1 }] }, 'body.items.0.qty'],
    [
      'a fractional cent',
      { ...validBody, items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1.005 }] },
      'body.items.0.price',
    ],
    ['a negative price', { ...validBody, items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: -1 }] }, 'body.items.0.price'],
    ['a lower-case SKU', { ...validBody, items: [{ sku: 'tea', qty: 1, price: 1 }] }, 'body.items.0.sku'],
    ['a missing customer', { items: validBody.items }, 'body.customer'],
    // PostgreSQL text cannot hold NUL: the contract refuses it, the database never sees it (it was a 500).
    ['a customer with U+0000', { ...validBody, customer: 'Ada\u0000Lovelace' }, 'body.customer'],
  ])('refuses %s with a 400 naming the field', async (_case, input, path) => {
    const body = await expectError(post(input), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual([path]);
  });

  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const body = await expectError(post('{"customer": "Ada", items: [}'), 400, 'MALFORMED_JSON');
    expect(body.code).toBe(40002);
    expect(body.message).toMatch(/JSON/);
  });

  it('refuses a JSON body that is not an object with 400 naming the body', async () => {
    const body = await expectError(post('[1,2,3]'), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['body']);
  });

  it('refuses an empty body declared as JSON with 400 EMPTY_BODY', async () => {
    const body = await expectError(post(''), 400, 'EMPTY_BODY');
    expect(body.message).toMatch(/empty/i);
  });

  it('refuses a POST with no body and no content type with 400 EMPTY_BODY', async () => {
    await expectError({ method: 'POST', path: '/api/v1/orders' }, 400, 'EMPTY_BODY');
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = { customer: 'x'.repeat(8000), items: validBody.items };
    const body = await expectError(post(big), 413, 'PAYLOAD_TOO_LARGE');
    expect(body.code).toBe(41301);
    expect(body.message).toMatch(/too large/i);
  });

  it.each([
    ['text/plain', '{"customer":"Ada"}'],
    ['application/x-www-form-urlencoded', 'customer=Ada'],
    ['application/xml', '<order/>'],
  ])('refuses content type %s with 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, payload) => {
    const body = await expectError(post(payload, { 'content-type': contentType }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(body.message).toMatch(/application\/json/);
  });

  it('accepts JSON with a charset parameter', async () => {
    const res = await client.request(
      post(JSON.stringify(validBody), { 'content-type': 'application/json; charset=utf-8' }),
    );
    expect(res.status).toBe(201);
  });

  it('never answers any of these inputs with a 5xx', async () => {
    const inputs: TestRequest[] = [
      post('null'),
      post('"just a string"'),
      post('{"__proto__": {"admin": true}}'),
      post('{"customer": "Ada", "items": [{"sku": "TEA-OOLONG-250", "qty": 1e309, "price": 1}]}'),
      post({ customer: 'Ada', items: Array.from({ length: 51 }, () => validBody.items[0]) }),
      { method: 'GET', path: '/api/v1/orders?cursor=' },
      { method: 'GET', path: '/api/v1/orders/%E0%A4%A' },
      { method: 'PUT', path: '/api/v1/orders' },
    ];
    const responses: TestResponse[] = [];
    for (const input of inputs) responses.push(await client.request(input));
    for (const res of responses) {
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text).toBeLessThan(500);
      ErrorEnvelope.parse(res.json());
    }
  });
});

describe('PATCH /api/v1/orders/:id', () => {
  const patch = (id: string, body: unknown): TestRequest => ({ method: 'PATCH', path: `/api/v1/orders/${id}`, body });
  async function pendingOrder() {
    const res = await client.request({ method: 'POST', path: '/api/v1/orders', body: validBody });
    return CreatedOrderEnvelope.parse(res.json()).data;
  }

  it('moves an order along an allowed transition and answers the updated order', async () => {
    const order = await pendingOrder();
    const res = await client.request(patch(order.id, { status: 'paid' }));
    expect(res.status, res.text).toBe(200);
    const body = OrderEnvelope.parse(res.json());
    expect(body.data).toEqual({ ...order, status: 'paid' });
    const shipped = await client.request(patch(order.id, { status: 'shipped' }));
    expect(OrderEnvelope.parse(shipped.json()).data.status).toBe('shipped');
    const read = await client.request({ path: `/api/v1/orders/${order.id}` });
    expect(OrderEnvelope.parse(read.json()).data.status).toBe('shipped');
  });

  it.each([
    ['pending', 'delivered'],
    ['pending', 'pending'],
  ])('answers 409 INVALID_STATUS_TRANSITION from %s to %s, naming both', async (_from, to) => {
    const order = await pendingOrder();
    const body = await expectError(patch(order.id, { status: to }), 409, 'INVALID_STATUS_TRANSITION');
    expect(body.code).toBe(40901);
    expect(body.message).toContain(`from pending to ${to}`);
  });

  it('answers 409 for any move out of a final status', async () => {
    const order = await pendingOrder();
    await client.request(patch(order.id, { status: 'cancelled' }));
    const body = await expectError(patch(order.id, { status: 'paid' }), 409, 'INVALID_STATUS_TRANSITION');
    expect(body.message).toContain('from cancelled to paid');
  });

  it('answers 404 ORDER_NOT_FOUND for an id no order has', async () => {
    const id = crypto.randomUUID();
    const body = await expectError(patch(id, { status: 'paid' }), 404, 'ORDER_NOT_FOUND');
    expect(body.message).toContain(id);
  });

  it.each([
    ['an unknown status', { status: 'lost' }, ['body.status']],
    ['no status', {}, ['body.status']],
    ['an extra field', { status: 'paid', note: 'x' }, ['body.note']],
  ])('refuses %s with a 400 naming the field', async (_case, input, paths) => {
    const order = await pendingOrder();
    const body = await expectError(patch(order.id, input), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(paths);
  });

  it('refuses a bad id with a 400 naming params.id', async () => {
    const body = await expectError(patch('not-a-uuid', { status: 'paid' }), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['params.id']);
  });
});

describe('GET /api/v1/orders/batch', () => {
  const batch = (query: string): TestRequest => ({ path: `/api/v1/orders/batch?${query}` });
  let known: Order[];

  beforeAll(async () => {
    const page = OrderPageEnvelope.parse((await client.request({ path: '/api/v1/orders?limit=5' })).json());
    known = page.data.items;
  });

  /** How many times the database ran `query` so far, from the API's own histogram. */
  async function queryCount(query: string): Promise<number> {
    const text = (await client.request({ path: '/metrics' })).text;
    return metricSum(text, 'tandem_db_query_duration_seconds_count', { query });
  }

  it('answers the orders in the order asked, duplicates once, unknown ids in missing, with one query', async () => {
    const [a, b, c] = known as [Order, Order, Order];
    const unknown = crypto.randomUUID();
    const [batchesBefore, getsBefore] = [await queryCount('orders.find_many'), await queryCount('orders.get')];
    const res = await client.request(batch(`ids=${[c.id, unknown, a.id, c.id, b.id.toUpperCase(), a.id].join(',')}`));
    expect(res.status, res.text).toBe(200);
    const body = OrdersBatchEnvelope.parse(res.json());
    expect(body).toMatchObject({ code: 200, message: 'OK' });
    expect(body.data).toEqual({ items: [c, a, b], missing: [unknown] });
    expect(await queryCount('orders.find_many')).toBe(batchesBefore + 1);
    expect(await queryCount('orders.get')).toBe(getsBefore);
  });

  it('takes repeated ids, and repeated comma-separated lists, the same way', async () => {
    const [a, b, c] = known as [Order, Order, Order];
    const repeated = await client.request(batch(`ids=${b.id}&ids=${a.id}&ids=${c.id}`));
    expect(OrdersBatchEnvelope.parse(repeated.json()).data.items.map((order) => order.id)).toEqual([b.id, a.id, c.id]);
    const mixed = await client.request(batch(`ids=${b.id},${a.id}&ids=${c.id}`));
    expect(OrdersBatchEnvelope.parse(mixed.json()).data.items.map((order) => order.id)).toEqual([b.id, a.id, c.id]);
  });

  it('reports ids no order has without failing', async () => {
    const unknown = [crypto.randomUUID(), crypto.randomUUID()];
    const res = await client.request(batch(`ids=${unknown.join(',')}`));
    expect(res.status).toBe(200);
    expect(OrdersBatchEnvelope.parse(res.json()).data).toEqual({ items: [], missing: unknown });
  });

  it(`accepts ${MAX_BATCH_IDS} ids and refuses ${MAX_BATCH_IDS + 1} with a 400 naming query.ids`, async () => {
    const ids = Array.from({ length: MAX_BATCH_IDS + 1 }, (_, i) => (known[i] ? known[i].id : crypto.randomUUID()));
    const full = await client.request(batch(`ids=${ids.slice(0, MAX_BATCH_IDS).join(',')}`));
    expect(full.status, full.text).toBe(200);
    const answered = OrdersBatchEnvelope.parse(full.json()).data;
    expect(answered.items.length + answered.missing.length).toBe(MAX_BATCH_IDS);
    const body = await expectError(batch(`ids=${ids.join(',')}`), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['query.ids']);
    expect(body.message).toContain(`at most ${MAX_BATCH_IDS}`);
  });

  it.each([
    [
      'a bad id, named by its position',
      () => `ids=${[known[0]?.id, known[1]?.id, known[2]?.id, 'not-a-uuid'].join(',')}`,
      ['query.ids.3'],
    ],
    ['a bad id in a repeated list', () => `ids=${known[0]?.id}&ids=42`, ['query.ids.1']],
    ['an empty entry', () => `ids=${known[0]?.id},`, ['query.ids.1']],
    ['an empty value', () => 'ids=', ['query.ids.0']],
    ['no ids at all', () => 'limit=5', ['query.ids', 'query.limit']],
  ])('refuses %s with a 400 naming the field', async (_case, query, paths) => {
    const body = await expectError(batch(query()), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body).sort()).toEqual([...paths].sort());
  });

  it('is not taken for an order id: /orders/batch without ids names query.ids, not params.id', async () => {
    const body = await expectError({ path: '/api/v1/orders/batch' }, 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['query.ids']);
  });
});

describe('POST /api/v1/orders with an Idempotency-Key', () => {
  const create = (key: string, body: unknown = validBody): TestRequest => ({
    method: 'POST',
    path: '/api/v1/orders',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body,
  });
  const bodyFor = (customer: string) => ({ ...validBody, customer });
  const stored = async (customer: string) =>
    Number(
      (
        await api.app.db.query<{ n: number | string }>(
          'test.count',
          'SELECT count(*) AS n FROM orders WHERE customer = $1',
          [customer],
        )
      )[0]?.n,
    );

  it('answers a repeat with the first result (201, same order) marked Idempotent-Replayed, storing one order', async () => {
    const key = crypto.randomUUID();
    const first = await client.request(create(key, bodyFor('Idem HTTP replay')));
    expect(first.status, first.text).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const order = CreatedOrderEnvelope.parse(first.json()).data;
    // The order moves on; a replay still answers what the first create answered.
    await client.request({ method: 'PATCH', path: `/api/v1/orders/${order.id}`, body: { status: 'paid' } });
    const again = await client.request(create(key, { items: validBody.items, customer: ' Idem HTTP replay ' }));
    expect(again.status, again.text).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const replayed = CreatedOrderEnvelope.parse(again.json());
    expect(replayed).toMatchObject({ code: 201, message: 'Created' });
    expect(replayed.data).toEqual(order);
    expect(await stored('Idem HTTP replay')).toBe(1);
  });

  it('stores one order when copies with one key arrive at once', async () => {
    const key = crypto.randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => client.request(create(key, bodyFor('Idem HTTP race')))),
    );
    for (const res of responses) expect(res.status, res.text).toBe(201);
    const ids = new Set(responses.map((res) => CreatedOrderEnvelope.parse(res.json()).data.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(3);
    expect(await stored('Idem HTTP race')).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with a different body, storing nothing', async () => {
    const key = crypto.randomUUID();
    expect((await client.request(create(key, bodyFor('Idem HTTP reuse')))).status).toBe(201);
    const body = await expectError(create(key, bodyFor('Idem HTTP reuse, changed')), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(body.code).toBe(42201);
    expect(body.message).toContain(key);
    expect(await stored('Idem HTTP reuse, changed')).toBe(0);
  });

  it.each([
    ['too short', 'abc'],
    ['with a space', 'two words here'],
    ['too long', 'k'.repeat(129)],
  ])('refuses a key %s with a 400 naming headers.idempotency-key, storing nothing', async (_case, key) => {
    const body = await expectError(create(key, bodyFor('Idem HTTP bad key')), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual(['headers.idempotency-key']);
    expect(await stored('Idem HTTP bad key')).toBe(0);
  });

  it('creates a new order per request without a key, as before', async () => {
    for (let i = 0; i < 2; i++) {
      expect(
        (await client.request({ method: 'POST', path: '/api/v1/orders', body: bodyFor('Idem HTTP no key') })).status,
      ).toBe(201);
    }
    expect(await stored('Idem HTTP no key')).toBe(2);
  });
});
