import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { RequestTiming } from '../../request-timing.js';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyRequest {
    timing: RequestTiming;
  }
  interface FastifyInstance {
    /** Whether answers carry Server-Timing; a change applies to the next answer. */
    serverTimingPolicy: Setting<ServerTimingPolicy>;
  }
}

export interface ServerTimingPolicy {
  /**
   * On: every answer says how long the server worked on it and how much of that was the
   * database. Off: no header, for an API that does not publish its timings to every
   * caller (the log's completion line then has no `serverTiming` either).
   */
  readonly send: boolean;
}

export interface ServerTimingPluginOptions {
  /** At start (default: send); `app.serverTimingPolicy` changes it at run time. */
  policy?: ServerTimingPolicy;
}

/**
 * `Server-Timing: app;dur=<ms>, db;dur=<ms>` on every response, so the browser's
 * Resource Timing shows where a request's time went (CORS exposes the header).
 * Two clock reads and one header per request. The `db` part is summed by the queries
 * themselves: reads get it inside `request.deadline`, writes as `{ timing: request.timing }`
 * (QueryOptions.timing). `cache;desc=hit` marks an answer from the orders page cache.
 */
export default fp<ServerTimingPluginOptions>(
  async (app, { policy = { send: true } }) => {
    const setting = createSetting(policy);
    app.decorate('serverTimingPolicy', setting);
    app.decorateRequest('timing', null as unknown as RequestTiming);
    app.addHook('onRequest', (request, _reply, done) => {
      request.timing = { startedAt: performance.now(), dbMs: 0, cacheHit: false };
      done();
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      // Absent only when Fastify answered before any hook ran (a URL it cannot decode).
      if (!request.timing || !setting.get().send) return done(null, payload);
      const { startedAt, dbMs, cacheHit } = request.timing;
      const app = `app;dur=${oneDecimal(performance.now() - startedAt)}`;
      const db = dbMs === 0 ? ', db;dur=0.0' : `, db;dur=${oneDecimal(dbMs)}`;
      reply.header('server-timing', cacheHit ? `${app}${db}, cache;desc=hit` : `${app}${db}`);
      done(null, payload);
    });
  },
  { name: 'server-timing' },
);

/**
 * A duration in ms with one decimal (`12.3`, `0.0`), without `toFixed`'s runtime call:
 * the tenths rounded half up, then two integers. It writes what `toFixed(1)` writes but
 * where a value's binary form sits on the half (0.15 is 0.1499…: `toFixed` says 0.1, this 0.2).
 */
export function oneDecimal(ms: number): string {
  const tenths = Math.round(ms * 10);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}`;
}
