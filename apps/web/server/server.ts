import { loadTlsCertificate } from '@tandem/dev-cert';
import { explainListenError, loadConfigOrFail, runServer, StartUpFailure, shutdownOnSignals } from '@tandem/server-kit';
import type { FastifyInstance } from 'fastify';
import { buildWebServer } from './app.js';
import { loadServerConfig } from './config.js';

/** How long in-flight files may take to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Loads the config, builds the server, listens, and shuts down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrFail(loadServerConfig);

  let app: FastifyInstance;
  try {
    const tls = await loadTlsCertificate(config.tls);
    app = await buildWebServer(config, { tls });
  } catch (error) {
    // No build in WEB_DIST_DIR, a certificate file that cannot be read: configuration, said in one line.
    throw new StartUpFailure(`Tandem web server could not start: ${(error as Error).message}`);
  }

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close().catch(() => {});
    const explained = explainListenError(error, {
      host: config.host,
      port: config.port,
      hostVariable: 'WEB_HOST',
      portVariable: 'WEB_PORT',
    });
    if (explained) throw new StartUpFailure(explained);
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

await runServer(main);
