import { ConfigError, type Environment } from '@tandem/server-kit';
import { z } from 'zod';
import { flag, optionalBaseUrl, origin, replaced } from './env-values.js';

const renamed = (to: string) => replaced(`was renamed: set ${to} (read when the web server starts, not at build time)`);

/**
 * The variables the SPA's settings come from, read when the server (or `vite dev`) starts:
 * one production build serves any API. `.env.example` documents the same list.
 */
export const RuntimeConfigEnv = z.object({
  /** The API origin the browser calls (HTTP/2). */
  WEB_API_URL: origin('https://localhost:8443'),
  /** Real-user monitoring (src/rum/). */
  WEB_RUM_ENABLED: flag(true),
  VITE_API_URL: renamed('WEB_API_URL'),
  VITE_RUM: renamed('WEB_RUM_ENABLED'),
  // #region labs
  /** true: the SPA loads the workshop's lab layer (src/labs/) with import(). */
  WEB_LABS_ENABLED: flag(false),
  /** The API's HTTP/1.1-only listener: the h2-sse lab's naive setting. */
  WEB_API_H1_URL: origin('https://localhost:8444'),
  /** Where the Lab console links the lab pages (a repository's blob URL); unset: shown as paths. */
  WEB_DOCS_URL: optionalBaseUrl,
  VITE_LABS_ENABLED: renamed('WEB_LABS_ENABLED'),
  VITE_API_H1_URL: renamed('WEB_API_H1_URL'),
  VITE_DOCS_URL: renamed('WEB_DOCS_URL'),
  // #endregion labs
});

/**
 * The config block's content: what the SPA reads at start (src/config.ts). Only what a
 * browser may see: it is in every page.
 */
export interface RuntimeConfig {
  apiUrl: string;
  rum: boolean;
  // #region labs
  /** Whether main.ts loads the lab layer. */
  labs?: boolean;
  /** The lab layer's own settings (src/labs/labs-config.ts), only with labs on. */
  apiH1Url?: string;
  docsUrl?: string;
  // #endregion labs
}

/** The SPA's settings from the parsed variables. */
export function runtimeConfigOf(env: z.output<typeof RuntimeConfigEnv>): RuntimeConfig {
  const config: RuntimeConfig = {
    apiUrl: env.WEB_API_URL,
    rum: env.WEB_RUM_ENABLED,
    labs: env.WEB_LABS_ENABLED, // #labs
  };
  // #region labs
  if (env.WEB_LABS_ENABLED) {
    config.apiH1Url = env.WEB_API_H1_URL;
    if (env.WEB_DOCS_URL) config.docsUrl = env.WEB_DOCS_URL;
  }
  // #endregion labs
  return config;
}

/** The SPA's settings from an environment (`vite dev`'s; the server reads them with its own, config.ts). */
export function loadRuntimeConfig(env: Environment = process.env): RuntimeConfig {
  const parsed = RuntimeConfigEnv.safeParse(env);
  if (!parsed.success) throw ConfigError.of(parsed.error, env, 'of the web server');
  return runtimeConfigOf(parsed.data);
}

/**
 * The origins the SPA opens connections to (API calls, EventSource, RUM beacons, and the
 * WebSocket on the same host as wss:), for the CSP's connect-src.
 */
export function apiOriginsOf(config: RuntimeConfig): string[] {
  const origins = [config.apiUrl];
  if (config.apiH1Url) origins.push(config.apiH1Url); // #labs
  return origins.flatMap((origin) => [origin, origin.replace(/^http/, 'ws')]);
}
