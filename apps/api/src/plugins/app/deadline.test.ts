import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorEnvelope, LimitsEnvelope, OrdersReportEnvelope, REQUEST_TIMEOUT_HEADER } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';
import { TEMPLATE_SEED_ORDERS } from '../../../test/pglite-template.js';
import { QueryAbortedError } from '../../db/query-aborted-error.js';

const DEFAULT_MS = 1500;
const MAX_MS = 4000;
/** How long the orders report takes in these tests: longer than any deadline a test below lets a request have. */
const SLOW_REPORT_MS = 2500;

let api: StartedApi;
let client: H2Client;
/** Per request id: how many times a response left (onSend) for the test routes. */
const sends = new Map<string, number>();
/** Resolves test handlers that wait for the test to let them finish. */
const release = new Map<string, () => void>();
const seen = new Map<string, { aborted: boolean; reason: unknown }>();

/**
 * Test-only routes, added before listen, so the plugin binds them like any /api/ route; and
 * a slow orders report: the real one, after SLOW_REPORT_MS that its deadline's signal cuts short.
 */
function testRoutes(app: FastifyInstance) {
  const reports = app.reportsRepository;
  app.reportsRepository = {
    ...reports,
    async ordersReport(options) {
      await sleep(SLOW_REPORT_MS, undefined, { signal: options?.signal });
      return reports.ordersReport(options);
    },
  };
  app.get('/api/test/deadline', async (request) => ({ timeoutMs: request.deadline.timeoutMs }));
  // Answers only when the test says so (or the signal aborts), then reports what it saw.
  app.get('/api/test/hold', async (request) => {
    const id = request.id;
    await new Promise<void>((resolve) => {
      release.set(id, resolve);
      request.deadline.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    seen.set(id, { aborted: request.deadline.signal.aborted, reason: request.deadline.signal.reason });
    await new Promise<void>((resolve) => release.set(id, resolve));
    return { finished: true };
  });
  // Waits past its deadline, then asks the database: PGlite refuses the query before it starts.
  app.get('/api/test/late-query', async (request) => {
    await sleep(request.deadline.timeoutMs + 50);
    try {
      await app.db.query('test.late', 'SELECT 1', [], request.deadline);
      seen.set(request.id, { aborted: false, reason: undefined });
    } catch (error) {
      seen.set(request.id, { aborted: true, reason: error });
    }
    return { finished: true };
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.url.startsWith('/api/test/')) sends.set(request.id, (sends.get(request.id) ?? 0) + 1);
    done(null, payload);
  });
}

beforeAll(async () => {
  api = await startApi({
    role: 'admin',
    env: {
      REQUEST_TIMEOUT_DEFAULT_MS: String(DEFAULT_MS),
      REQUEST_TIMEOUT_MAX_MS: String(MAX_MS),
    },
    beforeListen: testRoutes,
  });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  for (const resolve of release.values()) resolve();
  await client?.close();
  await api?.close();
});

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = api.app.metrics.registry.getSingleMetric(name);
  const { values } = (await metric?.get()) ?? { values: [] };
  const found = values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label));
  return found?.value ?? 0;
}

async function timeoutOf(header?: string): Promise<number> {
  const res = await client.request({
    path: '/api/test/deadline',
    headers: header === undefined ? {} : { [REQUEST_TIMEOUT_HEADER]: header },
  });
  expect(res.status, res.text).toBe(200);
  return (res.json() as { data: { timeoutMs: number } }).data.timeoutMs;
}

/** Waits until `check` holds; the bound is generous, the condition is what is asserted. */
async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('X-Request-Timeout', () => {
  it('gives a request without the header the configured default', async () => {
    expect(await timeoutOf()).toBe(DEFAULT_MS);
  });

  it('takes the caller’s deadline in whole milliseconds', async () => {
    expect(await timeoutOf('800')).toBe(800);
  });

  it('clamps a deadline above REQUEST_TIMEOUT_MAX_MS to it instead of refusing it', async () => {
    expect(await timeoutOf(String(MAX_MS + 1))).toBe(MAX_MS);
    expect(await timeoutOf('99999999')).toBe(MAX_MS);
  });

  it.each(['abc', '0', '-5', '1.5', '800ms', '1e3', '0800', '123456789'])(
    'refuses %j with a 400 naming headers.x-request-timeout',
    async (value) => {
      const res = await client.request({ path: '/api/v1/orders', headers: { [REQUEST_TIMEOUT_HEADER]: value } });
      expect(res.status, res.text).toBe(400);
      const body = ErrorEnvelope.parse(res.json());
      expect(body.data.error).toBe('VALIDATION_FAILED');
      expect(body.data.issues?.map((issue) => issue.path)).toEqual(['headers.x-request-timeout']);
      expect(body.message).toContain('headers.x-request-timeout');
    },
  );

  it('does not apply to the probes, /metrics or the event stream', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await client.request({ path, headers: { [REQUEST_TIMEOUT_HEADER]: 'abc' } });
      expect(res.status, path).toBe(200);
    }
  });

  it('is allowed by CORS, so the SPA can send it', async () => {
    const res = await client.request({
      method: 'OPTIONS',
      path: '/api/v1/orders',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': REQUEST_TIMEOUT_HEADER,
      },
    });
    expect(String(res.headers['access-control-allow-headers'])).toContain(REQUEST_TIMEOUT_HEADER);
  });

  it('is published with its default and maximum on GET /api/v1/limits', async () => {
    const res = await client.request({ path: '/api/v1/limits' });
    expect(res.status, res.text).toBe(200);
    expect(LimitsEnvelope.parse(res.json()).data.deadlines).toEqual({
      header: REQUEST_TIMEOUT_HEADER,
      defaultMs: DEFAULT_MS,
      maxMs: MAX_MS,
    });
  });
});

describe('the deadline', () => {
  it('answers 504 DEADLINE_EXCEEDED when the slow report runs past it, and counts it', async () => {
    const route = '/api/v1/reports/orders';
    const before = await metricValue('tandem_deadline_exceeded_total', { route });
    const res = await client.request({ path: route, headers: { [REQUEST_TIMEOUT_HEADER]: '200' } });
    expect(res.status, res.text).toBe(504);
    const body = ErrorEnvelope.parse(res.json());
    expect(body).toMatchObject({ code: 50401, data: { error: 'DEADLINE_EXCEEDED' } });
    expect(body.data.requestId).toBe(res.headers['x-request-id']);
    expect(body.message).toContain('200 ms');
    expect(await metricValue('tandem_deadline_exceeded_total', { route })).toBe(before + 1);
  });

  it('applies the default when no header is sent', async () => {
    const res = await client.request({ path: '/api/v1/reports/orders' });
    expect(res.status, res.text).toBe(504);
    expect(ErrorEnvelope.parse(res.json()).message).toContain(`${DEFAULT_MS} ms`);
  });

  it('answers exactly once: a handler that finishes after the deadline sends nothing more', async () => {
    const res = await client.request({ path: '/api/test/hold', headers: { [REQUEST_TIMEOUT_HEADER]: '100' } });
    expect(res.status, res.text).toBe(504);
    const id = String(res.headers['x-request-id']);
    // The handler saw its signal abort with the deadline's reason, then finishes late.
    await eventually(() => seen.has(id));
    expect(seen.get(id)).toMatchObject({ aborted: true, reason: expect.objectContaining({ name: 'TimeoutError' }) });
    release.get(id)?.();
    await sleep(100);
    expect(sends.get(id)).toBe(1);
    // The connection is still good for the next request.
    expect((await client.request({ path: '/api/test/deadline' })).status).toBe(200);
  });

  it('aborts the signal when the client goes away', async () => {
    const before = new Set(release.keys());
    const stream = client.session.request({
      ':method': 'GET',
      ':path': '/api/test/hold',
      [REQUEST_TIMEOUT_HEADER]: '3000',
    });
    stream.on('error', () => {});
    await eventually(() => release.size > before.size);
    const id = [...release.keys()].find((key) => !before.has(key)) as string;
    stream.close();
    await eventually(() => seen.has(id));
    expect(seen.get(id)).toMatchObject({ aborted: true, reason: expect.objectContaining({ name: 'AbortError' }) });
    release.get(id)?.();
  });

  it('makes PGlite refuse a query that would start after the deadline (it cannot stop a running one)', async () => {
    const before = await metricValue('tandem_db_queries_cancelled_total', { db: 'pglite', stage: 'not_started' });
    const res = await client.request({ path: '/api/test/late-query', headers: { [REQUEST_TIMEOUT_HEADER]: '100' } });
    expect(res.status, res.text).toBe(504);
    const id = String(res.headers['x-request-id']);
    await eventually(() => seen.has(id));
    const { reason } = seen.get(id) ?? {};
    expect(reason).toBeInstanceOf(QueryAbortedError);
    expect((reason as QueryAbortedError).stage).toBe('not_started');
    expect(await metricValue('tandem_db_queries_cancelled_total', { db: 'pglite', stage: 'not_started' })).toBe(
      before + 1,
    );
    expect(sends.get(id)).toBe(1);
  });
});

describe('app.deadlinePolicy { enforce: false }', () => {
  it('ignores the caller’s deadline: no 504, the slow report runs to completion and is answered late', async () => {
    const route = '/api/v1/reports/orders';
    api.app.deadlinePolicy.set({ enforce: false });
    try {
      const before = await metricValue('tandem_deadline_exceeded_total', { route });
      const cancelled = await metricValue('tandem_db_queries_cancelled_total', { db: 'pglite', stage: 'not_started' });
      const res = await client.request({ path: route, headers: { [REQUEST_TIMEOUT_HEADER]: '200' } });
      expect(res.status, res.text).toBe(200);
      const { rows } = OrdersReportEnvelope.parse(res.json()).data;
      expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(TEMPLATE_SEED_ORDERS);
      expect(await metricValue('tandem_deadline_exceeded_total', { route })).toBe(before);
      expect(await metricValue('tandem_db_queries_cancelled_total', { db: 'pglite', stage: 'not_started' })).toBe(
        cancelled,
      );
    } finally {
      api.app.deadlinePolicy.set({ enforce: true });
    }
  });

  it('still refuses a malformed X-Request-Timeout with a 400', async () => {
    api.app.deadlinePolicy.set({ enforce: false });
    try {
      const res = await client.request({ path: '/api/v1/orders', headers: { [REQUEST_TIMEOUT_HEADER]: '800ms' } });
      expect(res.status, res.text).toBe(400);
      expect(ErrorEnvelope.parse(res.json()).data.issues?.map((issue) => issue.path)).toEqual([
        'headers.x-request-timeout',
      ]);
    } finally {
      api.app.deadlinePolicy.set({ enforce: true });
    }
  });
});

describe('GET /api/v1/reports/orders', () => {
  let fast: StartedApi;
  let fastClient: H2Client;

  beforeAll(async () => {
    fast = await startApi({ role: 'admin' });
    fastClient = new H2Client(fast.origin, fast.signedIn);
  });

  afterAll(async () => {
    await fastClient?.close();
    await fast?.close();
  });

  it('sums every order by UTC day and status', async () => {
    const res = await fastClient.request({ path: '/api/v1/reports/orders' });
    expect(res.status, res.text).toBe(200);
    const { rows } = OrdersReportEnvelope.parse(res.json()).data;
    expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(TEMPLATE_SEED_ORDERS);
    for (const row of rows) {
      expect(row.day.toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(row.revenue).toBeGreaterThan(0);
    }
    const days = rows.map((row) => row.day.getTime());
    expect(days).toEqual([...days].sort((a, b) => b - a));
  });
});
