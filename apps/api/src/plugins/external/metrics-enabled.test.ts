import { OrderPageEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';

let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({ env: { METRICS_ENABLED: 'false' } });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

describe('METRICS_ENABLED=false', () => {
  it('serves the API without a /metrics route', async () => {
    const list = await client.request({ path: '/api/v1/orders?limit=2' });
    expect(list.status).toBe(200);
    expect(OrderPageEnvelope.parse(list.json()).data.items).toHaveLength(2);

    const scrape = await client.request({ path: '/metrics' });
    expect(scrape.status).toBe(404);
    expect(scrape.json()).toMatchObject({ data: { error: 'ROUTE_NOT_FOUND' } });
  });

  it('installs no per-request metric hooks and no Node default metrics', async () => {
    await client.request({ path: '/api/v1/orders?limit=1' });
    const total = await api.app.metrics.httpRequestsTotal.get();
    expect(total.values).toEqual([]);
    const names = (await api.app.metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).not.toContain('process_cpu_seconds_total');
    expect(names).toContain('tandem_http_requests_total');
  });
});
