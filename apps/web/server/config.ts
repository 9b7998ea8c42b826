import { defaultDevCertDir } from '@tandem/dev-cert';
import { ConfigError, type Environment } from '@tandem/server-kit';
import { integer, oneOf, optionalText, path, text } from './env-values.js';
import { apiOriginsOf, type RuntimeConfig, RuntimeConfigEnv, runtimeConfigOf } from './runtime-config.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every variable the web server reads, with its default (`.env.example` documents the same list). */
const ServerEnv = RuntimeConfigEnv.extend({
  WEB_HOST: text('localhost'),
  WEB_PORT: integer(0, 65_535, 5173),
  /** The production build to serve (`pnpm --filter @tandem/web build` writes apps/web/dist). */
  WEB_DIST_DIR: path('apps/web/dist'),
  WEB_LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  TLS_CERT_FILE: optionalText,
  TLS_KEY_FILE: optionalText,
  TLS_DEV_CERT_DIR: path(defaultDevCertDir),
});

export interface ServerConfig {
  host: string;
  port: number;
  distDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  tls: { certFile: string | undefined; keyFile: string | undefined; devCertDir: string };
  /** What the SPA reads from index.html's config block. */
  runtime: RuntimeConfig;
  /** The CSP's connect-src besides 'self': the API origins, https: and wss:. */
  apiOrigins: readonly string[];
}

/**
 * Parses an environment (process.env by default) into the frozen config the server runs
 * with. Throws a `ConfigError` naming every bad variable at once.
 */
export function loadServerConfig(env: Environment = process.env): Readonly<ServerConfig> {
  const parsed = ServerEnv.safeParse(env);
  if (!parsed.success) throw ConfigError.of(parsed.error, env, 'of the web server');
  const e = parsed.data;
  const runtime = Object.freeze(runtimeConfigOf(e));
  return Object.freeze({
    host: e.WEB_HOST,
    port: e.WEB_PORT,
    distDir: e.WEB_DIST_DIR,
    logLevel: e.WEB_LOG_LEVEL,
    tls: Object.freeze({ certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE, devCertDir: e.TLS_DEV_CERT_DIR }),
    runtime,
    apiOrigins: Object.freeze(apiOriginsOf(runtime)),
  });
}
