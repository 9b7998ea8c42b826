import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEADLINES,
  endpoints,
  IDEMPOTENCY_KEY_HEADER,
  REQUEST_TIMEOUT_HEADER,
  RequestTimeoutMs,
} from '@tandem/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RequestAnswer, useRecordingServer } from '../../test/recording-server';
import { ApiError } from './api-error';
import { apiClient, call } from './client';
import { setRequestShaping } from './request-shaping';
import { setResponseDecoder } from './response-decoder';

// A real HTTP server on a free port: the client's behaviour is proven on the wire, not on mocks.
let handler: RequestAnswer;
const server = useRecordingServer((request, response) => handler(request, response));
const { seen } = server;

beforeAll(() => {
  apiClient.defaults.baseURL = server.origin;
});

/** Runs `body` with reads not kept simple (every call carries the custom headers, GETs too: the cors-preflight lab's naive side). */
async function withCustomHeadersOnGets(body: () => Promise<void>): Promise<void> {
  setRequestShaping({ simpleReads: false });
  try {
    await body();
  } finally {
    setRequestShaping({ simpleReads: true });
  }
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): RequestAnswer {
  return (_request, response) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  };
}

const ORDER = {
  id: '0b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e90',
  customer: 'Ada Lovelace',
  items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 7.5 }],
  total: 15,
  status: 'pending',
  createdAt: '2026-11-24T09:30:00.000Z',
};
const envelope = (code: number, data: unknown) => ({
  code,
  message: 'OK',
  data,
  timestamp: '2026-11-24T09:30:01.000Z',
});

describe('call', () => {
  it('decodes a success envelope: data is returned and dates are Date instances', async () => {
    handler = answer(200, envelope(200, { items: [ORDER], nextCursor: 'abc' }));

    const page = await call(endpoints.listOrders, { query: { limit: '5', cursor: 'abc' } });

    expect(page.nextCursor).toBe('abc');
    expect(page.items[0]?.createdAt).toBeInstanceOf(Date);
    expect(page.items[0]?.createdAt.toISOString()).toBe(ORDER.createdAt);
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.url).toBe('/api/v1/orders?limit=5&cursor=abc');
  });

  it('reads success answers with a decoder set by setResponseDecoder, and error answers as envelopes still', async () => {
    const decoded: unknown[] = [];
    setResponseDecoder((json) => {
      decoded.push(json);
      return (json as { data: unknown }).data;
    });
    try {
      // Text the contract's codec would refuse (no offset): the decoder takes it as it is.
      handler = answer(
        200,
        envelope(200, { items: [{ ...ORDER, createdAt: '2026-11-24 09:30:00' }], nextCursor: null }),
      );
      const page = await call(endpoints.listOrders);
      expect(page.items[0]?.createdAt).toBe('2026-11-24 09:30:00');
      expect(decoded).toHaveLength(1);

      handler = answer(404, {
        code: 40402,
        message: 'No order has this id.',
        data: { error: 'ORDER_NOT_FOUND' },
        timestamp: '2026-11-24T09:30:01.000Z',
      });
      const error = await call(endpoints.getOrder, { params: { id: ORDER.id } }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ name: 'ORDER_NOT_FOUND', status: 404 });
      expect(decoded).toHaveLength(1);
    } finally {
      setResponseDecoder(undefined);
    }
    handler = answer(200, envelope(200, { items: [ORDER], nextCursor: null }));
    expect((await call(endpoints.listOrders)).items[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('fills path parameters and sends the body as JSON', async () => {
    handler = answer(201, envelope(201, ORDER));
    const order = await call(endpoints.createOrder, {
      body: { customer: 'Ada Lovelace', items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 7.5 }] },
    });
    expect(order.id).toBe(ORDER.id);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      customer: 'Ada Lovelace',
      items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 7.5 }],
    });

    handler = answer(200, envelope(200, ORDER));
    await call(endpoints.getOrder, { params: { id: 'a b/c' } });
    expect(seen[1]?.url).toBe('/api/v1/orders/a%20b%2Fc');
  });

  it('sends a fresh X-Request-ID on every write', async () => {
    handler = answer(201, envelope(201, ORDER));
    const body = { customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] };
    await call(endpoints.createOrder, { body });
    await call(endpoints.createOrder, { body });

    const ids = seen.map((request) => request.headers['x-request-id']);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('without request ids (the request-id lab naive): no call sends X-Request-ID, a write neither', async () => {
    handler = answer(201, envelope(201, ORDER));
    setRequestShaping({ requestIds: false });
    try {
      const body = { customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] };
      await call(endpoints.createOrder, { body });
    } finally {
      setRequestShaping({ requestIds: true });
    }
    expect(seen[0]?.headers['x-request-id']).toBeUndefined();
  });

  it('keeps a GET simple (no custom header, so no CORS preflight) and takes its id from the answer', async () => {
    handler = answer(200, envelope(200, { items: [], nextCursor: null }), { 'x-request-id': 'server-made' });
    await call(endpoints.listOrders);
    expect(seen[0]?.headers['x-request-id']).toBeUndefined();
    expect(seen[0]?.headers[REQUEST_TIMEOUT_HEADER]).toBeUndefined();

    handler = answer(
      404,
      {
        code: 40402,
        message: 'No order has this id.',
        data: { error: 'ORDER_NOT_FOUND' },
        timestamp: '2026-11-24T09:30:01.000Z',
      },
      { 'x-request-id': 'server-made-404' },
    );
    const error = await call(endpoints.getOrder, { params: { id: ORDER.id } }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 404, requestId: 'server-made-404' });
  });

  it('reads not kept simple (the cors-preflight lab naive): a GET carries X-Request-ID and X-Request-Timeout too', async () => {
    handler = answer(200, envelope(200, { items: [], nextCursor: null }));
    await withCustomHeadersOnGets(async () => {
      await call(endpoints.listOrders);
    });
    expect(seen[0]?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(RequestTimeoutMs.safeParse(seen[0]?.headers[REQUEST_TIMEOUT_HEADER]).success).toBe(true);
  });

  it('turns an error envelope into an ApiError with its issues', async () => {
    handler = answer(
      400,
      {
        code: 40001,
        message: 'The request is invalid.',
        data: {
          error: 'VALIDATION_FAILED',
          requestId: 'req-1',
          issues: [{ path: 'body.items.0.sku', message: 'SKU: 3–32 upper-case letters, digits or dashes' }],
        },
        timestamp: '2026-11-24T09:30:01.000Z',
      },
      { 'x-request-id': 'req-1' },
    );

    const error = await call(endpoints.createOrder, {
      body: { customer: 'Ada', items: [{ sku: 'tea', qty: 1, price: 1 }] },
    }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: 'VALIDATION_FAILED',
      status: 400,
      code: 40001,
      message: 'The request is invalid.',
      requestId: 'req-1',
      issues: [{ path: 'body.items.0.sku', message: 'SKU: 3–32 upper-case letters, digits or dashes' }],
    });
  });

  it('reads an error envelope for a status the endpoint does not list (a 429 from a limiter)', async () => {
    handler = answer(429, {
      code: 42901,
      message: 'Too many requests; retry after the delay given.',
      // Short, so the two retries the aligned policy makes after it fit well inside the test's time.
      data: { error: 'RATE_LIMITED', retryAfterMs: 200 },
      timestamp: '2026-11-24T09:30:01.000Z',
    });
    const error = await call(endpoints.listOrders).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'RATE_LIMITED', status: 429, code: 42901, retryAfterMs: 200 });
    // No id echoed by this server, and a GET sends none (it is kept simple): no id to show
    // (the 429 was retried after its delay, and answered the same).
    expect(seen).toHaveLength(3);
    expect(seen.at(-1)?.headers['x-request-id']).toBeUndefined();
    expect((error as ApiError).requestId).toBeUndefined();
  });

  it('rejects a success body that breaks the contract as BAD_RESPONSE, naming the field', async () => {
    handler = answer(200, envelope(200, { items: [{ ...ORDER, createdAt: '24/11/2026' }], nextCursor: null }));
    const error = await call(endpoints.listOrders).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'BAD_RESPONSE', status: 200, code: 0 });
    expect((error as ApiError).issues.map((issue) => issue.path)).toContain('response.data.items.0.createdAt');
  });

  it('rejects bodies that are no envelope at all as BAD_RESPONSE', async () => {
    handler = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    };
    await expect(call(endpoints.listOrders)).rejects.toMatchObject({ name: 'BAD_RESPONSE', status: 502 });

    handler = answer(200, '{"code":200,');
    await expect(call(endpoints.listOrders)).rejects.toMatchObject({ name: 'BAD_RESPONSE', status: 200 });

    handler = (_request, response) => {
      response.writeHead(204).end();
    };
    await expect(call(endpoints.listOrders)).rejects.toMatchObject({ name: 'BAD_RESPONSE', status: 204 });
  });

  it('turns a slow answer into TIMEOUT', async () => {
    handler = (_request, response) => {
      setTimeout(() => answer(200, envelope(200, { items: [], nextCursor: null }))(_request, response), 500);
    };
    const timeout = apiClient.defaults.timeout;
    apiClient.defaults.timeout = 50;
    try {
      await expect(call(endpoints.listOrders)).rejects.toMatchObject({ name: 'TIMEOUT', status: 0 });
    } finally {
      apiClient.defaults.timeout = timeout;
    }
  });

  it('turns a cancelled call into CANCELLED', async () => {
    handler = () => {
      // never answers; the caller gives up
    };
    const controller = new AbortController();
    const pending = call(endpoints.listOrders, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'CANCELLED', status: 0 });
  });
});

describe('call: deadlines, retries and idempotency keys on the wire', () => {
  const listAnswer = answer(200, envelope(200, { items: [], nextCursor: null }));
  const busy = (retryAfterMs: number) =>
    answer(
      503,
      {
        code: 50301,
        message: 'The service is not ready.',
        data: { error: 'NOT_READY', retryAfterMs },
        timestamp: '2026-11-24T09:30:01.000Z',
      },
      { 'retry-after': '1' },
    );
  /** Answers the scripted handlers in turn; the last one answers every later request. */
  const inTurn =
    (...handlers: RequestAnswer[]): RequestAnswer =>
    (request, response) =>
      (handlers[Math.min(seen.length - 1, handlers.length - 1)] ?? listAnswer)(request, response);

  it("sends what is left of the call's deadline as X-Request-Timeout, from DEADLINES", async () => {
    handler = answer(201, envelope(201, ORDER));
    await call(endpoints.createOrder, {
      body: { customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] },
    });
    // The create's request (an earlier test's unanswered GET may land here late).
    const create = seen.find((request) => request.method === 'POST');
    const sent = Number(create?.headers[REQUEST_TIMEOUT_HEADER]);
    expect(apiClient.defaults.timeout).toBe(DEADLINES.clientTimeoutMs);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(DEADLINES.clientTimeoutMs);
    expect(RequestTimeoutMs.safeParse(create?.headers[REQUEST_TIMEOUT_HEADER]).success).toBe(true);
  });

  it('retries a 503 after the delay the server gave, with a smaller deadline and the next attempt number', async () => {
    const attempts: (number | undefined)[] = [];
    const interceptor = apiClient.interceptors.request.use((config) => {
      attempts.push(config.attempt);
      return config;
    });
    handler = inTurn(busy(150), listAnswer);
    try {
      // The GET carries its deadline and id only in the cors-preflight lab's naive setting.
      await withCustomHeadersOnGets(async () => {
        await call(endpoints.listOrders);
      });
    } finally {
      apiClient.interceptors.request.eject(interceptor);
    }
    expect(seen).toHaveLength(2);
    expect(attempts).toEqual([1, 2]);
    const [first, second] = seen.map((request) => Number(request.headers[REQUEST_TIMEOUT_HEADER]));
    // At least the 150 ms waited; 2 ms of slack: each figure is rounded to whole ms, and a
    // timer may fire up to 1 ms before performance.now() says its delay has passed.
    expect(second).toBeLessThanOrEqual((first ?? 0) - 150 + 2);
    // Each attempt is its own request to the server, with its own id.
    expect(seen[0]?.headers['x-request-id']).not.toBe(seen[1]?.headers['x-request-id']);
  });

  it('retries a create only with an Idempotency-Key, and sends the same key on every attempt', async () => {
    const body = { customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] };
    handler = busy(50);
    await expect(call(endpoints.createOrder, { body })).rejects.toMatchObject({ name: 'NOT_READY' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers[IDEMPOTENCY_KEY_HEADER]).toBeUndefined();

    seen.length = 0;
    handler = inTurn(busy(50), answer(201, envelope(201, ORDER)));
    const key = crypto.randomUUID();
    const order = await call(endpoints.createOrder, { body, idempotencyKey: key });
    expect(order.id).toBe(ORDER.id);
    expect(seen.map((request) => request.headers[IDEMPOTENCY_KEY_HEADER])).toEqual([key, key]);
  });

  it('does not retry a 4xx', async () => {
    handler = answer(404, {
      code: 40402,
      message: 'No order has this id.',
      data: { error: 'ORDER_NOT_FOUND' },
      timestamp: '2026-11-24T09:30:01.000Z',
    });
    await expect(call(endpoints.getOrder, { params: { id: ORDER.id } })).rejects.toMatchObject({
      name: 'ORDER_NOT_FOUND',
    });
    expect(seen).toHaveLength(1);
  });

  it('reads Retry-After when the envelope names no delay', async () => {
    handler = answer(
      429,
      {
        code: 42901,
        message: 'Too many requests; retry after the delay given.',
        data: { error: 'RATE_LIMITED' },
        timestamp: '2026-11-24T09:30:01.000Z',
      },
      // Longer than the policy waits for: the error is shown, with the delay.
      { 'retry-after': '60' },
    );
    await expect(call(endpoints.listOrders)).rejects.toMatchObject({ name: 'RATE_LIMITED', retryAfterMs: 60_000 });
    expect(seen).toHaveLength(1);
  });
});

describe('call without a server', () => {
  it('turns a refused connection into NETWORK', async () => {
    // A port that was free a moment ago and has nobody listening now.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const baseURL = apiClient.defaults.baseURL;
    apiClient.defaults.baseURL = `http://127.0.0.1:${port}`;
    try {
      const error = await call(endpoints.listOrders).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ name: 'NETWORK', status: 0, code: 0 });
      // A GET is kept simple and sends no id; with no answer there is none to read back.
      expect((error as ApiError).requestId).toBeUndefined();

      // A write sends its id, so even an unanswered one can be named.
      const write = await call(endpoints.createOrder, {
        body: { customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] },
      }).catch((thrown: unknown) => thrown);
      expect(write).toMatchObject({ name: 'NETWORK', status: 0, code: 0 });
      expect((write as ApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      apiClient.defaults.baseURL = baseURL;
    }
  });
});
