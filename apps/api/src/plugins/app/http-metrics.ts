import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Counter, Histogram } from 'prom-client';
import type { ConnectionProtocol, HttpLabel } from '../external/metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() at onRequest; 0 when not timed or no onRequest hook ran (a URL the router could not decode). */
    metricsStartedAt: number;
    /** The route label, read once at onRequest (`routeOptions` builds an object on every read). */
    metricsRoute: string | null;
  }
}

/** Requests that are counted but are not latency samples: a scrape, and a stream that lasts minutes. */
const METRICS_ROUTE = '/metrics';
const LONG_LIVED_ROUTES: ReadonlySet<string> = new Set(['/api/v1/events']);
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** `/api/v1/orders/:id` → `v1`; anything outside `/api/<version>/` → `none`. From the pattern, never the URL. */
export function versionOf(route: string): string {
  const match = /^\/api\/(v\d+)(?:\/|$)/.exec(route);
  return match?.[1] ?? 'none';
}

export function statusClassOf(statusCode: number): string {
  return STATUS_CLASSES[Math.min(Math.max(Math.floor(statusCode / 100), 1), 5)] ?? '5xx';
}

function protocolOf(request: FastifyRequest): ConnectionProtocol {
  return request.raw.httpVersionMajor === 2 ? 'h2' : 'http/1.1';
}

/** The route pattern Fastify matched (`/api/v1/orders/:id`), `unmatched` for a 404 — never the raw URL. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

interface Children {
  duration: ReturnType<Histogram<HttpLabel>['labels']>;
  total: ReturnType<Counter<HttpLabel>['labels']>;
}

/**
 * HTTP RED metrics on both listeners: `tandem_http_requests_total`,
 * `tandem_http_request_duration_seconds` and `tandem_http_requests_in_flight`. One clock
 * read at onRequest, one observe and one inc at onResponse, on label children cached by
 * their (closed) label values, so the per-request cost is two Map lookups.
 *
 * What is a latency sample: `/metrics` (a scrape would time itself) and event streams
 * (`GET /api/v1/events`, minutes long) are counted in `tandem_http_requests_total` but
 * are neither in flight nor in the histogram. A stream is counted when it closes — its
 * reply is hijacked, so Fastify's onResponse never runs for it. WebSocket upgrades never
 * reach the router: `tandem_ws_connections_open` tracks them.
 */
export default fp(
  async (app) => {
    const { httpRequestDuration, httpRequestsTotal, httpRequestsInFlight } = app.metrics;
    const inFlight = {
      h2: httpRequestsInFlight.labels({ protocol: 'h2' }),
      'http/1.1': httpRequestsInFlight.labels({ protocol: 'http/1.1' }),
    } satisfies Record<ConnectionProtocol, unknown>;
    const children = new Map<string, Children>();

    const childrenFor = (route: string, method: string, statusCode: number, protocol: ConnectionProtocol) => {
      const statusClass = statusClassOf(statusCode);
      const safeMethod = METHODS.has(method) ? method : 'OTHER';
      const key = `${route} ${safeMethod} ${statusClass} ${protocol}`;
      let found = children.get(key);
      if (!found) {
        const labels = { route, method: safeMethod, status_class: statusClass, version: versionOf(route), protocol };
        found = { duration: httpRequestDuration.labels(labels), total: httpRequestsTotal.labels(labels) };
        children.set(key, found);
      }
      return found;
    };

    const isTimed = (route: string) => route !== METRICS_ROUTE && !LONG_LIVED_ROUTES.has(route);

    app.decorateRequest('metricsStartedAt', 0);
    app.decorateRequest('metricsRoute', null);
    app.addHook('onRequest', (request, reply, done) => {
      const route = routeOf(request);
      request.metricsRoute = route;
      if (isTimed(route)) {
        request.metricsStartedAt = performance.now();
        inFlight[protocolOf(request)].inc();
      } else if (LONG_LIVED_ROUTES.has(route)) {
        // Hijacked streams skip onResponse; a refused one (400) closes here too, and only here.
        const protocol = protocolOf(request);
        reply.raw.once('close', () => childrenFor(route, request.method, reply.raw.statusCode, protocol).total.inc());
      }
      done();
    });
    app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      const route = request.metricsRoute ?? routeOf(request);
      if (LONG_LIVED_ROUTES.has(route)) return done();
      const protocol = protocolOf(request);
      const { duration, total } = childrenFor(route, request.method, reply.statusCode, protocol);
      total.inc();
      if (request.metricsStartedAt > 0) {
        duration.observe((performance.now() - request.metricsStartedAt) / 1000);
        inFlight[protocol].dec();
        request.metricsStartedAt = 0;
      }
      done();
    });
    // A client that goes away before the answer: no onResponse may follow, so leave flight here.
    app.addHook('onRequestAbort', (request, done) => {
      if (request.metricsStartedAt > 0) {
        inFlight[protocolOf(request)].dec();
        request.metricsStartedAt = 0;
      }
      done();
    });
  },
  { name: 'http-metrics', dependencies: ['metrics'] },
);
