import { randomUUID } from 'node:crypto';
import { connect } from 'node:http2';
import { request } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { MAX_BATCH_IDS, type RumApiRoute, type RumBatch, type RumSample } from '@tandem/contract';
import { createAdminClient, type RunningApi } from '@tandem/local-stack';
import WebSocket from 'ws';
import { apiCallSample, type MeasuredCall, pageViewVitals } from './rum-load-samples.js';

export interface ApiLoadSummary {
  h2: Record<number, number>;
  h1: Record<number, number>;
  /** Statuses of the RUM beacons (POST /api/v1/rum). */
  rum: Record<number, number>;
}

/**
 * A small, bounded load that touches every series the dashboards read: orders list and
 * get-by-id and a 404 over HTTP/2 and HTTP/1.1 (both listeners), an SSE stream and a
 * WebSocket held briefly, a lab flipped and flipped back, a burst of generated events; the
 * canary: version checks, v2 list calls beside v1's, three v2 calls failed on purpose
 * (v2FaultRate) and a rollback.
 * Every other round also beacons a RUM batch, as the SPA would: the calls it just made, timed
 * here (phases, Server-Timing read back, a retry every fifth round) and one page view's
 * (synthetic) web vitals, half as text/plain and half as application/json.
 */
export async function driveApiLoad(api: RunningApi, rounds = 60): Promise<ApiLoadSummary> {
  const summary: ApiLoadSummary = { h2: {}, h1: {}, rum: {} };
  const count = (bucket: Record<number, number>, status: number) => {
    bucket[status] = (bucket[status] ?? 0) + 1;
  };

  // The admin's session: every order, and the customers report (admin-only), with one cookie.
  const cookie = api.sessions.admin;
  const session = connect(api.origin, { rejectUnauthorized: false });
  session.on('error', () => {});
  const h2Request = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<{ status: number; body: string; call: Omit<MeasuredCall, 'route' | 'attempt'> }>((resolve, reject) => {
      const requestId = `load-${randomUUID()}`;
      const startedAt = performance.now();
      const stream = session.request({
        ':path': path,
        ':method': init.method ?? 'GET',
        'x-request-id': requestId,
        cookie,
        ...init.headers,
      });
      let status = 0;
      let body = '';
      let firstByteAt = startedAt;
      let serverTiming: string | undefined;
      stream.setEncoding('utf8');
      stream.on('response', (headers) => {
        firstByteAt = performance.now();
        status = Number(headers[':status']);
        serverTiming = headers['server-timing'] as string | undefined;
      });
      stream.on('data', (chunk: string) => {
        body += chunk;
      });
      stream.on('end', () => {
        const timing = { dnsMs: 0, connectMs: 0, tlsMs: 0, requestAt: startedAt, firstByteAt };
        const call = { ...timing, status, requestId, protocol: 'h2' as const, startedAt, endedAt: performance.now() };
        resolve({ status, body, call: { ...call, serverTiming } });
      });
      stream.on('error', reject);
      stream.end(init.body);
    });
  const h2Get = (path: string) => h2Request(path);

  const list = await h2Get('/api/v1/orders?limit=5');
  const firstId = (JSON.parse(list.body) as { data: { items: { id: string }[] } }).data.items[0]?.id;
  if (!firstId) throw new Error(`No order to fetch: ${list.status} ${list.body.slice(0, 200)}`);
  const paths = [
    '/api/v1/orders?limit=20',
    `/api/v1/orders/${firstId}`,
    '/api/v1/no-such-route',
    '/api/v2/orders?limit=20',
  ];
  /** The route pattern of each path the SPA could call (the 404 is not one). */
  const routeOf = (path: string): RumApiRoute | undefined =>
    path.startsWith('/api/v1/orders?')
      ? '/api/v1/orders'
      : path.startsWith('/api/v2/orders?')
        ? '/api/v2/orders'
        : path === paths[1]
          ? '/api/v1/orders/:id'
          : undefined;

  // SSE over HTTP/2 and a WebSocket over the HTTP/1.1 listener, open while the requests run.
  const sse = session.request({ ':path': '/api/v1/events', accept: 'text/event-stream', cookie });
  sse.on('data', () => {});
  sse.on('error', () => {});
  const socket = new WebSocket(`${api.h1Origin.replace('https:', 'wss:')}/api/v1/ws`, {
    rejectUnauthorized: false,
    origin: api.origin,
    headers: { cookie },
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket upgrade answered ${res.statusCode}`)),
    );
  });

  const admin = createAdminClient(api.origin, api.adminToken);
  await admin.put('/api/v1/admin/labs/leaks', { mode: 'naive' }); // #labs
  await admin.setGenerator(50);
  // The canary (overview's Versions row): half the buckets on v2, and a few v2 calls failed on purpose.
  const rollout = async (change: Record<string, unknown>) => {
    const { status, body } = await h2Request('/api/v1/admin/rollout', {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    if (status !== 200) throw new Error(`PUT /api/v1/admin/rollout answered ${status}: ${body.slice(0, 300)}`);
  };
  await rollout({ v2Share: 50, v2FaultRate: 1 });
  for (let call = 0; call < 3; call++) count(summary.h2, (await h2Get(`/api/v2/orders/${firstId}`)).status);
  await rollout({ v2FaultRate: 0 });

  // Calls made since the last beacon; flushed every other round, as the SPA batches them.
  let calls: MeasuredCall[] = [];
  for (let round = 0; round < rounds; round++) {
    const made =
      (path: string, attempt = 1) =>
      (call: Omit<MeasuredCall, 'route' | 'attempt'>) => {
        const route = routeOf(path);
        if (route) calls.push({ ...call, route, attempt });
      };
    await Promise.all(
      paths.flatMap((path) => [
        h2Get(path).then(({ status, call }) => {
          count(summary.h2, status);
          made(path)(call);
        }),
        h1Get(`${api.h1Origin}${path}`, cookie).then((call) => {
          count(summary.h1, call.status);
          made(path)(call);
        }),
        h1Get(`${api.origin}${path}`, cookie).then((call) => {
          count(summary.h1, call.status);
          made(path)(call);
        }),
      ]),
    );
    // The customers report (the profiling lab's route), as the SPA's Customers page asks for it.
    count(summary.h2, (await h2Get('/api/v1/reports/customers')).status);
    // Version checks as the SPA makes them at start: a new client (share), an opted-in one (header).
    count(
      summary.h2,
      (await h2Request('/api/version', round % 4 === 0 ? { headers: { 'x-api-canary': 'v2' } } : {})).status,
    );
    if (round % 3 === 0) {
      // A CORS preflight, as a browser sends before a non-simple call (the cors-preflight lab's row).
      const preflight = await h2Request('/api/v1/orders', {
        method: 'OPTIONS',
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      count(summary.h2, preflight.status);
    }
    if (round % 5 === 0) {
      const retry = await h2Get(paths[1] ?? '');
      count(summary.h2, retry.status);
      made(paths[1] ?? '', 2)(retry.call);
    }
    if (round % 2 === 1 || round === rounds - 1) {
      const page = round % 4 === 1 ? 'orders' : 'order';
      const samples: RumSample[] = [...calls.map((call) => apiCallSample(call, page)), ...pageViewVitals(round)];
      calls = [];
      const batch: RumBatch = { app: 'observability-load', samples };
      const beacon = await h2Request('/api/v1/rum', {
        method: 'POST',
        headers: { 'content-type': round % 4 === 1 ? 'text/plain;charset=UTF-8' : 'application/json' },
        body: JSON.stringify(batch),
      });
      // A 429 is the rum bucket doing its job (counted, the panels still have data); anything else is a bad batch.
      if (beacon.status !== 202 && beacon.status !== 429) {
        throw new Error(`RUM beacon answered ${beacon.status}: ${beacon.body.slice(0, 300)}`);
      }
      count(summary.rum, beacon.status);
    }
  }

  await admin.setGenerator(0);
  await admin.put('/api/v1/admin/labs/leaks', { mode: 'tuned' }); // #labs
  // The one-switch rollback, then a version check that it answers (reason rolled-back).
  await rollout({ v2Enabled: false });
  count(summary.h2, (await h2Get('/api/version')).status);
  await rollout({ v2Enabled: true, v2Share: 0 });
  // Spend this client's API budget with batches (a batch of N ids costs N units) until
  // the limiter answers 429, so the rate-limit panel shows rejections, not only zeros.
  // (The rounds above may already have met a 429: the batch series must exist all the same.)
  for (let attempt = 0, refused = false; attempt < 50 && !refused; attempt++) {
    const ids = Array.from({ length: MAX_BATCH_IDS }, () => randomUUID()).join(',');
    const { status } = await h2Get(`/api/v1/orders/batch?ids=${ids}`);
    count(summary.h2, status);
    refused = status === 429;
  }
  socket.close();
  sse.close();
  await new Promise<void>((resolve) => session.close(() => resolve()));
  return summary;
}

/**
 * A GET over HTTP/1.1 (no ALPN h2 offered) on a fresh connection, timed as Resource
 * Timing splits it: DNS, connect (TLS included), TLS, request, response.
 */
function h1Get(url: string, cookie: string): Promise<Omit<MeasuredCall, 'route' | 'attempt'>> {
  return new Promise((resolve, reject) => {
    const requestId = `load-${randomUUID()}`;
    const startedAt = performance.now();
    let lookedUpAt = startedAt;
    let connectedAt = startedAt;
    let secureAt = startedAt;
    let firstByteAt = startedAt;
    const req = request(
      url,
      { rejectUnauthorized: false, agent: false, headers: { 'x-request-id': requestId, cookie } },
      (res) => {
        firstByteAt = performance.now();
        res.resume();
        res.on('end', () => {
          const serverTiming = res.headers['server-timing'];
          resolve({
            status: res.statusCode ?? 0,
            requestId,
            protocol: 'http/1.1',
            startedAt,
            dnsMs: lookedUpAt - startedAt,
            connectMs: secureAt - lookedUpAt,
            tlsMs: secureAt - connectedAt,
            requestAt: secureAt,
            firstByteAt,
            endedAt: performance.now(),
            serverTiming: typeof serverTiming === 'string' ? serverTiming : undefined,
          });
        });
      },
    );
    req.on('socket', (socket) => {
      socket.once('lookup', () => {
        lookedUpAt = performance.now();
      });
      socket.once('connect', () => {
        connectedAt = performance.now();
        // A literal IP needs no lookup.
        if (lookedUpAt === startedAt) lookedUpAt = connectedAt;
      });
      (socket as TLSSocket).once('secureConnect', () => {
        secureAt = performance.now();
      });
    });
    req.on('error', reject);
    req.end();
  });
}
