// Lab cors-preflight at protocol level: what a browser's CORS preflight cache makes of
// each setting. k6 is no browser, so each VU plays one: before a non-simple call it looks
// in its own preflight cache (keyed by method + URL, as Chromium's is per URL), sends the
// OPTIONS when the entry is missing, expired or does not allow the headers, and caches the
// answer for its Access-Control-Max-Age (5 s without one, capped at 2 h as Chromium does).
// k6 run -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/cors-preflight.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/cors-preflight.ts
//
// The server's half is real (the switch decides max-age and the allowed headers); the
// client's half follows LAB_MODE as the SPA does (apps/web/src/labs/simple-requests.ts):
// naive GETs carry X-Request-ID and X-Request-Timeout, tuned GETs carry none. Per
// iteration: the list, one order's page (a different id each time) and, every 5th, a
// create. tandem_k6_cors_preflights_per_call is the lab's figure.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { sampleOrder } from '../../lib/api.ts';
import { checkEnvelope, newRequestId } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { commonThresholds } from '../../lib/thresholds.ts';

const DEFAULT_MAX_AGE_S = 5;
const CHROMIUM_MAX_AGE_CAP_S = 7_200;

const preflightsPerCall = new Rate('tandem_k6_cors_preflights_per_call');
const preflightMs = new Trend('tandem_k6_cors_preflight_ms', true);
const preflightRefused = new Counter('tandem_k6_cors_preflight_refused');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('cors-preflight'),
  thresholds: {
    ...commonThresholds,
    tandem_k6_cors_preflight_refused: ['count==0'],
    // Tuned: only the creates' URL needs one, once per VU per 2 h.
    ...(config.labMode === 'tuned' ? { tandem_k6_cors_preflights_per_call: ['rate<0.05'] } : {}),
  },
};

interface CorsSetup extends LabSetupData {
  ids: string[];
}

export function setup(): CorsSetup {
  const lab = switchLab('cors-preflight');
  const page = http.get(`${config.baseUrl}/api/v1/orders?limit=100`, {
    tags: { route: '/api/v1/orders', name: 'GET /api/v1/orders' },
  });
  const ids = ((page.json('data.items') as { id: string }[] | undefined) ?? []).map((order) => order.id);
  if (ids.length === 0) throw new Error('No orders to visit: seed the database (SEED_ORDERS)');
  return { ...lab, ids };
}

/** This VU's preflight cache: method + URL → when it expires and the headers it allows. */
const cache = new Map<string, { expiresAt: number; allowed: Set<string> }>();

/** Sends the preflight the VU's cache does not cover; returns whether it sent one. */
function preflightFor(method: string, url: string, route: string, headers: Record<string, string>): boolean {
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  const key = `${method} ${url}`;
  const entry = cache.get(key);
  if (entry && entry.expiresAt > Date.now() && names.every((name) => entry.allowed.has(name))) return false;
  const res = http.options(url, null, {
    headers: {
      Origin: config.webOrigin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': names.sort().join(','),
    },
    tags: { route, name: `OPTIONS ${route}` },
  });
  preflightMs.add(res.timings.duration);
  const allowOrigin = res.headers['Access-Control-Allow-Origin'];
  const allowed = new Set(
    String(res.headers['Access-Control-Allow-Headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  if (allowOrigin !== config.webOrigin || !names.every((name) => allowed.has(name))) preflightRefused.add(1);
  const maxAge = Number(res.headers['Access-Control-Max-Age'] ?? DEFAULT_MAX_AGE_S);
  cache.set(key, { expiresAt: Date.now() + 1000 * Math.min(maxAge, CHROMIUM_MAX_AGE_CAP_S), allowed });
  return true;
}

/** One API call as the SPA makes it in LAB_MODE, preceded by a preflight when the VU's cache says so. */
function apiCall(method: 'GET' | 'POST', path: string, route: string, body?: object) {
  const url = `${config.baseUrl}${path}`;
  const requestId = newRequestId();
  const custom: Record<string, string> =
    method === 'GET' && config.labMode === 'tuned'
      ? {}
      : {
          'X-Request-ID': requestId,
          'X-Request-Timeout': '8000',
          ...(body ? { 'Content-Type': 'application/json', 'Idempotency-Key': newRequestId() } : {}),
        };
  const nonSimple = Object.keys(custom).length > 0;
  preflightsPerCall.add(nonSimple && preflightFor(method, url, route, custom));
  const res = http.request(method, url, body ? JSON.stringify(body) : null, {
    headers: { Origin: config.webOrigin, ...custom },
    tags: { route, name: `${method} ${route}` },
  });
  // Tuned GETs send no id: the API makes one and echoes it.
  const id = String(res.headers['X-Request-Id'] ?? requestId);
  check(res, { 'the API echoes a request id': (r) => typeof r.headers['X-Request-Id'] === 'string' });
  return { res, requestId: id };
}

export default function corsPreflightLab(data: CorsSetup) {
  const list = apiCall('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
  checkEnvelope(list.res, 200, list.requestId);
  const id = data.ids[(__VU * 7919 + __ITER) % data.ids.length];
  const order = apiCall('GET', `/api/v1/orders/${id}`, '/api/v1/orders/:id');
  checkEnvelope(order.res, 200, order.requestId);
  if (__ITER % 5 === 4) {
    const created = apiCall('POST', '/api/v1/orders', '/api/v1/orders', sampleOrder());
    checkEnvelope(created.res, 201, created.requestId);
  }
  sleep(0.2);
}

export function teardown(data: CorsSetup) {
  restoreLab('cors-preflight', data);
}
