import { LAB_CATALOGUE, type LabId, type LabMode, LiveEvent } from '@tandem/contract';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseConnections } from '../../db/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: TandemMetrics;
  }
}

export type LiveEventType = LiveEvent['type'];
export type ConnectionProtocol = 'h2' | 'http/1.1';
export type DeadPeerChannel = 'ws' | 'h2' | 'sse';
export type HttpLabel = 'route' | 'method' | 'status_class' | 'version' | 'protocol';

/**
 * A fast API answers in milliseconds; above 5 s a request is an outage, not a latency.
 * Twelve buckets per series keeps the histogram's cost at routes × methods × classes × 12.
 */
export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Loopback and pooled queries take well under a millisecond; a 2.5 s one is a lock or a scan. */
export const DB_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];

/**
 * Every series the API exports, on its own Registry (never prom-client's global one, so
 * two apps in one process — tests — do not collide). Labels come from small closed sets
 * only. To add a series: create it here with `registers: [registry]`, add it to
 * TandemMetrics, update it where the event happens, and list it in
 * observability/METRICS.md (metrics-reference.test.ts checks both ways).
 */
export interface TandemMetrics {
  registry: Registry;
  /** 1 for the active mode of each lab, 0 for the other. */
  labMode: Gauge<'lab' | 'mode'>;
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
  dbQueryDuration: Histogram<'query' | 'db'>;
  /** Sets what `tandem_db_pool_connections` reads at scrape time (the database plugin). */
  readDbConnections(read: () => DatabaseConnections): void;
  /** Incremented by the rate limiter (its own issue); registered now so the series exists at 0. */
  rateLimitRejections: Counter<'route'>;
}

const LIVE_EVENT_TYPES = LiveEvent.options.map((option) => option.shape.type.value);

export function createMetrics(): TandemMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const labMode = new Gauge({
    name: 'tandem_lab_mode',
    help: 'Active setting of each lab: 1 for the active mode, 0 for the other.',
    labelNames: ['lab', 'mode'] as const,
    registers,
  });
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
  const httpRequestsTotal = new Counter({
    name: 'tandem_http_requests_total',
    help: 'HTTP requests answered, by route pattern (event streams counted when they end).',
    labelNames: ['route', 'method', 'status_class', 'version', 'protocol'] as const,
    registers,
  });
  const httpRequestsInFlight = new Gauge({
    name: 'tandem_http_requests_in_flight',
    help: 'Ordinary HTTP requests being handled (not /metrics, not event streams).',
    labelNames: ['protocol'] as const,
    registers,
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
    help: 'Requests refused with 429 by the rate limiter, by route pattern.',
    labelNames: ['route'] as const,
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

  return {
    registry,
    labMode,
    sseStreamsOpen,
    wsConnectionsOpen,
    connectionsOpen,
    liveEventsPublished,
    deadPeersClosed,
    httpRequestDuration,
    httpRequestsTotal,
    httpRequestsInFlight,
    dbQueryDuration,
    readDbConnections(read) {
      dbConnections = read;
    },
    rateLimitRejections,
  };
}

/** Sets the lab-mode gauge for one lab (1 on the active mode, 0 on the other). */
export function recordLabMode(metrics: TandemMetrics, lab: LabId, mode: LabMode): void {
  metrics.labMode.set({ lab, mode: 'naive' }, mode === 'naive' ? 1 : 0);
  metrics.labMode.set({ lab, mode: 'tuned' }, mode === 'tuned' ? 1 : 0);
}

/**
 * prom-client on its own Registry and `GET /metrics` in the Prometheus text format: not
 * an envelope, not in the public contract's JSON endpoints, and (when a limiter comes)
 * not rate-limited. Also mirrors the lab switches into `tandem_lab_mode`.
 */
export default fp(
  async (app) => {
    const metrics = createMetrics();
    app.decorate('metrics', metrics);
    for (const lab of Object.keys(LAB_CATALOGUE) as LabId[]) {
      recordLabMode(metrics, lab, app.labs.mode(lab));
      app.labs.onChange(lab, (mode) => recordLabMode(metrics, lab, mode));
    }

    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['lab-switches'] },
);
