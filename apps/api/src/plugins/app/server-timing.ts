import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { RequestTiming } from '../../request-timing.js';

declare module 'fastify' {
  interface FastifyRequest {
    timing: RequestTiming;
  }
}

/**
 * `Server-Timing: app;dur=<ms>, db;dur=<ms>` on every response, so the browser's
 * Resource Timing shows where a request's time went (CORS exposes the header).
 * Two clock reads and one header per request. The `db` part is summed by the queries
 * themselves: reads get it inside `request.deadline`, writes as `{ timing: request.timing }`
 * (QueryOptions.timing). `cache;desc=hit` marks an answer from the orders page cache.
 */
export default fp(
  async (app) => {
    app.decorateRequest('timing', null as unknown as RequestTiming);
    app.addHook('onRequest', (request, _reply, done) => {
      request.timing = { startedAt: performance.now(), dbMs: 0, cacheHit: false };
      done();
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      // Absent only when Fastify answered before any hook ran (a URL it cannot decode).
      if (!request.timing) return done(null, payload);
      const { startedAt, dbMs, cacheHit } = request.timing;
      const timing = `app;dur=${(performance.now() - startedAt).toFixed(1)}, db;dur=${dbMs.toFixed(1)}`;
      reply.header('server-timing', cacheHit ? `${timing}, cache;desc=hit` : timing);
      done(null, payload);
    });
  },
  { name: 'server-timing' },
);
