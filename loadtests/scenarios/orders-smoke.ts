// The orders journey: list a page, open an order, create one, read it back.
// k6 run scenarios/orders-smoke.ts            (smoke: 1 VU, 10 iterations)
// k6 run -e PROFILE=load scenarios/orders-smoke.ts
import { group } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { checkEnvelope, newRequestId } from '../lib/checks.ts';
import { config } from '../lib/config.ts';
import { profile } from '../lib/profiles.ts';

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true, // the development certificate is self-signed
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{route:/api/v1/orders}': ['p(95)<300', 'p(99)<500'],
    'http_req_duration{route:/api/v1/orders/:id}': ['p(95)<200', 'p(99)<400'],
    checks: ['rate>0.99'],
  },
};

type Order = { id: string; total: number };

function request(method: 'GET' | 'POST', path: string, route: string, body?: object) {
  const requestId = newRequestId();
  const res = http.request(method, `${config.baseUrl}${path}`, body ? JSON.stringify(body) : null, {
    headers: { 'X-Request-ID': requestId, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    tags: { route, name: `${method} ${route}` },
  });
  return { res, requestId };
}

export default function ordersJourney() {
  let firstId: string | undefined;
  group('browse orders', () => {
    const { res, requestId } = request('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
    const page = checkEnvelope(res, 200, requestId)?.data as { items: Order[] } | undefined;
    firstId = page?.items[0]?.id;
  });
  if (firstId) {
    group('open an order', () => {
      const { res, requestId } = request('GET', `/api/v1/orders/${firstId}`, '/api/v1/orders/:id');
      checkEnvelope(res, 200, requestId);
    });
  }
  group('create an order', () => {
    const { res, requestId } = request('POST', '/api/v1/orders', '/api/v1/orders', {
      customer: `k6 VU ${__VU}`,
      items: [
        { sku: 'TEA-OOLONG-250', qty: 2, price: 12.5 },
        { sku: 'CUP-CLAY-01', qty: 1, price: 8.99 },
      ],
    });
    const created = checkEnvelope(res, 201, requestId)?.data as Order | undefined;
    if (created) {
      const readBack = request('GET', `/api/v1/orders/${created.id}`, '/api/v1/orders/:id');
      checkEnvelope(readBack.res, 200, readBack.requestId);
    }
  });
}
