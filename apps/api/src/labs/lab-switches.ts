import { LAB_IDS, type LabId, type LabMode } from '@tandem/contract/labs';
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
 * - cors-preflight: labs/cors-preflight-policy.ts picks what plugins/external/cors.ts answers a
 *   preflight with (max-age, allowed headers); the SPA decides which calls need one
 *   (apps/web/src/labs/simple-requests.ts).
 * - date-codec: labs/database-text-dates.ts writes every Date as database text without an
 *   offset (naive); the SPA mirrors it in apps/web/src/labs/naive-dates.ts.
 * - batch-weight: labs/batch-weight-policy.ts, read per request by plugins/app/rate-limit.ts
 *   (naive: every request costs 1; tuned: a batch costs its ids; the limiter's only weighting
 *   setting) and routes/orders/index.ts (naive: one query per id; tuned: one per batch).
 * - timeout: plugins/app/deadline.ts ignores X-Request-Timeout and gives the request no
 *   signal (naive: no 504, the database query runs to completion), or turns it into the
 *   AbortSignal the repositories hand to the database (tuned).
 * - request-id: plugins/app/request-id.ts echoes X-Request-ID (tuned) or not (naive); the
 *   SPA sends its id (tuned) or none (naive) from apps/web/src/api/client.ts.
 * - retry-429: the server only holds the state. The limiter (plugins/app/rate-limit.ts)
 *   answers 429 with Retry-After in both settings; the SPA retries with vue-query's
 *   defaults (naive) or its aligned policy (tuned), see apps/web/src/labs/retry-policy-of-lab.ts.
 * - profiling: labs/customer-name-order.ts sorts GET /api/v1/reports/customers by name with a
 *   collator per comparison (naive) or one shared Intl.Collator (tuned); the SPA's customers
 *   list renders every row (naive) or only those in view (tuned), see
 *   apps/web/src/components/customers/CustomersTable.vue.
 * - versioning: the server only holds the state: which release plan of API v2 to follow
 *   (packages/contract/src/versioning-rollout-plan.ts: naive = big bang to 100 %, tuned =
 *   canary 10 → 50 → 100 %). Whoever releases (`pnpm lab versioning`, the k6 scenario, a
 *   person with the Lab console) reads it from GET /api/v1/labs and moves the share with
 *   PUT /api/v1/admin/rollout (plugins/app/api-rollout.ts).
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
