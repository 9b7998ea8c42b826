import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LAB_IDS, type LabId, LabMode } from '@tandem/contract';
import { defaultDevCertDir } from '@tandem/dev-cert';
import { z } from 'zod';

/** `<repo>/`, two folders above this file from src/ and from dist/ alike. */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An unset or blank variable takes the default; `API_PORT=` in a .env file means "unset". */
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(blankAsUnset, z.string().optional());
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number<string>().int().min(min).max(max).default(fallback));
const labMode = z.preprocess(blankAsUnset, LabMode.default('tuned'));
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

/** Every variable the API reads, with its default. `.env.example` documents the same list. */
const EnvSchema = z.object({
  API_HOST: z.preprocess(blankAsUnset, z.string().default('localhost')),
  API_PORT: integer(0, 65_535, 8443),
  /** A second TLS listener offering ALPN http/1.1 only (the h2-sse lab's naive side); 0 = off. */
  API_H1_PORT: integer(0, 65_535, 8444),
  CORS_ORIGINS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .default('https://localhost:5173')
      .transform((list) =>
        list
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
  BODY_LIMIT_BYTES: integer(1, 100 * 1024 * 1024, 65_536),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 10_000),
  TLS_CERT_FILE: optionalText,
  TLS_KEY_FILE: optionalText,
  TLS_DEV_CERT_DIR: path(defaultDevCertDir),
  /** Unset: the admin routes answer 403 LAB_ADMIN_DISABLED. */
  LAB_ADMIN_TOKEN: optionalText,
  LAB_MODE_H2_SSE: labMode,
  LAB_MODE_HEARTBEAT: labMode,
  LAB_MODE_LEAKS: labMode,
  WS_PING_INTERVAL_MS: integer(10, 3_600_000, 30_000),
  WS_PONG_TIMEOUT_MS: integer(10, 3_600_000, 10_000),
  SSE_HEARTBEAT_MS: integer(10, 3_600_000, 15_000),
  H2_PING_INTERVAL_MS: integer(10, 3_600_000, 30_000),
  TCP_KEEPALIVE_MS: integer(1000, 7_200_000, 45_000),
  EVENT_REPLAY_SIZE: integer(1, 1_000_000, 1000),
  SSE_RETRY_MS: integer(0, 3_600_000, 3000),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  host: string;
  port: number;
  corsOrigins: readonly string[];
  database: { url: string | undefined; pgliteDataDir: string; poolMax: number; seedOrders: number };
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  tls: { certFile: string | undefined; keyFile: string | undefined; devCertDir: string };
  /** The HTTP/1.1-only TLS listener's port; 0 when it is off. */
  h1Port: number;
  /** Bearer token of the admin routes; undefined turns them off (403). */
  labAdminToken: string | undefined;
  /** Each lab's setting at start; the admin route flips them at run time. */
  labModes: Record<LabId, LabMode>;
  live: LiveConfig;
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses an environment (process.env by default) into the frozen config every part of
 * the API receives. Throws a `ConfigError` naming every bad variable at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
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
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    tls: { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE, devCertDir: e.TLS_DEV_CERT_DIR },
    h1Port: e.API_H1_PORT,
    labAdminToken: e.LAB_ADMIN_TOKEN,
    labModes: {
      'h2-sse': e.LAB_MODE_H2_SSE,
      heartbeat: e.LAB_MODE_HEARTBEAT,
      leaks: e.LAB_MODE_LEAKS,
    } satisfies Record<(typeof LAB_IDS)[number], LabMode>,
    live: {
      wsPingIntervalMs: e.WS_PING_INTERVAL_MS,
      wsPongTimeoutMs: e.WS_PONG_TIMEOUT_MS,
      sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
      h2PingIntervalMs: e.H2_PING_INTERVAL_MS,
      tcpKeepaliveMs: e.TCP_KEEPALIVE_MS,
      eventReplaySize: e.EVENT_REPLAY_SIZE,
      sseRetryMs: e.SSE_RETRY_MS,
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
