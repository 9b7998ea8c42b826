import { createServer } from 'node:net';
import { shutdownOnSignals } from '@tandem/server-kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { listenH1 } from './plugins/app/h1-listener.js';

/** Loads the config, builds the app, listens, and shuts down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  // Before the database opens: a second copy of the API must not open the same PGlite
  // directory as the first just to find the port taken.
  if (!(await portIsFree(config.host, config.port))) return fail(portInUse(config));
  if (!(await portIsFree(config.host, config.h1Port))) return fail(portInUse(config, 'h1'));

  let app: FastifyInstance;
  try {
    app = await buildApp(config, { env: process.env });
  } catch (error) {
    // A layer registered on top (LABS_ENABLED) reads variables of its own.
    if (error instanceof ConfigError) return fail(error.message);
    // A database that cannot be reached, a certificate file that cannot be read: say
    // which in one line; the stack is for bugs, and this is configuration.
    return fail(`Tandem API could not start: ${(error as Error).message}`);
  }
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      return fail(portInUse(config));
    }
    if (code === 'EACCES')
      return fail(`Not allowed to listen on ${config.host}:${config.port}: choose another API_PORT.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      return fail(`Cannot listen on ${config.host}: the address is not on this machine; check API_HOST.`);
    }
    throw error;
  }
  let h1Port: number | undefined;
  if (app.h1Server) {
    try {
      h1Port = await listenH1(app.h1Server, config.host, config.h1Port);
    } catch (error) {
      await app.close().catch(() => {});
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return fail(portInUse(config, 'h1'));
      return fail(`Cannot listen on ${config.host}:${config.h1Port}: ${(error as Error).message}; check API_H1_PORT.`);
    }
  }

  // Before announcing: whoever reads the line below may signal at once.
  // Fastify answers new requests with 503 while closing; the onClose hooks close the database.
  shutdownOnSignals(app, config.shutdownTimeoutMs);

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [`Tandem API listening on https://${config.host}:${port} (h2 + http/1.1)`];
  if (h1Port !== undefined) lines.push(`Tandem API listening on https://${config.host}:${h1Port} (http/1.1 only)`);
  for (const line of lines) {
    app.log.info(line);
    console.log(line);
  }
}

function portInUse(config: Readonly<Config>, listener: 'main' | 'h1' = 'main'): string {
  const [port, variable] = listener === 'main' ? [config.port, 'API_PORT'] : [config.h1Port, 'API_H1_PORT'];
  return `Port ${port} on ${config.host} is already in use: stop the other process or set ${variable}.`;
}

/** True unless something already listens there; other errors are left for listen() to report. */
function portIsFree(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}

await main();
