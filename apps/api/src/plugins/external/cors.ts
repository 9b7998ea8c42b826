import cors, { type FastifyCorsOptions } from '@fastify/cors';
import {
  API_VERSION_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  RATE_LIMIT_HEADERS,
  REQUEST_ID_HEADER,
} from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import fp from 'fastify-plugin';
import { corsPreflightPolicy } from '../../labs/cors-preflight-policy.js';

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
    const optionsFor = (mode: LabMode): FastifyCorsOptions => {
      const { maxAge, allowedHeaders } = corsPreflightPolicy(mode);
      return {
        origin: [...allowed],
        // PATCH advances an order; PUT is the Lab console's admin switch (with its bearer token).
        methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
        // The cors-preflight lab's switch: labs/cors-preflight-policy.ts.
        ...(allowedHeaders ? { allowedHeaders: [...allowedHeaders] } : {}),
        ...(maxAge !== null ? { maxAge } : {}),
        // The SPA asks GET /api/version with credentials so the sticky canary bucket cookie
        // travels; a browser drops a credentialed answer without Allow-Credentials: true. Only
        // the listed origins ever get it (never `*`), and no other call sends credentials.
        credentials: true,
        // Retry-After and the RateLimit-* budget let the SPA pace itself (plugins/app/rate-limit.ts);
        // api-version tells it which version served a call.
        exposedHeaders: [
          REQUEST_ID_HEADER,
          'server-timing',
          'retry-after',
          ...Object.values(RATE_LIMIT_HEADERS),
          IDEMPOTENT_REPLAYED_HEADER,
          API_VERSION_HEADER,
        ],
        // Strict mode answers an OPTIONS without Origin with a text/plain 400 of its own,
        // outside the envelope; such a request is answered like any other preflight instead.
        strictPreflight: false,
      };
    };
    // Built once per setting; the lab switch picks one per request.
    const byMode = { naive: optionsFor('naive'), tuned: optionsFor('tuned') } satisfies Record<
      LabMode,
      FastifyCorsOptions
    >;
    await app.register(cors, {
      delegator: (_request, callback) => callback(null, byMode[app.labs.mode('cors-preflight')]),
    });
  },
  { name: 'cors', dependencies: ['lab-switches'] },
);
