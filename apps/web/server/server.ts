import { loadTlsCertificate } from '@tandem/dev-cert';
import { ConfigError, shutdownOnSignals } from '@tandem/server-kit';
import type { FastifyInstance } from 'fastify';
import { buildWebServer } from './app.js';
import { loadServerConfig, type ServerConfig } from './config.js';

/** How long in-flight files may take to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Loads the config, builds the server, listens, and shuts down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Readonly<ServerConfig>;
  try {
    config = loadServerConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  let app: FastifyInstance;
  try {
    const tls = await loadTlsCertificate(config.tls);
    app = await buildWebServer(config, { tls });
  } catch (error) {
    // No build in WEB_DIST_DIR, a certificate file that cannot be read: configuration, said in one line.
    return fail(`Tandem web server could not start: ${(error as Error).message}`);
  }

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      return fail(`Port ${config.port} on ${config.host} is already in use: stop the other process or set WEB_PORT.`);
    }
    if (code === 'EACCES')
      return fail(`Not allowed to listen on ${config.host}:${config.port}: choose another WEB_PORT.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      return fail(`Cannot listen on ${config.host}: the address is not on this machine; check WEB_HOST.`);
    }
    throw error;
  }

  // Before announcing: whoever reads the line below may signal at once.
  shutdownOnSignals(app, SHUTDOWN_TIMEOUT_MS);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const line = `Tandem web listening on https://${config.host}:${port} (h2 + http/1.1), serving ${config.distDir}`;
  app.log.info(line);
  console.log(line);
}

function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}

await main();
