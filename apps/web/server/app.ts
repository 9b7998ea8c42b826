import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import { readFirstScreens } from './first-screens.js';
import { readIndexHtml, serveIndexPage } from './index-page.js';
import { inlineStylesheets } from './inline-stylesheet.js';
import { addSecurityHeaders } from './security-headers.js';
import { serveStaticFiles } from './static-files.js';

export interface WebServerDependencies {
  /** The TLS pair (server.ts loads it from packages/dev-cert, or the user's own files). */
  tls: { key: string; cert: string };
}

/**
 * The production server of the SPA, built from its config and never listening (server.ts
 * listens; tests inject or listen on port 0): HTTP/2 over TLS with HTTP/1.1 allowed, the
 * build's files precompressed and cached by kind, index.html with the run's settings (and,
 * for a pre-rendered path, the page's first screen) as the SPA fallback, and the security headers on every answer.
 */
export async function buildWebServer(
  config: Readonly<ServerConfig>,
  { tls }: WebServerDependencies,
): Promise<FastifyInstance> {
  const { html: indexHtml, styleHashes } = inlineStylesheets(readIndexHtml(config.distDir), config.distDir);
  const firstScreens = readFirstScreens(config.distDir);
  const app = Fastify({
    http2: true,
    https: { allowHTTP1: true, key: tls.key, cert: tls.cert },
    logger: { level: config.logLevel },
    // On close, GOAWAY to every HTTP/2 session and idle HTTP/1.1 sockets closed: a browser
    // keeps its connection open after the last file, which would hold the close forever.
    forceCloseConnections: true,
    // Typed as Fastify's default instance: the transport changes nothing the parts below use.
  }) as unknown as FastifyInstance;
  addSecurityHeaders(app, config.apiOrigins, styleHashes);
  await serveStaticFiles(app, config.distDir);
  serveIndexPage(app, indexHtml, config.runtime, firstScreens);
  return app;
}
