import cors from '@fastify/cors';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  RATE_LIMIT_HEADERS,
  REQUEST_ID_HEADER,
  REQUEST_TIMEOUT_HEADER,
} from '@tandem/contract';
import fp from 'fastify-plugin';

export interface CorsPluginOptions {
  /** Exact origins (`https://localhost:5173`); no wildcard, no pattern. */
  origins: readonly string[];
}

/**
 * Cross-origin access for the web app's origin only. Allowed origins also get
 * `Timing-Allow-Origin`, without which the browser's Resource Timing hides a response's
 * timings (and Server-Timing) from the page.
 */
export default fp<CorsPluginOptions>(
  async (app, { origins }) => {
    const allowed = new Set(origins);
    app.addHook('onRequest', (request, reply, done) => {
      const origin = request.headers.origin;
      if (origin && allowed.has(origin)) reply.header('timing-allow-origin', origin);
      done();
    });
    await app.register(cors, {
      origin: [...allowed],
      // PATCH advances an order; PUT is the Lab console's admin switch (with its bearer token).
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
      // An EventSource that reconnects sends Last-Event-ID; a create sends Idempotency-Key;
      // every API call sends its deadline (X-Request-Timeout).
      allowedHeaders: [
        'content-type',
        REQUEST_ID_HEADER,
        'authorization',
        'last-event-id',
        IDEMPOTENCY_KEY_HEADER,
        REQUEST_TIMEOUT_HEADER,
      ],
      // Retry-After and the RateLimit-* budget let the SPA pace itself (plugins/app/rate-limit.ts).
      exposedHeaders: [
        REQUEST_ID_HEADER,
        'server-timing',
        'retry-after',
        ...Object.values(RATE_LIMIT_HEADERS),
        IDEMPOTENT_REPLAYED_HEADER,
      ],
      // Strict mode answers an OPTIONS without Origin with a text/plain 400 of its own,
      // outside the envelope; such a request is answered like any other preflight instead.
      strictPreflight: false,
    });
  },
  { name: 'cors' },
);
