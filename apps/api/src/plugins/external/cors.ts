import cors, { type FastifyCorsOptions } from '@fastify/cors';
import {
  API_VERSION_HEADER,
  CANARY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  RATE_LIMIT_HEADERS,
  REQUEST_ID_HEADER,
  REQUEST_TIMEOUT_HEADER,
} from '@tandem/contract';
import type { FastifyReply } from 'fastify';
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
  /**
   * Exact origins (`https://localhost:5173`); no wildcard, no pattern. None: the API has no
   * cross-origin caller (its pages are served from its own origin), and answers no request
   * with CORS headers; a preflight is then a 404 like any unknown route.
   */
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
 * Preflights (`OPTIONS`) are @fastify/cors's: it is registered in a context of its own
 * that holds only its `OPTIONS *` route, so its hook runs for preflights only. Their answer
 * (max-age, allowed headers) is `app.corsPreflight`: it is handed to @fastify/cors as the
 * route-level `config.cors` of that route, which @fastify/cors merges over its options on
 * every preflight, so a change applies to the next one.
 *
 * Every other request gets the headers @fastify/cors would give it with these options
 * (cors.test.ts holds the two side by side), computed once per allowed origin at start:
 * one Map lookup and a few header writes per request, where @fastify/cors merges its
 * options and joins the exposed headers anew each time.
 */
export default fp<CorsPluginOptions>(
  async (app, { origins, preflight = CACHED_PREFLIGHT }) => {
    const setting = createSetting(preflight);
    app.decorate('corsPreflight', setting);
    if (origins.length === 0) return;

    const allowed = new Set(origins);
    const actualHeaders = actualRequestHeaders(allowed);
    app.addHook('onRequest', (request, reply, done) => {
      const origin = request.headers.origin;
      const allowedOrigin = origin !== undefined && allowed.has(origin);
      // A preflight gets the rest from @fastify/cors, on its own route.
      if (request.method === 'OPTIONS') {
        if (allowedOrigin) reply.header('timing-allow-origin', origin);
        return done();
      }
      addVaryOrigin(reply);
      const headers = (allowedOrigin && actualHeaders.forOrigin.get(origin)) || actualHeaders.otherwise;
      for (let index = 0; index < headers.length; index += 2) {
        reply.header(headers[index] as string, headers[index + 1] as string);
      }
      done();
    });

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

    // Its own context: @fastify/cors's hook then runs for its OPTIONS * route only.
    await app.register(async (preflights) => {
      await preflights.register(cors, { ...FASTIFY_CORS_OPTIONS, origin: [...allowed] });
    });
  },
  { name: 'cors' },
);

/** @fastify/cors's options but the origins: the preflights' answer, and what actualRequestHeaders reproduces. */
export const FASTIFY_CORS_OPTIONS: Readonly<
  Omit<FastifyCorsOptions, 'origin'> & { credentials: boolean; exposedHeaders: string[] }
> = {
  // PATCH advances an order; PUT is an admin switch (with its bearer token).
  methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
  // Every SPA call is credentialed: the session cookie (and the canary bucket's) travels
  // with it, and a browser drops a credentialed answer without Allow-Credentials: true.
  // Only the listed origins ever get it (never `*`): the allowlist is the CSRF stance's too
  // (docs/decisions/0013-password-hashing-and-sessions.md).
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

/** Name, value, name, value …: the headers of an actual request, as one flat list. */
type HeaderList = readonly string[];

/**
 * What an actual (non-preflight) request is answered with, per origin, as @fastify/cors
 * answers it with FASTIFY_CORS_OPTIONS: credentials and exposed headers whatever the
 * origin, `Access-Control-Allow-Origin` (and our `Timing-Allow-Origin`) for an allowed one.
 */
function actualRequestHeaders(allowed: ReadonlySet<string>): {
  forOrigin: ReadonlyMap<string, HeaderList>;
  otherwise: HeaderList;
} {
  const otherwise = [
    'access-control-allow-credentials',
    String(FASTIFY_CORS_OPTIONS.credentials),
    'access-control-expose-headers',
    FASTIFY_CORS_OPTIONS.exposedHeaders.join(', '),
  ];
  const forOrigin = new Map<string, HeaderList>();
  for (const origin of allowed) {
    forOrigin.set(origin, ['access-control-allow-origin', origin, ...otherwise, 'timing-allow-origin', origin]);
  }
  return { forOrigin, otherwise };
}

/** `Vary: Origin`, added to a Vary the reply already has (as @fastify/cors does: the answer depends on it). */
function addVaryOrigin(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) {
    reply.header('vary', 'Origin');
    return;
  }
  const fields = String(vary).toLowerCase();
  if (fields === '*' || fields.split(',').some((field) => field.trim() === 'origin')) return;
  reply.header('vary', `${vary}, Origin`);
}
