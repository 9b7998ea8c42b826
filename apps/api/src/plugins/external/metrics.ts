import { LAB_CATALOGUE, type LabId, type LabMode, LiveEvent } from '@tandem/contract';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: TandemMetrics;
  }
}

export type LiveEventType = LiveEvent['type'];
export type ConnectionProtocol = 'h2' | 'http/1.1';
export type DeadPeerChannel = 'ws' | 'h2' | 'sse';

/**
 * Every series the API exports, on its own Registry (never prom-client's global one, so
 * two apps in one process — tests — do not collide). Labels come from small closed sets
 * only. To add a series (HTTP RED metrics, say): create it here with `registers:
 * [registry]`, add it to TandemMetrics, and update it where the event happens.
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

  return {
    registry,
    labMode,
    sseStreamsOpen,
    wsConnectionsOpen,
    connectionsOpen,
    liveEventsPublished,
    deadPeersClosed,
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
