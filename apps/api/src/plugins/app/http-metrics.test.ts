import { randomUUID } from 'node:crypto';
import { OrderPageEnvelope } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../../test/api-server.js';
import { EventStreamReader, eventually, http1Request } from '../../../test/clients.js';
import { metricSample } from '../../../test/metric-samples.js';
import { statusClassOf, versionOf } from './http-metrics.js';

const started = useStartedApi({
  h1: true,
  beforeListen: (app) => {
    app.get('/test/boom', async () => {
      throw new Error('boom');
    });
  },
});

async function scrape(): Promise<string> {
  const res = await started.client.request({ path: '/metrics' });
  expect(res.status).toBe(200);
  return res.text;
}

async function inFlight(): Promise<number> {
  const { values } = await started.api.app.metrics.httpRequestsInFlight.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

describe('label helpers', () => {
  it('takes the version from the route pattern and the class from the status', () => {
    expect(versionOf('/api/v1/orders/:id')).toBe('v1');
    expect(versionOf('/healthz')).toBe('none');
    expect(versionOf('unmatched')).toBe('none');
    expect([100, 204, 304, 404, 500, 599].map(statusClassOf)).toEqual(['1xx', '2xx', '3xx', '4xx', '5xx', '5xx']);
  });
});

describe('HTTP RED metrics', () => {
  it('labels a request by its route pattern, never by the raw id', async () => {
    const list = OrderPageEnvelope.parse((await started.client.request({ path: '/api/v1/orders?limit=1' })).json());
    const id = list.data.items[0]?.id;
    expect(id).toBeDefined();
    expect((await started.client.request({ path: `/api/v1/orders/${id}` })).status).toBe(200);
    const missing = randomUUID();
    expect((await started.client.request({ path: `/api/v1/orders/${missing}` })).status).toBe(404);

    const text = await scrape();
    const labels = { route: '/api/v1/orders/:id', method: 'GET', version: 'v1', protocol: 'h2' };
    expect(metricSample(text, 'tandem_http_requests_total', { ...labels, status_class: '2xx' })).toBe(1);
    expect(metricSample(text, 'tandem_http_requests_total', { ...labels, status_class: '4xx' })).toBe(1);
    expect(metricSample(text, 'tandem_http_request_duration_seconds_count', { ...labels, status_class: '2xx' })).toBe(
      1,
    );
    expect(
      metricSample(text, 'tandem_http_request_duration_seconds_bucket', { ...labels, status_class: '2xx', le: '+Inf' }),
    ).toBe(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain(missing);
    expect(text).not.toContain('limit=1');
  });

  it('puts unmatched URLs under one label and sorts status classes', async () => {
    expect((await started.client.request({ path: `/no/such/${randomUUID()}` })).status).toBe(404);
    expect((await started.client.request({ path: '/test/boom' })).status).toBe(500);
    expect((await started.client.request({ path: '/healthz' })).status).toBe(200);

    const text = await scrape();
    expect(
      metricSample(text, 'tandem_http_requests_total', { route: 'unmatched', status_class: '4xx', version: 'none' }),
    ).toBe(1);
    expect(metricSample(text, 'tandem_http_requests_total', { route: '/test/boom', status_class: '5xx' })).toBe(1);
    expect(
      metricSample(text, 'tandem_http_requests_total', { route: '/healthz', status_class: '2xx', version: 'none' }),
    ).toBe(1);
    expect(text).not.toContain('/no/such');
  });

  it('tells HTTP/2 from HTTP/1.1, on both listeners', async () => {
    const res = await http1Request(started.api.origin, { path: '/readyz' });
    expect(res.alpnProtocol).toBe('http/1.1');
    expect((await http1Request(started.api.h1Origin ?? '', { path: '/readyz' })).status).toBe(200);
    expect((await started.client.request({ path: '/readyz' })).status).toBe(200);

    const text = await scrape();
    expect(metricSample(text, 'tandem_http_requests_total', { route: '/readyz', protocol: 'http/1.1' })).toBe(2);
    expect(metricSample(text, 'tandem_http_requests_total', { route: '/readyz', protocol: 'h2' })).toBe(1);
  });

  it('counts scrapes and event streams but keeps them out of the histogram and the in-flight gauge', async () => {
    const stream = await EventStreamReader.overHttp2(started.client).open();
    expect(stream.status).toBe(200);
    expect(await inFlight()).toBe(0);
    stream.close();
    const streams = () =>
      started.api.app.metrics.httpRequestsTotal
        .get()
        .then(({ values }) => values.find((value) => value.labels.route === '/api/v1/events')?.value);
    expect(await eventually(streams, 1)).toBe(1);

    const text = await scrape();
    expect(metricSample(text, 'tandem_http_requests_total', { route: '/api/v1/events', status_class: '2xx' })).toBe(1);
    expect(
      metricSample(text, 'tandem_http_requests_total', { route: '/metrics', status_class: '2xx' }),
    ).toBeGreaterThan(0);
    expect(text).not.toMatch(/tandem_http_request_duration_seconds_count\{[^}]*route="\/metrics"/);
    expect(text).not.toMatch(/tandem_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/events"/);
  });

  it('brings the in-flight gauge back to 0', async () => {
    await Promise.all(Array.from({ length: 20 }, () => started.client.request({ path: '/api/v1/orders?limit=2' })));
    expect(await eventually(inFlight, 0)).toBe(0);
    const text = await scrape();
    expect(metricSample(text, 'tandem_http_requests_in_flight', { protocol: 'h2' })).toBe(0);
    expect(metricSample(text, 'tandem_http_requests_in_flight', { protocol: 'http/1.1' })).toBe(0);
  });
});

describe('database metrics', () => {
  it('times queries by name and reports the PGlite connection', async () => {
    expect((await started.client.request({ path: '/api/v1/orders?limit=3' })).status).toBe(200);
    const text = await scrape();
    // sessions.create, not sessions.find: the session lookups cache answers this client's session from memory.
    for (const query of ['orders.list_owned_first', 'orders.get', 'sessions.create', 'health.ready']) {
      expect(metricSample(text, 'tandem_db_query_duration_seconds_count', { query, db: 'pglite' })).toBeGreaterThan(0);
    }
    expect(metricSample(text, 'tandem_db_pool_connections', { state: 'total' })).toBe(1);
    expect(metricSample(text, 'tandem_db_pool_connections', { state: 'waiting' })).toBe(0);
  });

  it('starts the rate-limit counter at 0 for API routes', async () => {
    const text = await scrape();
    expect(metricSample(text, 'tandem_rate_limit_rejections_total', { route: '/api/v1/orders/:id' })).toBe(0);
  });
});
