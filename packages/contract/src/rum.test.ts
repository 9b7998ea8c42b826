import { describe, expect, it } from 'vitest';
import type { Endpoint } from './endpoint.js';
import { coreEndpoints } from './endpoints.js';
import { endpointsV2 } from './endpoints-v2.js';
import { RUM_API_ROUTES, RUM_MAX_SAMPLES_PER_BATCH, RumBatch } from './rum.js';

const apiCall = {
  type: 'api-call',
  route: '/api/v1/orders',
  method: 'GET',
  status: 200,
  requestId: '5f0c6a8e-1b7e-4e8e-9a57-2f3f1f7c9b10',
  protocol: 'h2',
  page: 'orders',
  durationMs: 12.5,
  phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, requestMs: 9.1, responseMs: 0.4 },
  server: { appMs: 3.2, dbMs: 1.1 },
  attempt: 1,
};
const webVital = { type: 'web-vital', name: 'LCP', value: 812, rating: 'good', page: 'orders' };

describe('RUM_API_ROUTES', () => {
  it("is exactly the product's JSON endpoints a browser calls", () => {
    const jsonApiPaths = Object.values({ ...coreEndpoints, ...endpointsV2 } as Record<string, Endpoint>)
      .filter((endpoint) => endpoint.path.startsWith('/api/') && !('produces' in endpoint))
      .filter((endpoint) => endpoint.path !== coreEndpoints.ingestRum.path)
      .map((endpoint) => endpoint.path);
    expect([...RUM_API_ROUTES].sort()).toEqual([...new Set(jsonApiPaths)].sort());
  });
});

describe('RumBatch', () => {
  it('takes web vitals and API calls', () => {
    const batch = RumBatch.parse({ app: 'web@0.1.0', samples: [apiCall, webVital] });
    expect(batch.samples.map((sample) => sample.type)).toEqual(['api-call', 'web-vital']);
  });

  it.each([
    ['an unknown page', { samples: [{ ...webVital, page: 'admin' }] }, 'samples.0.page'],
    ['an unknown metric', { samples: [{ ...webVital, name: 'FID' }] }, 'samples.0.name'],
    ['an unknown route', { samples: [{ ...apiCall, route: '/api/v1/orders/123' }] }, 'samples.0.route'],
    ['an unknown field', { samples: [{ ...apiCall, userAgent: 'x' }] }, 'samples.0'],
    ['a negative duration', { samples: [{ ...apiCall, durationMs: -1 }] }, 'samples.0.durationMs'],
    ['a bad request id', { samples: [{ ...apiCall, requestId: 'a b' }] }, 'samples.0.requestId'],
    ['no samples', { samples: [] }, 'samples'],
    ['too many samples', { samples: Array.from({ length: RUM_MAX_SAMPLES_PER_BATCH + 1 }, () => webVital) }, 'samples'],
  ])('rejects %s, naming the field', (_, batch, path) => {
    const result = RumBatch.safeParse({ app: 'web@0.1.0', ...batch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
