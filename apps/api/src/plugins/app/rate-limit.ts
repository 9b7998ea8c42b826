import {
  type Endpoint,
  endpoints,
  RATE_LIMIT_HEADERS,
  type RateLimitBucket,
  type RateLimitCost,
  type RateLimitWeighting,
} from '@tandem/contract';
import type { FastifyBaseLogger, FastifyReply, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import { clientKeyOf } from '../../rate-limit/client-key.js';
import { MemoryRateLimitStore } from '../../rate-limit/memory-store.js';
import type { RateLimitDecision, RateLimitStore } from '../../rate-limit/rate-limit-store.js';
import { RateLimiter, type RateLimitSettings } from '../../rate-limit/rate-limiter.js';
import { RedisRateLimitStore } from '../../rate-limit/redis-store.js';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    rateLimiter: RateLimiter;
    /** Whether requests are charged at all; a change applies to the next request. */
    rateLimitPolicy: Setting<RateLimitPolicy>;
  }
}

export interface RateLimitPolicy {
  /**
   * On: every limited request is charged, answered with its RateLimit-* headers, and a 429
   * once its bucket is empty. Off: nothing is charged, counted or refused (an API behind a
   * gateway that limits for it); `GET /api/v1/limits` still publishes the configured limits.
   */
  readonly enforce: boolean;
}

export interface RateLimitPluginOptions {
  settings: RateLimitSettings;
  /** REDIS_URL: set, the buckets live in Redis and replicas share them; unset, in this process. */
  redisUrl: string | undefined;
  /** A store instead of the one `redisUrl` picks (tests: a memory store on a clock they move). */
  store?: RateLimitStore;
  /** At start (default `weighted`); `app.rateLimiter.setWeighting` changes it at run time. */
  weighting?: RateLimitWeighting;
  /** At start (default: enforce); `app.rateLimitPolicy` changes it at run time. */
  policy?: RateLimitPolicy;
}

/** A limited route, from its contract endpoint. */
interface LimitedRoute {
  /** Its path pattern, the `route` label of its rejections. */
  route: string;
  bucket: RateLimitBucket;
  cost: RateLimitCost;
  query: z.ZodObject | undefined;
}

const kCharge = Symbol('rate-limit charge');

/** At most one store warning per this long, with the count of the ones held back. */
const WARNING_INTERVAL_MS = 10_000;

/**
 * Per-client rate limits on the routes whose contract endpoint declares `rateLimit`
 * (endpoints.ts); everything else — /metrics, the probes, CORS preflights, the event
 * stream, the WebSocket upgrade, the admin routes, unknown URLs — is never charged.
 *
 * Runs at onRequest, after CORS (a 429 keeps its CORS headers, so the SPA can read it)
 * and before the body is read: a refused request costs no parsing. A batch's cost is
 * its distinct ids, read with the endpoint's own query schema; a query that does not
 * validate costs 1 and gets its 400 later; whether that cost is charged (`weighted`),
 * or every request counts 1 (`per-request`), is the limiter's weighting.
 * Every limited answer carries
 * `RateLimit-Limit/Remaining/Reset`; a refusal is a 429 RATE_LIMITED envelope with
 * `Retry-After` and `data.retryAfterMs` (error-handler.ts), counted in
 * `tandem_rate_limit_rejections_total`.
 */
export default fp<RateLimitPluginOptions>(
  async (app, options) => {
    const { rateLimitRejections, rateLimitStoreFailures } = app.metrics;
    const warn = throttledWarning(app.log);
    const store =
      options.store ??
      (options.redisUrl
        ? await RedisRateLimitStore.connect({
            url: options.redisUrl,
            onConnectionError: (error) => warn(error, 'rate-limit store: Redis connection failed'),
          })
        : new MemoryRateLimitStore());
    const limiter = new RateLimiter({
      settings: options.settings,
      weighting: options.weighting ?? 'weighted',
      store,
      onStoreError: (error) => {
        rateLimitStoreFailures.inc();
        warn(error, 'rate-limit store did not answer: request admitted unchecked (fail open)');
      },
    });
    app.decorate('rateLimiter', limiter);
    const policy = createSetting(options.policy ?? { enforce: true });
    app.decorate('rateLimitPolicy', policy);
    app.addHook('onClose', () => limiter.close());
    app.log.info({ store: store.kind, weighting: limiter.weighting }, 'rate limiter ready');

    const limited = limitedRoutes();

    /**
     * Charges the request its endpoint's cost, then answers what the limiter decided:
     * the RateLimit-* headers, and the error a refusal is answered with.
     */
    const decided = (
      decision: RateLimitDecision | undefined,
      reply: FastifyReply,
      found: LimitedRoute,
      declaredCost: number,
    ): AppError | undefined => {
      if (!decision) return undefined;
      reply.header(RATE_LIMIT_HEADERS.limit, String(decision.limit));
      reply.header(RATE_LIMIT_HEADERS.remaining, String(decision.remaining));
      reply.header(RATE_LIMIT_HEADERS.reset, String(Math.ceil(decision.resetMs / 1000)));
      if (decision.allowed) return undefined;
      rateLimitRejections.inc({ route: found.route, bucket: found.bucket });
      if (decision.retryAfterMs === undefined) {
        const cost = limiter.costOf(declaredCost);
        return new AppError('RATE_LIMITED', {
          message: `This request costs ${cost} units, more than the ${decision.limit} a client's ${found.bucket} bucket holds: send fewer ids.`,
        });
      }
      return new AppError('RATE_LIMITED', {
        message: `The ${found.bucket} rate limit of this client is used up; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
        retryAfterMs: decision.retryAfterMs,
      });
    };

    /**
     * A limited route's own onRequest hook, made when the route is added: the route's
     * declaration is at hand, nothing is looked up per request. Synchronous while the
     * store answers at once (in this process); it waits only for Redis.
     */
    const chargeFor = (found: LimitedRoute): onRequestHookHandler => {
      const charge: onRequestHookHandler = function chargeRateLimit(request, reply, done) {
        if (!policy.get().enforce) return done();
        const declaredCost = found.cost === 'ids' ? distinctIdsOf(found.query, request.query) : 1;
        const decision = limiter.consume(found.bucket, clientKeyOf(request.ip), declaredCost);
        if (decision instanceof Promise) {
          decision.then((answered) => done(decided(answered, reply, found, declaredCost)));
        } else {
          done(decided(decision, reply, found, declaredCost));
        }
      };
      Object.defineProperty(charge, kCharge, { value: true });
      return charge;
    };

    // Every limited route gets its charge as its first own onRequest hook: after the app's
    // hooks (CORS, request id: a 429 carries them) and before the deadline's and the body.
    // Each limited route's counter starts at 0, so rate() has a series before the first 429.
    app.addHook('onRoute', (route) => {
      const hooks = asArray(route.onRequest);
      if (hooks.some((hook) => (hook as unknown as Record<symbol, unknown>)[kCharge])) return; // HEAD copies its GET
      for (const method of [route.method].flat()) {
        const found = limited.get(`${method === 'HEAD' ? 'GET' : method} ${route.url}`);
        if (!found) continue;
        if (method !== 'HEAD') rateLimitRejections.inc({ route: found.route, bucket: found.bucket }, 0);
        route.onRequest = [chargeFor(found), ...hooks];
        return;
      }
    });
  },
  { name: 'rate-limit', dependencies: ['metrics', 'error-handler', 'cors'] },
);

/** `GET /api/v1/orders` → its declaration, for every endpoint that declares one. */
function limitedRoutes(): Map<string, LimitedRoute> {
  const routes = new Map<string, LimitedRoute>();
  for (const endpoint of Object.values(endpoints) as Endpoint[]) {
    if (!endpoint.rateLimit) continue;
    const cost = endpoint.rateLimit.cost ?? 'one';
    if (cost === 'ids' && !endpoint.query?.shape.ids) {
      throw new Error(`${endpoint.method} ${endpoint.path} is charged per id but its query has no ids`);
    }
    routes.set(`${endpoint.method} ${endpoint.path}`, {
      route: endpoint.path,
      bucket: endpoint.rateLimit.bucket,
      cost,
      query: endpoint.query,
    });
  }
  return routes;
}

/** The number of distinct ids the endpoint's query schema reads; 1 when the query is invalid (it will be a 400). */
function distinctIdsOf(query: z.ZodObject | undefined, raw: unknown): number {
  const parsed = query?.safeParse(raw);
  const ids: unknown = parsed?.success ? (parsed.data as { ids?: unknown }).ids : undefined;
  return Array.isArray(ids) && ids.length > 0 ? new Set(ids).size : 1;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Logs a warning at most once per WARNING_INTERVAL_MS, saying how many were held back. */
function throttledWarning(log: FastifyBaseLogger) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let heldBack = 0;
  return (error: unknown, message: string) => {
    const now = performance.now();
    if (now - lastAt < WARNING_INTERVAL_MS) {
      heldBack += 1;
      return;
    }
    log.warn({ err: error, heldBack }, message);
    lastAt = now;
    heldBack = 0;
  };
}
