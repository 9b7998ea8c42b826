import cors from '@fastify/cors';
import {
  API_VERSION_HEADER,
  CANARY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  RATE_LIMIT_HEADERS,
  REQUEST_ID_HEADER,
  REQUEST_TIMEOUT_HEADER,
} from '@tandem/contract';
import fp from 'fastify-plugin';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What a preflight is answered with; a change applies to the next preflight. */
    corsPreflight: Setting<CorsPreflightPolicy>;
  }
}

/**
 * The longest preflight cache Chromium honours (it clamps `Access-Control-Max-Age` to 2 h;
 * Firefox allows 24 h, Safari 10 min). Without the header Chromium keeps a preflight 5 s.
 */
export const PREFLIGHT_MAX_AGE_SECONDS = 7_200;

/**
 * Every request header the SPA and the API's other clients may send cross-origin, lowercase
 * and sorted, in one list: one preflight then covers every header set a URL is called with.
 * An EventSource that reconnects sends Last-Event-ID; a create sends Idempotency-Key; a write
 * sends its deadline (X-Request-Timeout) and its request id; an admin call sends its bearer
 * token; the version check may send X-Api-Canary (an explicit v1/v2 choice, docs/versioning.md).
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = Object.freeze(
  [
    'authorization',
    'content-type',
    IDEMPOTENCY_KEY_HEADER,
    'last-event-id',
    REQUEST_ID_HEADER,
    REQUEST_TIMEOUT_HEADER,
    CANARY_HEADER,
  ].sort(),
);

/** What a preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered with. */
export interface CorsPreflightPolicy {
  /** `Access-Control-Max-Age` in seconds; null sends none (Chromium then caches the answer 5 s). */
  readonly maxAge: number | null;
  /**
   * The `Access-Control-Allow-Headers` list; null echoes the preflight's own
   * `Access-Control-Request-Headers` (and adds it to `Vary`), so a cached answer covers
   * only the header set it was asked for.
   */
  readonly allowedHeaders: readonly string[] | null;
}

/** The default: the browser's cap as max-age, one complete list whatever was asked. */
export const CACHED_PREFLIGHT: CorsPreflightPolicy = Object.freeze({
  maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  allowedHeaders: CORS_ALLOWED_HEADERS,
});

export interface CorsPluginOptions {
  /** Exact origins (`https://localhost:5173`); no wildcard, no pattern. */
  origins: readonly string[];
  /** The preflight answer at start (default CACHED_PREFLIGHT); `app.corsPreflight` changes it at run time. */
  preflight?: CorsPreflightPolicy;
}

/** The route @fastify/cors adds to accept every preflight (`OPTIONS *`). */
const isPreflightRoute = (route: { method: string | string[]; url: string }) =>
  route.url === '*' && [route.method].flat().includes('OPTIONS');

/**
 * Cross-origin access for the web app's origin only. Allowed origins also get
 * `Timing-Allow-Origin`, without which the browser's Resource Timing hides a response's
 * timings (and Server-Timing) from the page.
 *
 * The options are built once: an actual request gets the same headers from them every
 * time, with no per-request options resolver. The preflight answer (max-age, allowed
 * headers) is `app.corsPreflight`: it is handed to @fastify/cors as the route-level
 * `config.cors` of its `OPTIONS *` route, which @fastify/cors merges over these options on
 * every preflight, so a change applies to the next one.
 */
export default fp<CorsPluginOptions>(
  async (app, { origins, preflight = CACHED_PREFLIGHT }) => {
    const allowed = new Set(origins);
    app.addHook('onRequest', (request, reply, done) => {
      const origin = request.headers.origin;
      if (origin && allowed.has(origin)) reply.header('timing-allow-origin', origin);
      done();
    });

    const setting = createSetting(preflight);
    app.decorate('corsPreflight', setting);
    // The preflight route's `config.cors`, updated in place: @fastify/cors reads it per
    // preflight. null (not undefined) is its "none": no max-age, echo the asked-for headers.
    const preflightOverrides: { maxAge: number | null; allowedHeaders: string[] | null } = {
      maxAge: null,
      allowedHeaders: null,
    };
    const apply = ({ maxAge, allowedHeaders }: CorsPreflightPolicy) => {
      preflightOverrides.maxAge = maxAge;
      preflightOverrides.allowedHeaders = allowedHeaders ? [...allowedHeaders] : null;
    };
    apply(setting.get());
    setting.onChange(apply);
    app.addHook('onRoute', (route) => {
      if (isPreflightRoute(route)) route.config = { ...route.config, cors: preflightOverrides } as typeof route.config;
    });

    await app.register(cors, {
      origin: [...allowed],
      // PATCH advances an order; PUT is an admin switch (with its bearer token).
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
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
    });
  },
  { name: 'cors' },
);
