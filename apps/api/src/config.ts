import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEADLINES, MAX_BATCH_IDS, RATE_LIMIT_DEFAULTS, type RateLimitBucket } from '@tandem/contract';
import { defaultDevCertDir } from '@tandem/dev-cert';
import { ConfigError, type Environment } from '@tandem/server-kit';
import { z } from 'zod';

/** `<repo>/`, two folders above this file from src/ and from dist/ alike. */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An unset or blank variable takes the default; `API_PORT=` in a .env file means "unset". */
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(blankAsUnset, z.string().optional());
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number<string>().int().min(min).max(max).default(fallback));
/** A share of the time in [0, 1]; 0 turns the threshold it sets off. */
const share = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number<string>().min(0).max(1).default(fallback));
/** Units per second: any positive number (0.5 = one unit every 2 s). */
const unitsPerSecond = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number<string>().positive().max(1_000_000).default(fallback));
/** A bucket size: whole units, at least the largest single request the bucket must admit. */
const burst = (fallback: number, minimum: number, why: string) =>
  z.preprocess(
    blankAsUnset,
    z.coerce
      .number<string>()
      .int()
      .max(10_000_000)
      .default(fallback)
      .refine((value) => value >= minimum, `must be at least ${minimum}: ${why}`),
  );
/** `true` or `false`, nothing looser: a typo must stop the API, not flip a switch. */
const flag = (fallback: boolean) =>
  z.preprocess(
    blankAsUnset,
    z
      .enum(['true', 'false'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true'),
  );
const path = (fallback: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .default(fallback)
      .transform((value) => (isAbsolute(value) ? value : resolve(repoRoot, value))),
  );

const Origin = z
  .url({ protocol: /^https?$/ })
  .refine((value) => URL.canParse(value) && new URL(value).origin === value, {
    message: 'an origin is scheme://host[:port] with no path or trailing slash',
  });

/**
 * A variable that was renamed or removed: set, the API stops and says what replaced it
 * rather than ignore it (a setting the operator believes in, silently without effect).
 */
const replaced = (what: string) => z.preprocess(blankAsUnset, z.undefined({ error: what }).optional());

/**
 * Every variable the API reads, with its default. `.env.example` documents the same list.
 * A layer registered on top (app.ts) reads variables of its own from the same environment.
 */
const EnvSchema = z
  .object({
    API_HOST: z.preprocess(blankAsUnset, z.string().default('localhost')),
    API_PORT: integer(0, 65_535, 8443),
    /** A second TLS listener offering ALPN http/1.1 only (the h2-sse lab's naive side); 0 = off. */
    API_H1_PORT: integer(0, 65_535, 8444),
    /** Comma-separated; `none`: no cross-origin caller, no CORS at all (plugins/external/cors.ts). */
    CORS_ORIGINS: z.preprocess(
      blankAsUnset,
      z
        .string()
        .default('https://localhost:5173')
        .transform((list) =>
          list.trim() === 'none'
            ? []
            : list
                .split(',')
                .map((origin) => origin.trim())
                .filter(Boolean),
        )
        .pipe(z.array(Origin)),
    ),
    DATABASE_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    PGLITE_DATA_DIR: path('.data/pglite'),
    SEED_ORDERS: integer(0, 10_000_000, 10_000),
    DB_POOL_MAX: integer(1, 1000, 10),
    LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(LOG_LEVELS).default('info')),
    /** Off: no `/metrics` route and no per-request metric hooks (the benchmark's "metrics off" side). */
    METRICS_ENABLED: flag(true),
    /** Off: no HSTS, CSP, nosniff or Referrer-Policy from the API (a proxy in front sets them; plugins/external/helmet.ts). */
    SECURITY_HEADERS: flag(true),
    BODY_LIMIT_BYTES: integer(1, 100 * 1024 * 1024, 65_536),
    SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 10_000),
    /** On SIGTERM/SIGINT, `/readyz` fails this long before the server closes (a balancer takes it out); 0 = close at once. */
    SHUTDOWN_DRAIN_MS: integer(0, 600_000, 0),
    TLS_CERT_FILE: optionalText,
    TLS_KEY_FILE: optionalText,
    TLS_DEV_CERT_DIR: path(defaultDevCertDir),
    /** Bearer token of the admin routes (rollout, heap snapshots, event generator); unset: they answer 403 ADMIN_DISABLED. */
    ADMIN_TOKEN: optionalText,
    /** How long a session lives unused; every use (at most once a minute) extends it to this again. */
    SESSION_TTL_SECONDS: integer(60, 31_536_000, 604_800),
    /** How long a looked-up session is answered from memory; a revocation through this API drops it at once. 0 = a query per lookup. */
    SESSION_CACHE_TTL_MS: integer(0, 60_000, 5000),
    /** The most sessions the lookups cache holds; past it the oldest goes. */
    SESSION_CACHE_MAX_ENTRIES: integer(1, 10_000_000, 10_000),
    /** Set: the demo accounts (demo@tandem.local, admin@tandem.local) exist with this password. Demo data only. */
    DEMO_PASSWORD: optionalText,
    LAB_ADMIN_TOKEN: replaced('was renamed: set ADMIN_TOKEN (the one token of every admin route)'),
    // #region labs
    /** true: the workshop's lab layer is registered on top of the API (app.ts); false: the product alone. */
    LABS_ENABLED: flag(false),
    // #endregion labs
    WS_PING_INTERVAL_MS: integer(10, 3_600_000, 30_000),
    WS_PONG_TIMEOUT_MS: integer(10, 3_600_000, 10_000),
    SSE_HEARTBEAT_MS: integer(10, 3_600_000, 15_000),
    H2_PING_INTERVAL_MS: integer(10, 3_600_000, 30_000),
    TCP_KEEPALIVE_MS: integer(1000, 7_200_000, 45_000),
    EVENT_REPLAY_SIZE: integer(1, 1_000_000, 1000),
    SSE_RETRY_MS: integer(0, 3_600_000, 3000),
    /** Rate limits per client (plugins/app/rate-limit.ts); defaults from the contract's RATE_LIMIT_DEFAULTS. */
    RATE_LIMIT_API_UNITS_PER_SECOND: unitsPerSecond(RATE_LIMIT_DEFAULTS.buckets.api.unitsPerSecond),
    RATE_LIMIT_API_BURST: burst(
      RATE_LIMIT_DEFAULTS.buckets.api.burst,
      MAX_BATCH_IDS,
      `a batch of ${MAX_BATCH_IDS} ids costs ${MAX_BATCH_IDS} units and must fit in one burst`,
    ),
    RATE_LIMIT_RUM_UNITS_PER_SECOND: unitsPerSecond(RATE_LIMIT_DEFAULTS.buckets.rum.unitsPerSecond),
    RATE_LIMIT_RUM_BURST: burst(RATE_LIMIT_DEFAULTS.buckets.rum.burst, 1, 'one beacon costs 1 unit'),
    /** Sign-in and sign-up attempts per client, and sign-in attempts per account (credential stuffing). */
    RATE_LIMIT_SIGN_IN_UNITS_PER_SECOND: unitsPerSecond(RATE_LIMIT_DEFAULTS.buckets.signIn.unitsPerSecond),
    RATE_LIMIT_SIGN_IN_BURST: burst(RATE_LIMIT_DEFAULTS.buckets.signIn.burst, 1, 'one attempt costs 1 unit'),
    RATE_LIMIT_SIGN_IN_ACCOUNT_UNITS_PER_SECOND: unitsPerSecond(
      RATE_LIMIT_DEFAULTS.buckets.signInAccount.unitsPerSecond,
    ),
    RATE_LIMIT_SIGN_IN_ACCOUNT_BURST: burst(
      RATE_LIMIT_DEFAULTS.buckets.signInAccount.burst,
      1,
      'one attempt costs 1 unit',
    ),
    RATE_LIMIT_WEIGHTING: replaced(
      'was removed: every request is charged what its endpoint declares (a batch: its distinct ids)',
    ),
    /**
     * Set: what replicas must share lives in this Redis — the rate-limit buckets, the live
     * events' order (a stream), the WebSocket presence count and the caches' invalidations
     * (docs/decisions/0016-shared-state-on-redis.md). Unset: all of it in this process.
     */
    REDIS_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^rediss?$/ }).optional()),
    /** With REDIS_URL: about how many events the Redis stream keeps; the replay window of a resume on any replica. */
    EVENT_STREAM_RETENTION: integer(1, 10_000_000, 10_000),
    /** With REDIS_URL: how often a replica refreshes its WebSocket count in Redis; a count not refreshed for 3 intervals is dropped. */
    PRESENCE_HEARTBEAT_MS: integer(100, 600_000, 5000),
    /** Proxies in front of the API whose X-Forwarded-For is trusted; 0 = the socket's peer is the client. */
    TRUST_PROXY_HOPS: integer(0, 10, 0),
    /** The deadline of a request that sends no X-Request-Timeout (plugins/app/deadline.ts). */
    REQUEST_TIMEOUT_DEFAULT_MS: integer(1, 86_400_000, DEADLINES.serverDefaultMs),
    /** The longest deadline a client may ask for; longer ones are clamped to it. */
    REQUEST_TIMEOUT_MAX_MS: integer(1, 86_400_000, DEADLINES.serverMaxMs),
    /** Where heap snapshots go (SIGUSR2, POST /api/v1/admin/heap-snapshot); relative to the repository. */
    HEAP_SNAPSHOT_DIR: path('.data/heap'),
    /** How stale the cached first orders page may get from writes this instance did not make; 0 = no cache. */
    ORDERS_PAGE_CACHE_TTL_MS: integer(0, 60_000, 1000),
    /** false: every client is assigned v1 (the rollback switch at start); /api/v2 still answers. */
    API_V2_ENABLED: flag(true),
    /** Percent of clients (canary buckets 0–99) assigned v2 at start; PUT /api/v1/admin/rollout changes it. */
    API_V2_SHARE: integer(0, 100, 0),
    /**
     * Load shedding (plugins/app/load-shedding.ts): past any threshold, every /api/ request
     * but the admin routes answers 503 OVERLOADED and /readyz fails. 0 turns a threshold off.
     */
    LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: integer(0, 60_000, 200),
    LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: share(0.98),
    LOAD_SHEDDING_MAX_HEAP_USED_MB: integer(0, 1_048_576, 1024),
    /** How often the thresholds are checked; each figure is over the last interval. */
    LOAD_SHEDDING_SAMPLE_INTERVAL_MS: integer(10, 60_000, 1000),
    /** The `Retry-After` (and `data.retryAfterMs`) of a shed request. */
    LOAD_SHEDDING_RETRY_AFTER_S: integer(1, 3600, 2),
  })
  .superRefine((env, ctx) => {
    if (env.REQUEST_TIMEOUT_DEFAULT_MS > env.REQUEST_TIMEOUT_MAX_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REQUEST_TIMEOUT_DEFAULT_MS'],
        message: `must not exceed REQUEST_TIMEOUT_MAX_MS (${env.REQUEST_TIMEOUT_MAX_MS})`,
      });
    }
  });

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  host: string;
  port: number;
  corsOrigins: readonly string[];
  database: { url: string | undefined; pgliteDataDir: string; poolMax: number; seedOrders: number };
  logLevel: (typeof LOG_LEVELS)[number];
  /** METRICS_ENABLED: `/metrics` and the HTTP metric hooks; on by default. */
  metricsEnabled: boolean;
  /** SECURITY_HEADERS: helmet's headers on every answer (plugins/external/helmet.ts); on by default. */
  securityHeaders: boolean;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /**
   * SHUTDOWN_DRAIN_MS: how long `/readyz` answers 503, everything else still served, between
   * SIGTERM and the close (SIGINT never drains); 0 (the default, one process with nothing in
   * front) closes at once.
   */
  shutdownDrainMs: number;
  tls: { certFile: string | undefined; keyFile: string | undefined; devCertDir: string };
  /** The HTTP/1.1-only TLS listener's port; 0 when it is off. */
  h1Port: number;
  /** ADMIN_TOKEN: bearer token of the admin routes; undefined turns them off (403). */
  adminToken: string | undefined;
  /** SESSION_TTL_SECONDS: a session's rolling lifetime. */
  sessionTtlSeconds: number;
  /** SESSION_CACHE_TTL_MS (0 = off), SESSION_CACHE_MAX_ENTRIES: the session lookups cache (accounts/session-cache.ts). */
  sessionCache: { ttlMs: number; maxEntries: number };
  /** DEMO_PASSWORD: the demo accounts' password; undefined seeds none. */
  demoPassword: string | undefined;
  // #region labs
  /** LABS_ENABLED: register the workshop's lab layer on top of the API (off by default). */
  labsEnabled: boolean;
  // #endregion labs
  live: LiveConfig;
  rateLimit: RateLimitConfig;
  sharedState: SharedStateConfig;
  /** TRUST_PROXY_HOPS: how many proxies' X-Forwarded-For entries `request.ip` may read; 0 = none. */
  trustProxyHops: number;
  deadlines: DeadlineConfig;
  /** HEAP_SNAPSHOT_DIR: where SIGUSR2 and the admin endpoint write heap snapshots (absolute). */
  heapSnapshotDir: string;
  /** ORDERS_PAGE_CACHE_TTL_MS: the first orders page's cache lifetime (plugins/app/orders-page-cache.ts); 0 = off. */
  ordersPageCacheTtlMs: number;
  /** The v2 rollout at start (API_V2_ENABLED, API_V2_SHARE); plugins/app/api-rollout.ts holds it at run time. */
  apiV2: { enabled: boolean; share: number };
  loadShedding: LoadSheddingConfig;
}

/** When the API sheds load (LOAD_SHEDDING_*); a threshold of 0 is off, all three off: no shedding at all. */
export interface LoadSheddingConfig {
  /** Mean event-loop delay over the last sample, beyond the sampler's own 10 ms tick. */
  maxEventLoopDelayMs: number;
  /** Event-loop utilisation over the last sample, 0–1. */
  maxEventLoopUtilization: number;
  maxHeapUsedBytes: number;
  sampleIntervalMs: number;
  retryAfterSeconds: number;
}

/** Request deadlines (X-Request-Timeout): the default when none is sent, and the cap. */
export interface DeadlineConfig {
  defaultMs: number;
  maxMs: number;
}

/** Timings of the long-lived connections (SSE, WebSocket, HTTP/2, TCP). */
export interface LiveConfig {
  wsPingIntervalMs: number;
  /** Also the HTTP/2 PING deadline. */
  wsPongTimeoutMs: number;
  sseHeartbeatMs: number;
  h2PingIntervalMs: number;
  tcpKeepaliveMs: number;
  /** How many recent events `Last-Event-ID` can resume from. */
  eventReplaySize: number;
  sseRetryMs: number;
}

/**
 * What API replicas share through Redis besides the rate-limit buckets (shared-state/):
 * without `redisUrl`, each feature is this process's alone.
 */
export interface SharedStateConfig {
  /** REDIS_URL; unset: live events, presence and cache invalidations stay in this process. */
  redisUrl: string | undefined;
  /** EVENT_STREAM_RETENTION: the stream's approximate length (MAXLEN ~), the replay window across replicas. */
  eventStreamRetention: number;
  /** PRESENCE_HEARTBEAT_MS: how often this replica's WebSocket count is refreshed in Redis (it expires after 3). */
  presenceHeartbeatMs: number;
}

/**
 * Per-client rate limits: each bucket's rate and burst, and where buckets live. Every
 * request is charged its endpoint's declared weight (`app.rateLimiter.setWeighting`).
 */
export interface RateLimitConfig {
  settings: {
    buckets: Record<RateLimitBucket, { unitsPerSecond: number; burst: number }>;
  };
  /** Unset: in this process. */
  redisUrl: string | undefined;
}

export { ConfigError, type Environment };

/**
 * Parses an environment (process.env by default) into the frozen config every part of
 * the API receives. Throws a `ConfigError` naming every bad variable at once.
 */
export function loadConfig(env: Environment = process.env): Readonly<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw ConfigError.of(parsed.error, env);
  const e = parsed.data;
  return deepFreeze({
    host: e.API_HOST,
    port: e.API_PORT,
    corsOrigins: e.CORS_ORIGINS,
    database: {
      url: e.DATABASE_URL,
      pgliteDataDir: e.PGLITE_DATA_DIR,
      poolMax: e.DB_POOL_MAX,
      seedOrders: e.SEED_ORDERS,
    },
    logLevel: e.LOG_LEVEL,
    metricsEnabled: e.METRICS_ENABLED,
    securityHeaders: e.SECURITY_HEADERS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    tls: { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE, devCertDir: e.TLS_DEV_CERT_DIR },
    h1Port: e.API_H1_PORT,
    adminToken: e.ADMIN_TOKEN,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    sessionCache: { ttlMs: e.SESSION_CACHE_TTL_MS, maxEntries: e.SESSION_CACHE_MAX_ENTRIES },
    demoPassword: e.DEMO_PASSWORD,
    labsEnabled: e.LABS_ENABLED, // #labs
    live: {
      wsPingIntervalMs: e.WS_PING_INTERVAL_MS,
      wsPongTimeoutMs: e.WS_PONG_TIMEOUT_MS,
      sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
      h2PingIntervalMs: e.H2_PING_INTERVAL_MS,
      tcpKeepaliveMs: e.TCP_KEEPALIVE_MS,
      eventReplaySize: e.EVENT_REPLAY_SIZE,
      sseRetryMs: e.SSE_RETRY_MS,
    },
    rateLimit: {
      settings: {
        buckets: {
          api: { unitsPerSecond: e.RATE_LIMIT_API_UNITS_PER_SECOND, burst: e.RATE_LIMIT_API_BURST },
          rum: { unitsPerSecond: e.RATE_LIMIT_RUM_UNITS_PER_SECOND, burst: e.RATE_LIMIT_RUM_BURST },
          signIn: { unitsPerSecond: e.RATE_LIMIT_SIGN_IN_UNITS_PER_SECOND, burst: e.RATE_LIMIT_SIGN_IN_BURST },
          signInAccount: {
            unitsPerSecond: e.RATE_LIMIT_SIGN_IN_ACCOUNT_UNITS_PER_SECOND,
            burst: e.RATE_LIMIT_SIGN_IN_ACCOUNT_BURST,
          },
        },
      },
      redisUrl: e.REDIS_URL,
    },
    sharedState: {
      redisUrl: e.REDIS_URL,
      eventStreamRetention: e.EVENT_STREAM_RETENTION,
      presenceHeartbeatMs: e.PRESENCE_HEARTBEAT_MS,
    },
    trustProxyHops: e.TRUST_PROXY_HOPS,
    deadlines: { defaultMs: e.REQUEST_TIMEOUT_DEFAULT_MS, maxMs: e.REQUEST_TIMEOUT_MAX_MS },
    heapSnapshotDir: e.HEAP_SNAPSHOT_DIR,
    ordersPageCacheTtlMs: e.ORDERS_PAGE_CACHE_TTL_MS,
    apiV2: { enabled: e.API_V2_ENABLED, share: e.API_V2_SHARE },
    loadShedding: {
      maxEventLoopDelayMs: e.LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: e.LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION,
      maxHeapUsedBytes: e.LOAD_SHEDDING_MAX_HEAP_USED_MB * 1024 * 1024,
      sampleIntervalMs: e.LOAD_SHEDDING_SAMPLE_INTERVAL_MS,
      retryAfterSeconds: e.LOAD_SHEDDING_RETRY_AFTER_S,
    },
  });
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
