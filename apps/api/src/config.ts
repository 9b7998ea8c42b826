import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  });
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
