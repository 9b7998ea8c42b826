import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import { type RequestTiming, requestTimings } from '../../request-timing.js';

declare module 'fastify' {
  interface FastifyRequest {
    timing: RequestTiming;
  }
}

/**
 * `Server-Timing: app;dur=<ms>, db;dur=<ms>` on every response, so the browser's
 * Resource Timing shows where a request's time went (CORS exposes the header).
 * Two clock reads and one header per request.
 */
export default fp(
  async (app) => {
    app.decorateRequest('timing', null as unknown as RequestTiming);
    app.addHook('onRequest', (request, _reply, done) => {
      request.timing = { startedAt: performance.now(), dbMs: 0 };
      done();
    });
    // The body has been read by now, on callbacks outside any context of ours: enter the
    // request's timing here, right before the handler, so the queries it awaits add to it.
    app.addHook('preHandler', (request, _reply, done) => {
      requestTimings.run(request.timing, done);
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      // Absent only when Fastify answered before any hook ran (a URL it cannot decode).
      if (!request.timing) return done(null, payload);
      const { startedAt, dbMs } = request.timing;
      reply.header('server-timing', `app;dur=${(performance.now() - startedAt).toFixed(1)}, db;dur=${dbMs.toFixed(1)}`);
      done(null, payload);
    });
  },
  { name: 'server-timing' },
);
