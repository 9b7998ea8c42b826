import { z } from 'zod';

/**
 * Rate limiting, as both sides must agree on it: the buckets a request can draw from, how
 * a route declares its cost (`Endpoint.rateLimit` in endpoints.ts), the default limits
 * (the API's RATE_LIMIT_* variables override them and `GET /api/v1/limits` publishes the
 * active ones) and the headers a client reads its budget from.
 */

/**
 * `api`: every JSON call of the SPA and of scripts. `rum`: browser beacons only, so
 * measurements never eat the budget of the calls they measure (and the reverse).
 * `signIn`: sign-in and sign-up attempts per client, and `signInAccount`: sign-in attempts
 * per account (e-mail), whichever client sends them — credential stuffing from many
 * addresses still meets the account's bucket. Both are small: each attempt costs a
 * password hash.
 */
export const RATE_LIMIT_BUCKETS = ['api', 'rum', 'signIn', 'signInAccount'] as const;
export const RateLimitBucket = z.enum(RATE_LIMIT_BUCKETS).meta({ id: 'RateLimitBucket' });
export type RateLimitBucket = z.output<typeof RateLimitBucket>;

/**
 * What one request costs in units: `one`, or `ids` — one unit per distinct id of the
 * endpoint's validated `ids` query (a batch of N orders does N orders' work).
 */
export type RateLimitCost = 'one' | 'ids';

/** An endpoint's rate-limit declaration. Endpoints without one are not limited. */
export interface RateLimitDeclaration {
  bucket: RateLimitBucket;
  /** `one` when absent. */
  cost?: RateLimitCost;
}

/**
 * `weighted` charges each request its declared cost; `per-request` charges every request
 * 1 unit whatever it asks for. The API's batch-weight lab switch picks it (naive =
 * `per-request`, tuned = `weighted`); `GET /api/v1/limits` publishes the one in force.
 */
export const RateLimitWeighting = z.enum(['per-request', 'weighted']).meta({ id: 'RateLimitWeighting' });
export type RateLimitWeighting = z.output<typeof RateLimitWeighting>;

/** One bucket per client: refilled at `unitsPerSecond`, holding at most `burst` units. */
export const BucketLimit = z
  .object({
    unitsPerSecond: z.number().positive().meta({ description: 'Sustained rate: units refilled per second.' }),
    burst: z.int().min(1).meta({ description: 'Bucket size: the most units a client can spend at once.' }),
  })
  .meta({ id: 'BucketLimit' });
export type BucketLimit = z.output<typeof BucketLimit>;

export const RateLimits = z
  .object({
    weighting: RateLimitWeighting,
    /** How clients are told apart. */
    key: z.literal('client-ip').meta({
      description:
        'Each client IP address (an IPv6 client by its /64) has its own buckets; `signInAccount` is kept per account (e-mail) instead.',
    }),
    buckets: z.object({ api: BucketLimit, rum: BucketLimit, signIn: BucketLimit, signInAccount: BucketLimit }),
  })
  .meta({ id: 'RateLimits' });
export type RateLimits = z.output<typeof RateLimits>;

/**
 * The default limits: sized for one person's SPA (a page view is a few calls, a batch
 * of 100 ids half the api burst) and for test suites that drive the API from one
 * loopback address. The RATE_LIMIT_* variables override them. The weighting has no
 * default here: it is the batch-weight lab's switch (tuned = `weighted`, the default).
 */
export const RATE_LIMIT_DEFAULTS = {
  buckets: {
    api: { unitsPerSecond: 50, burst: 200 },
    rum: { unitsPerSecond: 5, burst: 50 },
    // A person mistyping a password a few times never meets these; a script trying
    // passwords gets a few a minute.
    signIn: { unitsPerSecond: 0.5, burst: 20 },
    signInAccount: { unitsPerSecond: 0.1, burst: 10 },
  },
} as const satisfies Omit<RateLimits, 'key' | 'weighting'>;

/**
 * The budget headers on every limited answer (the IETF RateLimit fields, draft 6 style):
 * the bucket size, what is left after this request, and whole seconds until it is full.
 * A 429 also carries `Retry-After` (whole seconds, rounded up) and `data.retryAfterMs`.
 */
export const RATE_LIMIT_HEADERS = {
  limit: 'ratelimit-limit',
  remaining: 'ratelimit-remaining',
  reset: 'ratelimit-reset',
} as const;
