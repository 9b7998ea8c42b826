import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Counter, Histogram } from 'prom-client';
import type { ConnectionProtocol, HttpLabel } from '../external/metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() at onRequest; 0 when not timed or no onRequest hook ran (a URL the router could not decode). */
    metricsStartedAt: number;
    /** The route's series, found once at onRequest (`routeOptions` builds an object on every read). */
    metricsRoute: RouteSeries | null;
  }
}

/** Requests that are counted but are not latency samples: a scrape, and a stream that lasts minutes. */
const METRICS_ROUTE = '/metrics';
const LONG_LIVED_ROUTES: ReadonlySet<string> = new Set(['/api/v1/events']);
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'] as const;
const METHOD_INDEX: ReadonlyMap<string, number> = new Map(METHODS.map((method, index) => [method, index]));
const STATUS_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;
const PROTOCOLS = ['h2', 'http/1.1'] as const satisfies readonly ConnectionProtocol[];

/** `/api/v1/orders/:id` → `v1`; anything outside `/api/<version>/` → `none`. From the pattern, never the URL. */
export function versionOf(route: string): string {
  const match = /^\/api\/(v\d+)(?:\/|$)/.exec(route);
  return match?.[1] ?? 'none';
}

/** Index into STATUS_CLASSES: 1–5 for 1xx–5xx. */
const statusIndexOf = (statusCode: number) => Math.min(Math.max(Math.floor(statusCode / 100), 1), 5);

export function statusClassOf(statusCode: number): string {
  return STATUS_CLASSES[statusIndexOf(statusCode)] ?? '5xx';
}

const protocolIndexOf = (request: FastifyRequest) => (request.raw.httpVersionMajor === 2 ? 0 : 1);

/** The route pattern Fastify matched (`/api/v1/orders/:id`), `unmatched` for a 404 — never the raw URL. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** One label set's series: the histogram's prom-client child, and the requests counted since the last scrape. */
export interface Series {
  duration: ReturnType<Histogram<HttpLabel>['labels']>;
  total: ReturnType<Counter<HttpLabel>['labels']>;
  uncounted: number;
}

/** A route's series by method, status class and protocol, each made on its first request. */
export interface RouteSeries {
  route: string;
  timed: boolean;
  longLived: boolean;
  series: (Series | undefined)[];
}

/**
 * HTTP RED metrics on both listeners: `tandem_http_requests_total`,
 * `tandem_http_request_duration_seconds` and `tandem_http_requests_in_flight`. One clock
 * read at onRequest, one observe at onResponse on a label child found by index in its
 * route's series (the route's, found once per request by its pattern); the total and
 * the in-flight count are plain numbers, handed to prom-client when it is read.
 *
 * What is a latency sample: `/metrics` (a scrape would time itself) and event streams
 * (`GET /api/v1/events`, minutes long) are counted in `tandem_http_requests_total` but
 * are neither in flight nor in the histogram. A stream is counted when it closes — its
 * reply is hijacked, so Fastify's onResponse never runs for it. WebSocket upgrades never
 * reach the router: `tandem_ws_connections_open` tracks them.
 */
export default fp(
  async (app) => {
    const { httpRequestDuration, httpRequestsTotal } = app.metrics;
    const inFlight: Record<ConnectionProtocol, number> = { h2: 0, 'http/1.1': 0 };
    const routes = new Map<string, RouteSeries>();
    const counted: Series[] = [];

    const routeSeriesOf = (route: string) => {
      let found = routes.get(route);
      if (!found) {
        found = {
          route,
          timed: route !== METRICS_ROUTE && !LONG_LIVED_ROUTES.has(route),
          longLived: LONG_LIVED_ROUTES.has(route),
          series: [],
        };
        routes.set(route, found);
      }
      return found;
    };

    const seriesOf = (route: RouteSeries, method: string, statusCode: number, protocolIndex: number) => {
      const methodIndex = METHOD_INDEX.get(method) ?? METHODS.length - 1;
      const statusIndex = statusIndexOf(statusCode);
      const index = (methodIndex * STATUS_CLASSES.length + statusIndex) * PROTOCOLS.length + protocolIndex;
      let found = route.series[index];
      if (!found) {
        const labels = {
          route: route.route,
          method: METHODS[methodIndex] ?? 'OTHER',
          status_class: STATUS_CLASSES[statusIndex] ?? '5xx',
          version: versionOf(route.route),
          protocol: PROTOCOLS[protocolIndex] ?? 'http/1.1',
        };
        found = { duration: httpRequestDuration.labels(labels), total: httpRequestsTotal.labels(labels), uncounted: 0 };
        route.series[index] = found;
        counted.push(found);
      }
      return found;
    };

    app.metrics.readHttpRequests({
      inFlight: () => inFlight,
      flushTotals: () => {
        for (const series of counted) {
          if (series.uncounted === 0) continue;
          series.total.inc(series.uncounted);
          series.uncounted = 0;
        }
      },
    });

    app.decorateRequest('metricsStartedAt', 0);
    app.decorateRequest('metricsRoute', null);
    app.addHook('onRequest', (request, reply, done) => {
      const route = routeSeriesOf(routeOf(request));
      request.metricsRoute = route;
      if (route.timed) {
        request.metricsStartedAt = performance.now();
        inFlight[PROTOCOLS[protocolIndexOf(request)] ?? 'http/1.1'] += 1;
      } else if (route.longLived) {
        // Hijacked streams skip onResponse; a refused one (400) closes here too, and only here.
        const protocolIndex = protocolIndexOf(request);
        reply.raw.once('close', () => {
          seriesOf(route, request.method, reply.raw.statusCode, protocolIndex).uncounted += 1;
        });
      }
      done();
    });
    app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      const route = request.metricsRoute ?? routeSeriesOf(routeOf(request));
      if (route.longLived) return done();
      const protocolIndex = protocolIndexOf(request);
      const series = seriesOf(route, request.method, reply.statusCode, protocolIndex);
      series.uncounted += 1;
      if (request.metricsStartedAt > 0) {
        series.duration.observe((performance.now() - request.metricsStartedAt) / 1000);
        inFlight[PROTOCOLS[protocolIndex] ?? 'http/1.1'] -= 1;
        request.metricsStartedAt = 0;
      }
      done();
    });
    // A client that goes away before the answer: no onResponse may follow, so leave flight here.
    app.addHook('onRequestAbort', (request, done) => {
      if (request.metricsStartedAt > 0) {
        inFlight[PROTOCOLS[protocolIndexOf(request)] ?? 'http/1.1'] -= 1;
        request.metricsStartedAt = 0;
      }
      done();
    });
  },
  { name: 'http-metrics', dependencies: ['metrics'] },
);
