import { LAB_IDS, type LabId, type LabMode } from '@tandem/contract';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    labs: LabSwitches;
  }
}

export type LabChangeListener = (mode: LabMode, id: LabId) => void;

/**
 * The run-time switch of every lab: its current mode, and who to tell when it flips.
 * Start values come from LAB_MODE_* (config.ts); PUT /api/v1/admin/labs/:id flips them.
 *
 * Where each lab's two settings differ on the server:
 * - heartbeat: labs/heartbeat-policy.ts, read by live-socket, live-events and
 *   connection-heartbeat (WebSocket ping, SSE comment, HTTP/2 PING, TCP keepalive).
 * - h2-sse: the server only holds the state. Both listeners always run (API_PORT h2 +
 *   http/1.1, API_H1_PORT http/1.1 only); the SPA reads the mode from GET /api/v1/labs and
 *   picks which origin it talks to. See plugins/app/h1-listener.ts.
 * - leaks: the server only holds the state. The SPA's components do (tuned) or do not
 *   (naive) close their streams; the server's part is to show it, in the gauges
 *   tandem_sse_streams_open, tandem_ws_connections_open and tandem_active_handles.
 * - serialization: labs/naive-serializer.ts gives each JSON reply a serializer that
 *   Zod-encodes and JSON.stringify-s it (naive); tuned keeps contract-route.ts's compiled one.
 * - date-codec: labs/database-text-dates.ts writes every Date as database text without an
 *   offset (naive); the SPA mirrors it in apps/web/src/labs/naive-dates.ts.
 */
export interface LabSwitches {
  mode(id: LabId): LabMode;
  set(id: LabId, mode: LabMode): void;
  /** Called after every change of `id` (not for a set to the mode it already has); returns an unsubscribe. */
  onChange(id: LabId, listener: LabChangeListener): () => void;
  all(): Readonly<Record<LabId, LabMode>>;
}

export function createLabSwitches(initial: Readonly<Record<LabId, LabMode>>): LabSwitches {
  const modes = { ...initial };
  const listeners = new Map<LabId, Set<LabChangeListener>>(LAB_IDS.map((id) => [id, new Set()]));
  return {
    mode: (id) => modes[id],
    set(id, mode) {
      if (modes[id] === mode) return;
      modes[id] = mode;
      for (const listener of listeners.get(id) ?? []) listener(mode, id);
    },
    onChange(id, listener) {
      const set = listeners.get(id);
      set?.add(listener);
      return () => set?.delete(listener);
    },
    all: () => ({ ...modes }),
  };
}

export interface LabSwitchesOptions {
  initial: Readonly<Record<LabId, LabMode>>;
}

export default fp<LabSwitchesOptions>(
  async (app, { initial }) => {
    app.decorate('labs', createLabSwitches(initial));
  },
  { name: 'lab-switches' },
);
