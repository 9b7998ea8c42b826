import {
  type ApiCallSample,
  ErrorEnvelope,
  RUM_MAX_BATCH_BYTES,
  RUM_MAX_SAMPLES_PER_BATCH,
  type RumBatch,
  RumReceiptEnvelope,
  type WebVitalSample,
} from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../../test/api-server.js';
import { http1Request, type TestRequest } from '../../../test/clients.js';
import { metricSum } from '../../../test/metric-samples.js';

const started = useStartedApi();

const lcp: WebVitalSample = { type: 'web-vital', name: 'LCP', value: 1234, rating: 'good', page: 'orders' };
const cls: WebVitalSample = { type: 'web-vital', name: 'CLS', value: 0.05, rating: 'good', page: 'order' };
const apiCall: ApiCallSample = {
  type: 'api-call',
  route: '/api/v1/orders/:id',
  method: 'GET',
  status: 200,
  requestId: 'rum-test-1',
  protocol: 'h2',
  page: 'order',
  durationMs: 42,
  phases: { dnsMs: 1, connectMs: 8, tlsMs: 5, requestMs: 20, responseMs: 2 },
  server: { appMs: 12.5, dbMs: 3.25 },
  attempt: 2,
};
const batch: RumBatch = { app: 'web@test', samples: [lcp, cls, apiCall] };

const post = (body: string, contentType = 'text/plain'): TestRequest => ({
  method: 'POST',
  path: '/api/v1/rum',
  headers: { 'content-type': contentType },
  body,
});

async function scrape(): Promise<string> {
  const res = await started.client.request({ path: '/metrics' });
  expect(res.status).toBe(200);
  return res.text;
}

async function expectError(request: TestRequest, status: number, error: string) {
  const res = await started.client.request(request);
  expect(res.status, res.text).toBe(status);
  const body = ErrorEnvelope.parse(res.json());
  expect(body.data.error).toBe(error);
  expect(body.data.requestId).toBe(res.headers['x-request-id']);
  return body;
}

const issuePaths = (body: ErrorEnvelope) => (body.data.issues ?? []).map((issue) => issue.path);

describe('POST /api/v1/rum', () => {
  it('records a text/plain beacon as tandem_rum_* series with the server route and version labels', async () => {
    const before = await scrape();
    const res = await started.client.request(post(JSON.stringify(batch)));
    expect(res.status, res.text).toBe(202);
    const receipt = RumReceiptEnvelope.parse(res.json());
    expect(receipt).toMatchObject({ code: 202, data: { accepted: 3 } });
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) =>
      metricSum(after, name, labels) - metricSum(before, name, labels);
    const route = { route: '/api/v1/orders/:id', version: 'v1' };

    expect(delta('tandem_rum_samples_total', { type: 'web-vital' })).toBe(2);
    expect(delta('tandem_rum_samples_total', { type: 'api-call' })).toBe(1);
    expect(delta('tandem_rum_web_vital_seconds_count', { name: 'LCP', page: 'orders' })).toBe(1);
    expect(delta('tandem_rum_web_vital_seconds_sum', { name: 'LCP', page: 'orders' })).toBeCloseTo(1.234, 6);
    expect(delta('tandem_rum_cls_score_sum', { page: 'order' })).toBeCloseTo(0.05, 6);
    expect(metricSum(after, 'tandem_rum_web_vital_seconds_count', { name: 'CLS' })).toBe(0);
    const call = { ...route, method: 'GET', status_class: '2xx', protocol: 'h2' };
    expect(delta('tandem_rum_api_call_duration_seconds_count', call)).toBe(1);
    expect(delta('tandem_rum_api_call_duration_seconds_sum', call)).toBeCloseTo(0.042, 6);
    for (const [phase, seconds] of [
      ['dns', 0.001],
      ['connect', 0.008],
      ['tls', 0.005],
      ['request', 0.02],
      ['response', 0.002],
    ] as const) {
      expect(delta('tandem_rum_api_call_phase_seconds_sum', { ...route, phase }), phase).toBeCloseTo(seconds, 6);
    }
    expect(delta('tandem_rum_server_timing_seconds_sum', { ...route, metric: 'app' })).toBeCloseTo(0.0125, 6);
    expect(delta('tandem_rum_server_timing_seconds_sum', { ...route, metric: 'db' })).toBeCloseTo(0.00325, 6);
    expect(delta('tandem_rum_api_retries_total', route)).toBe(1);
  });

  it('uses the same route and version label values as the server histogram', async () => {
    await started.client.request({ path: '/api/v1/orders?limit=1' });
    const orders: ApiCallSample = { ...apiCall, route: '/api/v1/orders', attempt: 1 };
    expect((await started.client.request(post(JSON.stringify({ app: 'web', samples: [orders] })))).status).toBe(202);
    const text = await scrape();
    const labels = { route: '/api/v1/orders', version: 'v1', method: 'GET', status_class: '2xx', protocol: 'h2' };
    expect(metricSum(text, 'tandem_http_request_duration_seconds_count', labels)).toBeGreaterThan(0);
    expect(metricSum(text, 'tandem_rum_api_call_duration_seconds_count', labels)).toBeGreaterThan(0);
  });

  it('starts every route retry counter at 0', async () => {
    expect(await scrape()).toContain('tandem_rum_api_retries_total{route="/api/v1/limits",version="v1"} 0');
  });

  it('labels a call that got no answer (status 0) status_class="none"', async () => {
    const failed: ApiCallSample = { ...apiCall, status: 0, protocol: 'unknown', phases: undefined, server: undefined };
    expect((await started.client.request(post(JSON.stringify({ app: 'web', samples: [failed] })))).status).toBe(202);
    const labels = { route: '/api/v1/orders/:id', status_class: 'none', protocol: 'unknown' };
    expect(metricSum(await scrape(), 'tandem_rum_api_call_duration_seconds_count', labels)).toBe(1);
  });

  it.each([
    ['application/json', 'application/json'],
    ['text/plain with a charset (a beacon of a string)', 'text/plain;charset=UTF-8'],
    ['application/json with a charset', 'application/json; charset=utf-8'],
  ])('accepts %s', async (_case, contentType) => {
    const res = await started.client.request(post(JSON.stringify({ app: 'web', samples: [lcp] }), contentType));
    expect(res.status, res.text).toBe(202);
    expect(RumReceiptEnvelope.parse(res.json()).data.accepted).toBe(1);
  });

  it('accepts a cross-origin beacon over HTTP/1.1 without a preflight', async () => {
    const res = await http1Request(started.api.origin, {
      ...post(JSON.stringify({ app: 'web', samples: [lcp] })),
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ALLOWED_ORIGIN },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['application/json', 'application/json'],
  ])('refuses malformed JSON sent as %s with 400 MALFORMED_JSON', async (_case, contentType) => {
    const body = await expectError(post('{"app": "web", samples: [}', contentType), 400, 'MALFORMED_JSON');
    expect(body.code).toBe(40002);
  });

  it.each(['text/plain', 'application/json'])('refuses an empty %s body with 400 EMPTY_BODY', async (type) => {
    await expectError(post('', type), 400, 'EMPTY_BODY');
  });

  it.each([
    ['an unknown page', { ...lcp, page: 'checkout' }, 'body.samples.0.page'],
    ['an unknown web vital', { ...lcp, name: 'FID' }, 'body.samples.0.name'],
    ['an unknown route', { ...apiCall, route: '/api/v1/orders/42' }, 'body.samples.0.route'],
    ['an unknown field', { ...apiCall, userAgent: 'x' }, 'body.samples.0.userAgent'],
    ['an unknown phase', { ...apiCall, phases: { ...apiCall.phases, queueMs: 1 } }, 'body.samples.0.phases.queueMs'],
    ['an unknown sample type', { ...lcp, type: 'long-task' }, 'body.samples.0.type'],
    ['a negative duration', { ...apiCall, durationMs: -1 }, 'body.samples.0.durationMs'],
    ['a bad request id', { ...apiCall, requestId: 'has spaces' }, 'body.samples.0.requestId'],
  ])('refuses %s with a 400 naming the field', async (_case, sample, path) => {
    const body = await expectError(post(JSON.stringify({ app: 'web', samples: [sample] })), 400, 'VALIDATION_FAILED');
    expect(issuePaths(body)).toEqual([path]);
    expect(body.message).toContain(path);
  });

  it('refuses an unknown top-level field, no samples, and too many samples, naming each', async () => {
    const extra = await expectError(post(JSON.stringify({ ...batch, user: 'ada' })), 400, 'VALIDATION_FAILED');
    expect(issuePaths(extra)).toEqual(['body.user']);
    const empty = await expectError(post(JSON.stringify({ app: 'web', samples: [] })), 400, 'VALIDATION_FAILED');
    expect(issuePaths(empty)).toEqual(['body.samples']);
    const many = Array.from({ length: RUM_MAX_SAMPLES_PER_BATCH + 1 }, () => lcp);
    const tooMany = await expectError(post(JSON.stringify({ app: 'web', samples: many })), 400, 'VALIDATION_FAILED');
    expect(issuePaths(tooMany)).toEqual(['body.samples']);
  });

  it('records nothing from a batch it refuses', async () => {
    const before = metricSum(await scrape(), 'tandem_rum_samples_total', {});
    await expectError(
      post(JSON.stringify({ app: 'web', samples: [lcp, { ...lcp, page: 'x' }] })),
      400,
      'VALIDATION_FAILED',
    );
    expect(metricSum(await scrape(), 'tandem_rum_samples_total', {})).toBe(before);
  });

  it('refuses a body over RUM_MAX_BATCH_BYTES (below the app-wide limit) with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ app: 'x'.repeat(RUM_MAX_BATCH_BYTES), samples: [lcp] });
    expect(big.length).toBeLessThan(started.api.app.initialConfig.bodyLimit ?? 0);
    const body = await expectError(post(big), 413, 'PAYLOAD_TOO_LARGE');
    expect(body.code).toBe(41301);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'app=web'],
    ['application/xml', '<rum/>'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('refuses content type %s with 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, payload) => {
    await expectError(post(payload, contentType), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps text/plain refused on every other route', async () => {
    const res = await started.client.request({
      method: 'POST',
      path: '/api/v1/orders',
      headers: { 'content-type': 'text/plain' },
      body: '{"customer":"Ada","items":[]}',
    });
    expect(res.status).toBe(415);
  });
});
