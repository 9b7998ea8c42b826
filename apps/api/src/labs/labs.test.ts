import { ErrorEnvelope } from '@tandem/contract';
import { LAB_IDS, LabEnvelope, LabListEnvelope } from '@tandem/contract/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../test/api-server.js';
import { eventually, H2Client, type TestRequest } from '../../test/clients.js';

const TOKEN = 'admin-test-token';
let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({ env: { LABS_ENABLED: 'true', ADMIN_TOKEN: TOKEN, LAB_MODE_H2_SSE: 'naive' } });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

const setMode = (id: string, body: unknown, token: string | null = TOKEN): TestRequest => ({
  method: 'PUT',
  path: `/api/v1/admin/labs/${id}`,
  headers: token === null ? {} : { authorization: `Bearer ${token}` },
  body,
});

async function expectError(request: TestRequest, status: number, error: string, target = client) {
  const res = await target.request(request);
  expect(res.status, res.text).toBe(status);
  const body = ErrorEnvelope.parse(res.json());
  expect(body.data.error).toBe(error);
  return body;
}

async function metricsText(): Promise<string> {
  const res = await client.request({ path: '/metrics' });
  expect(res.status).toBe(200);
  return res.text;
}

describe('GET /api/v1/labs', () => {
  it('lists the catalogue with each lab’s mode (start values from LAB_MODE_*) and its docs page', async () => {
    const res = await client.request({ path: '/api/v1/labs' });
    expect(res.status).toBe(200);
    const { items } = LabListEnvelope.parse(res.json()).data;
    expect(items.map((lab) => lab.id)).toEqual(LAB_IDS);
    expect(items.find((lab) => lab.id === 'h2-sse')).toMatchObject({ mode: 'naive', docs: 'docs/labs/h2-sse.md' });
    expect(items.find((lab) => lab.id === 'heartbeat')?.mode).toBe('tuned');
    for (const lab of items) expect(lab.title && lab.naive && lab.tuned).toBeTruthy();
  });
});

describe('PUT /api/v1/admin/labs/:id', () => {
  it('flips a lab with the right token; GET and the metric show it', async () => {
    const res = await client.request(setMode('heartbeat', { mode: 'naive' }));
    expect(res.status, res.text).toBe(200);
    expect(LabEnvelope.parse(res.json()).data).toMatchObject({ id: 'heartbeat', mode: 'naive' });
    expect(api.app.labs.mode('heartbeat')).toBe('naive');
    const list = LabListEnvelope.parse((await client.request({ path: '/api/v1/labs' })).json()).data;
    expect(list.items.find((lab) => lab.id === 'heartbeat')?.mode).toBe('naive');
    const text = await metricsText();
    expect(text).toContain('tandem_lab_mode{lab="heartbeat",mode="naive"} 1');
    expect(text).toContain('tandem_lab_mode{lab="heartbeat",mode="tuned"} 0');

    await client.request(setMode('heartbeat', { mode: 'tuned' }));
    expect(await metricsText()).toContain('tandem_lab_mode{lab="heartbeat",mode="tuned"} 1');
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'nope'],
    ['a token with the right prefix', `${TOKEN}x`],
  ])('answers 401 UNAUTHORIZED to %s, before looking at the body', async (_case, token) => {
    await expectError(setMode('heartbeat', { mode: 'bogus' }, token), 401, 'UNAUTHORIZED');
    await expectError(
      { ...setMode('heartbeat', { mode: 'naive' }), headers: { authorization: TOKEN } },
      401,
      'UNAUTHORIZED',
    );
    expect(api.app.labs.mode('heartbeat')).toBe('tuned');
  });

  it('answers 400 naming body.mode for a mode that is neither naive nor tuned', async () => {
    const body = await expectError(setMode('heartbeat', { mode: 'fast' }), 400, 'VALIDATION_FAILED');
    expect(body.data.issues?.map((issue) => issue.path)).toEqual(['body.mode']);
  });

  it('answers 400 naming params.id for an unknown lab', async () => {
    const body = await expectError(setMode('no-such-lab', { mode: 'naive' }), 400, 'VALIDATION_FAILED');
    expect(body.data.issues?.map((issue) => issue.path)).toEqual(['params.id']);
  });

  it('answers 403 ADMIN_DISABLED when no ADMIN_TOKEN is configured, whatever the token', async () => {
    const closed = await startApi({ env: { LABS_ENABLED: 'true' } });
    const other = new H2Client(closed.origin, closed.signedIn);
    try {
      await expectError(setMode('heartbeat', { mode: 'naive' }), 403, 'ADMIN_DISABLED', other);
      expect(closed.app.labs.mode('heartbeat')).toBe('tuned');
    } finally {
      await other.close();
      await closed.close();
    }
  });
});

describe('GET /metrics with the lab layer', () => {
  it('is Prometheus text with the lab modes beside every Tandem series and the default Node metrics', async () => {
    const res = await client.request({ path: '/metrics' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).not.toMatch(/^\{/);
    for (const series of [
      'tandem_lab_mode{lab="h2-sse",mode="naive"} 1',
      'tandem_lab_mode{lab="leaks",mode="tuned"} 1',
      'tandem_sse_streams_open ',
      'tandem_ws_connections_open ',
      'tandem_connections_open{protocol="h2"} ',
      'tandem_connections_open{protocol="http/1.1"} ',
      'tandem_live_events_published_total{type="order.created"} ',
      'tandem_live_events_published_total{type="generator.tick"} ',
      'tandem_dead_peers_closed_total{channel="ws"} ',
      'tandem_dead_peers_closed_total{channel="h2"} ',
      'tandem_dead_peers_closed_total{channel="sse"} ',
      'tandem_active_handles ',
      'process_resident_memory_bytes ',
      'nodejs_eventloop_lag_seconds ',
    ]) {
      expect(res.text).toContain(series);
    }
    expect(
      await eventually(
        async () =>
          /tandem_connections_open\{protocol="h2"\} [1-9]/.test((await client.request({ path: '/metrics' })).text),
        true,
      ),
    ).toBe(true);
  });
});

describe('an API without the lab layer (LABS_ENABLED unset: the product)', () => {
  let product: StartedApi;
  let productClient: H2Client;

  beforeAll(async () => {
    product = await startApi({ env: { ADMIN_TOKEN: TOKEN, LAB_MODE_HEARTBEAT: 'naive' } });
    productClient = new H2Client(product.origin, product.signedIn);
  });

  afterAll(async () => {
    await productClient?.close();
    await product?.close();
  });

  it('has no lab routes: GET /api/v1/labs and PUT /api/v1/admin/labs/:id are 404s', async () => {
    await expectError({ path: '/api/v1/labs' }, 404, 'ROUTE_NOT_FOUND', productClient);
    await expectError(setMode('heartbeat', { mode: 'naive' }), 404, 'ROUTE_NOT_FOUND', productClient);
  });

  it('has no switches, no tandem_lab_mode, and ignores LAB_MODE_*: its settings are the product’s defaults', async () => {
    expect('labs' in product.app).toBe(false);
    const text = (await productClient.request({ path: '/metrics' })).text;
    expect(text).not.toContain('tandem_lab_mode');
    expect(product.app.heartbeatPolicy.get().wsPing).not.toBeNull();
  });
});
