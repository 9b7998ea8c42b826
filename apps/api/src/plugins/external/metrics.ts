import { LiveEvent, type RumSample } from '@tandem/contract';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SessionLookupOutcome } from '../../accounts/session-cache.js';
import type { DatabaseConnections } from '../../db/database.js';
import type { QueryCancelStage } from '../../db/query-aborted-error.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: TandemMetrics;
  }
}

export type LiveEventType = LiveEvent['type'];
export type ConnectionProtocol = 'h2' | 'http/1.1';
export type DeadPeerChannel = 'ws' | 'h2' | 'sse';
/** What became of an event on the shared stream (tandem_live_events_relayed_total). */
export type RelayOutcome = 'read' | 'lost';
/** The caches whose invalidations travel between replicas. */
export type InvalidatedCache = 'orders_page' | 'sessions';
/** The features the replicas share through Redis, besides the rate limiter's buckets. */
export type SharedFeature = 'events' | 'presence' | 'invalidations';
export type HttpLabel = 'route' | 'method' | 'status_class' | 'version' | 'protocol';
/** `route` and `version` are the server's own labels (tandem_http_*); `protocol` adds `h3` and `unknown`. */
export type RumApiCallLabel = 'route' | 'method' | 'status_class' | 'version' | 'protocol';

/**
 * A fast API answers in milliseconds; above 5 s a request is an outage, not a latency.
 * Twelve buckets per series keeps the histogram's cost at routes × methods × classes × 12.
 */
export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Loopback and pooled queries take well under a millisecond; a 2.5 s one is a lock or a scan. */
export const DB_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];
/** Edges at the web-vitals "good" / "poor" thresholds: INP 0.2/0.5, TTFB 0.8/1.8, FCP 1.8/3, LCP 2.5/4 s. */
export const WEB_VITAL_BUCKETS = [0.025, 0.05, 0.1, 0.2, 0.5, 0.8, 1, 1.8, 2.5, 3, 4, 6, 10];
/** CLS is a unitless score; "good" ≤ 0.1, "poor" > 0.25. */
export const CLS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1];
/** One phase of one call (DNS, connect, TLS, request, response): 0 on a reused connection, sub-millisecond on loopback. */
export const RUM_PHASE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Every series the API exports, on its own Registry (never prom-client's global one, so
 * two apps in one process — tests — do not collide). Labels come from small closed sets
 * only. To add a series: create it here with `registers: [registry]`, add it to
 * TandemMetrics, update it where the event happens, and list it in
 * observability/METRICS.md (metrics-reference.test.ts checks both ways).
 */
export interface TandemMetrics {
  registry: Registry;
  sseStreamsOpen: Gauge;
  wsConnectionsOpen: Gauge;
  /** TLS connections currently held, by negotiated protocol (both listeners). */
  connectionsOpen: Gauge<'protocol'>;
  liveEventsPublished: Counter<'type'>;
  /** Peers the server gave up on: no pong (ws), no PING ack (h2), a stream that stopped draining (sse). */
  deadPeersClosed: Counter<'channel'>;
  /** Duration of ordinary requests (not /metrics, not event streams), onRequest to onResponse. */
  httpRequestDuration: Histogram<HttpLabel>;
  /** Every request Fastify routed or 404'd, event streams and scrapes included. */
  httpRequestsTotal: Counter<HttpLabel>;
  /** Ordinary requests between onRequest and onResponse. */
  httpRequestsInFlight: Gauge<'protocol'>;
  /**
   * Sets what `tandem_http_requests_in_flight` reads at scrape time, and what runs before
   * `tandem_http_requests_total` is read (http-metrics.ts counts in plain numbers per
   * request and hands them over then: a scrape, not every request, pays prom-client's
   * label lookups).
   */
  readHttpRequests(read: {
    inFlight: () => Readonly<Record<ConnectionProtocol, number>>;
    flushTotals: () => void;
  }): void;
  dbQueryDuration: Histogram<'query' | 'db'>;
  /** Sets what `tandem_db_pool_connections` reads at scrape time (the database plugin). */
  readDbConnections(read: () => DatabaseConnections): void;
  /** 429s of the rate limiter (plugins/app/rate-limit.ts), each limited route starting at 0. */
  rateLimitRejections: Counter<'route' | 'bucket'>;
  /** Requests admitted unchecked because the rate-limit store (Redis) did not answer: it fails open. */
  rateLimitStoreFailures: Counter;
  /** Browser web vitals from POST /api/v1/rum (routes/rum): LCP, INP, FCP, TTFB in seconds. */
  rumWebVital: Histogram<'name' | 'page'>;
  /** Browser CLS (unitless layout-shift score) by page. */
  rumCls: Histogram<'page'>;
  /** One API call as the browser timed it (Resource Timing), with the server's own route/version labels. */
  rumApiCallDuration: Histogram<RumApiCallLabel>;
  /** The browser's phases of one API call: dns, connect, tls, request, response. */
  rumApiCallPhase: Histogram<'route' | 'version' | 'phase'>;
  /** The server's Server-Timing (app, db) as the browser read it back. */
  rumServerTiming: Histogram<'route' | 'version' | 'metric'>;
  /** RUM samples recorded, by type (web-vital, api-call). */
  rumSamples: Counter<'type'>;
  /** API calls the browser reported as a retry (attempt > 1). */
  rumApiRetries: Counter<'route' | 'version'>;
  /** Requests answered 504 because their deadline passed first (plugins/app/deadline.ts), by route pattern. */
  deadlineExceeded: Counter<'route'>;
  /** Queries an aborted signal stopped: refused before starting, or cancelled while running (PostgreSQL only). */
  dbQueriesCancelled: Counter<'db' | 'stage'>;
  /** Session lookups of requests, sockets and streams, by where they were answered (plugins/app/sessions-repository.ts). */
  sessionLookups: Counter<'outcome'>;
  /**
   * Sets what runs before `tandem_session_lookups_total` is read: sessions-repository.ts
   * counts every lookup in a plain number and hands the counts over then, as the HTTP
   * totals are (a lookup is made by nearly every request).
   */
  readSessionLookups(flush: () => void): void;
  /** With REDIS_URL: events this replica read from the shared stream (`read`), and events lost because Redis did not take them (`lost`). */
  liveEventsRelayed: Counter<'outcome'>;
  /** With REDIS_URL: cache invalidations published to the other replicas (`sent`) and taken from them (`received`), by cache. */
  cacheInvalidations: Counter<'cache' | 'direction'>;
  /** With REDIS_URL: Redis commands of the shared state that failed (each feature falls back as decision 0016 says). */
  sharedStateFailures: Counter<'feature'>;
  /** Percent of canary buckets on v2 right now (0 while v2 is rolled back); plugins/app/api-rollout.ts. */
  rolloutV2Share: Gauge;
  /** GET /api/version answers, by version assigned and why (header, share, rolled-back). */
  versionAssignments: Counter<'version' | 'reason'>;
}

const LIVE_EVENT_TYPES = LiveEvent.options.map((option) => option.shape.type.value);

/** `defaults: false` leaves out prom-client's Node metrics (and their event-loop-delay sampler). */
export function createMetrics(options: { defaults: boolean } = { defaults: true }): TandemMetrics {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const sseStreamsOpen = new Gauge({
    name: 'tandem_sse_streams_open',
    help: 'Server-Sent Events streams currently open.',
    registers,
  });
  const wsConnectionsOpen = new Gauge({
    name: 'tandem_ws_connections_open',
    help: 'WebSocket connections currently open.',
    registers,
  });
  const connectionsOpen = new Gauge({
    name: 'tandem_connections_open',
    help: 'TLS connections currently held, by negotiated protocol.',
    labelNames: ['protocol'] as const,
    registers,
  });
  const liveEventsPublished = new Counter({
    name: 'tandem_live_events_published_total',
    help: 'Live events published on the event bus, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  const deadPeersClosed = new Counter({
    name: 'tandem_dead_peers_closed_total',
    help: 'Connections or streams closed because the peer stopped answering or reading.',
    labelNames: ['channel'] as const,
    registers,
  });
  const httpRequestDuration = new Histogram({
    name: 'tandem_http_request_duration_seconds',
    help: 'Duration of ordinary HTTP requests (not /metrics, not event streams), by route pattern.',
    labelNames: ['route', 'method', 'status_class', 'version', 'protocol'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });
  let httpRequests: Parameters<TandemMetrics['readHttpRequests']>[0] | undefined;
  const httpRequestsTotal = new Counter({
    name: 'tandem_http_requests_total',
    help: 'HTTP requests answered, by route pattern (event streams counted when they end).',
    labelNames: ['route', 'method', 'status_class', 'version', 'protocol'] as const,
    registers,
    collect() {
      httpRequests?.flushTotals();
    },
  });
  const httpRequestsInFlight = new Gauge({
    name: 'tandem_http_requests_in_flight',
    help: 'Ordinary HTTP requests being handled (not /metrics, not event streams).',
    labelNames: ['protocol'] as const,
    registers,
    collect() {
      if (!httpRequests) return;
      for (const [protocol, count] of Object.entries(httpRequests.inFlight())) this.set({ protocol }, count);
    },
  });
  const dbQueryDuration = new Histogram({
    name: 'tandem_db_query_duration_seconds',
    help: 'Database query duration by query name, success or not.',
    labelNames: ['query', 'db'] as const,
    buckets: DB_DURATION_BUCKETS,
    registers,
  });
  let dbConnections: (() => DatabaseConnections) | undefined;
  new Gauge({
    name: 'tandem_db_pool_connections',
    help: 'Database connections by state (pg pool; PGlite is one connection).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      if (!dbConnections) return;
      const { total, idle, waiting } = dbConnections();
      this.set({ state: 'total' }, total);
      this.set({ state: 'idle' }, idle);
      this.set({ state: 'waiting' }, waiting);
    },
  });
  const rateLimitRejections = new Counter({
    name: 'tandem_rate_limit_rejections_total',
    help: 'Requests refused with 429 by the rate limiter, by route pattern and bucket.',
    labelNames: ['route', 'bucket'] as const,
    registers,
  });
  const rateLimitStoreFailures = new Counter({
    name: 'tandem_rate_limit_store_failures_total',
    help: 'Requests admitted without a rate-limit check because the store (Redis) did not answer (fail open).',
    registers,
  });
  const rumWebVital = new Histogram({
    name: 'tandem_rum_web_vital_seconds',
    help: 'Browser web vitals (LCP, INP, FCP, TTFB) reported to POST /api/v1/rum, by name and SPA page.',
    labelNames: ['name', 'page'] as const,
    buckets: WEB_VITAL_BUCKETS,
    registers,
  });
  const rumCls = new Histogram({
    name: 'tandem_rum_cls_score',
    help: 'Browser Cumulative Layout Shift (unitless score) reported to POST /api/v1/rum, by SPA page.',
    labelNames: ['page'] as const,
    buckets: CLS_BUCKETS,
    registers,
  });
  const rumApiCallDuration = new Histogram({
    name: 'tandem_rum_api_call_duration_seconds',
    help: 'API calls as the browser timed them (Resource Timing start to responseEnd), by route pattern.',
    labelNames: ['route', 'method', 'status_class', 'version', 'protocol'] as const,
    // The server histogram's buckets, so browser and server quantiles of one route compare.
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });
  const rumApiCallPhase = new Histogram({
    name: 'tandem_rum_api_call_phase_seconds',
    help: 'Phases of browser API calls from Resource Timing (dns, connect, tls, request, response), by route pattern.',
    labelNames: ['route', 'version', 'phase'] as const,
    buckets: RUM_PHASE_BUCKETS,
    registers,
  });
  const rumServerTiming = new Histogram({
    name: 'tandem_rum_server_timing_seconds',
    help: 'The API Server-Timing (app, db) as the browser read it back, by route pattern.',
    labelNames: ['route', 'version', 'metric'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });
  const rumSamples = new Counter({
    name: 'tandem_rum_samples_total',
    help: 'RUM samples recorded from POST /api/v1/rum, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  const rumApiRetries = new Counter({
    name: 'tandem_rum_api_retries_total',
    help: 'API calls the browser reported as a retry (attempt > 1), by route pattern.',
    labelNames: ['route', 'version'] as const,
    registers,
  });
  const deadlineExceeded = new Counter({
    name: 'tandem_deadline_exceeded_total',
    help: 'Requests answered 504 DEADLINE_EXCEEDED because their deadline (X-Request-Timeout or the default) passed first, by route pattern.',
    labelNames: ['route'] as const,
    registers,
  });
  const dbQueriesCancelled = new Counter({
    name: 'tandem_db_queries_cancelled_total',
    help: 'Database queries stopped by an aborted request signal, by database and stage (not_started: refused; running: cancelled on the server).',
    labelNames: ['db', 'stage'] as const,
    registers,
  });
  let flushSessionLookups: (() => void) | undefined;
  const sessionLookups = new Counter({
    name: 'tandem_session_lookups_total',
    help: 'Session lookups (every request to a session endpoint, every event stream and WebSocket connect), by outcome: cache (answered from memory) or database (a query).',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      flushSessionLookups?.();
    },
  });
  const liveEventsRelayed = new Counter({
    name: 'tandem_live_events_relayed_total',
    help: 'With REDIS_URL: live events read from the shared Redis stream by this replica (read, its own included), or lost because Redis did not take them (lost).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const cacheInvalidations = new Counter({
    name: 'tandem_cache_invalidations_total',
    help: 'With REDIS_URL: cache invalidations published to the other replicas (sent) or taken from them (received), by cache.',
    labelNames: ['cache', 'direction'] as const,
    registers,
  });
  const sharedStateFailures = new Counter({
    name: 'tandem_shared_state_failures_total',
    help: 'With REDIS_URL: Redis commands of the shared state (events, presence, invalidations) that failed; each falls back as decision 0016 says.',
    labelNames: ['feature'] as const,
    registers,
  });
  const rolloutV2Share = new Gauge({
    name: 'tandem_api_rollout_v2_share',
    help: 'Percent of clients (canary buckets) assigned v2 by share: API_V2_SHARE or the admin rollout, 0 while v2 is rolled back.',
    registers,
  });
  const versionAssignments = new Counter({
    name: 'tandem_api_version_assignments_total',
    help: 'API versions assigned by GET /api/version, by version and reason (header, share, rolled-back).',
    labelNames: ['version', 'reason'] as const,
    registers,
  });
  new Gauge({
    name: 'tandem_active_handles',
    help: 'Resources keeping the event loop alive (process.getActiveResourcesInfo().length).',
    registers,
    collect() {
      this.set(process.getActiveResourcesInfo().length);
    },
  });

  // Every label combination exists from the start, so a series reads 0 rather than missing.
  for (const protocol of ['h2', 'http/1.1'] satisfies ConnectionProtocol[]) connectionsOpen.set({ protocol }, 0);
  for (const type of LIVE_EVENT_TYPES) liveEventsPublished.inc({ type }, 0);
  for (const channel of ['ws', 'h2', 'sse'] satisfies DeadPeerChannel[]) deadPeersClosed.inc({ channel }, 0);
  for (const protocol of ['h2', 'http/1.1'] satisfies ConnectionProtocol[]) httpRequestsInFlight.set({ protocol }, 0);
  for (const type of ['web-vital', 'api-call'] satisfies RumSample['type'][]) rumSamples.inc({ type }, 0);
  for (const outcome of ['cache', 'database'] satisfies SessionLookupOutcome[]) sessionLookups.inc({ outcome }, 0);
  for (const outcome of ['read', 'lost'] satisfies RelayOutcome[]) liveEventsRelayed.inc({ outcome }, 0);
  for (const cache of ['orders_page', 'sessions'] satisfies InvalidatedCache[]) {
    for (const direction of ['sent', 'received'] as const) cacheInvalidations.inc({ cache, direction }, 0);
  }
  for (const feature of ['events', 'presence', 'invalidations'] satisfies SharedFeature[])
    sharedStateFailures.inc({ feature }, 0);
  for (const db of ['pglite', 'postgres'] as const) {
    for (const stage of ['not_started', 'running'] satisfies QueryCancelStage[])
      dbQueriesCancelled.inc({ db, stage }, 0);
  }

  return {
    registry,
    sseStreamsOpen,
    wsConnectionsOpen,
    connectionsOpen,
    liveEventsPublished,
    deadPeersClosed,
    httpRequestDuration,
    httpRequestsTotal,
    httpRequestsInFlight,
    dbQueryDuration,
    readHttpRequests(read) {
      httpRequests = read;
    },
    readDbConnections(read) {
      dbConnections = read;
    },
    rateLimitRejections,
    rateLimitStoreFailures,
    rumWebVital,
    rumCls,
    rumApiCallDuration,
    rumApiCallPhase,
    rumServerTiming,
    rumSamples,
    rumApiRetries,
    deadlineExceeded,
    dbQueriesCancelled,
    sessionLookups,
    readSessionLookups(flush) {
      flushSessionLookups = flush;
    },
    liveEventsRelayed,
    cacheInvalidations,
    sharedStateFailures,
    rolloutV2Share,
    versionAssignments,
  };
}

/**
 * prom-client on its own Registry and `GET /metrics` in the Prometheus text format: not
 * an envelope, not in the public contract's JSON endpoints, and not rate-limited (the
 * limiter charges only the endpoints that declare `rateLimit`). A layer with series of its
 * own registers them on `app.metrics.registry`.
 */
export interface MetricsPluginOptions {
  /**
   * METRICS_ENABLED. Off: no `/metrics` route and no Node default metrics; the series
   * objects still exist (other plugins update them, in memory only) so nothing else branches.
   */
  enabled?: boolean;
}

export default fp<MetricsPluginOptions>(
  async (app, { enabled = true }) => {
    const metrics = createMetrics({ defaults: enabled });
    app.decorate('metrics', metrics);

    if (!enabled) return;
    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  },
  { name: 'metrics' },
);
