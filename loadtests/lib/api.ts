import http from 'k6/http';
import { newRequestId } from './checks.ts';
import { config } from './config.ts';
import { sessionHeaders } from './session.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

/** Where a call goes and what it adds: another origin (the HTTP/1.1 listener), headers, a status callback. */
export interface CallOptions {
  origin?: string;
  headers?: Record<string, string>;
  responseCallback?: ReturnType<typeof http.expectedStatuses>;
}

/**
 * One API call as every scenario makes it: the scenario's session (lib/session.ts), an `X-Request-ID` the API logs and echoes,
 * JSON in, and a `route` tag with the route pattern (never the raw URL) so thresholds
 * and dashboards group by route.
 */
export function callApi(method: Method, path: string, route: string, body?: object, options: CallOptions = {}) {
  const requestId = newRequestId();
  const res = http.request(method, `${options.origin ?? config.baseUrl}${path}`, body ? JSON.stringify(body) : null, {
    headers: {
      'X-Request-ID': requestId,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...sessionHeaders(),
      ...options.headers,
    },
    tags: { route, name: `${method} ${route}` },
    ...(options.responseCallback ? { responseCallback: options.responseCallback } : {}),
  });
  return { res, requestId };
}

/** A plausible order for the create journeys. */
export function sampleOrder() {
  return {
    customer: `k6 VU ${__VU}`,
    items: [
      { sku: 'TEA-OOLONG-250', qty: 1 + (__ITER % 3), price: 12.5 },
      { sku: 'CUP-CLAY-01', qty: 1, price: 8.99 },
    ],
  };
}
