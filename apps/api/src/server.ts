import { createServer } from 'node:net';
import {
  explainListenError,
  type ListenTarget,
  loadConfigOrFail,
  portTakenMessage,
  runServer,
  StartUpFailure,
  shutdownOnSignals,
} from '@tandem/server-kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { listenH1 } from './plugins/app/h1-listener.js';

/** Loads the config, builds the app, listens, and shuts down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrFail(loadConfig);

  // Before the database opens: a second copy of the API must not open the same PGlite
  // directory as the first just to find the port taken.
  const listener: ListenTarget = {
    host: config.host,
    port: config.port,
    hostVariable: 'API_HOST',
    portVariable: 'API_PORT',
  };
  const h1Listener: ListenTarget = { ...listener, port: config.h1Port, portVariable: 'API_H1_PORT' };
  if (!(await portIsFree(config.host, config.port))) throw new StartUpFailure(portTakenMessage(listener));
  if (!(await portIsFree(config.host, config.h1Port))) throw new StartUpFailure(portTakenMessage(h1Listener));

  let app: FastifyInstance;
  try {
    app = await buildApp(config, { env: process.env });
  } catch (error) {
    // A layer registered on top (LABS_ENABLED) reads variables of its own.
    if (error instanceof ConfigError) throw new StartUpFailure(error.message);
    // A database that cannot be reached, a certificate file that cannot be read: say
    // which in one line; the stack is for bugs, and this is configuration.
    throw new StartUpFailure(`Tandem API could not start: ${(error as Error).message}`);
  }
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close().catch(() => {});
    const explained = explainListenError(error, listener);
    if (explained) throw new StartUpFailure(explained);
    throw error;
  }
  let h1Port: number | undefined;
  if (app.h1Server) {
    try {
      h1Port = await listenH1(app.h1Server, config.host, config.h1Port);
    } catch (error) {
      await app.close().catch(() => {});
      const explained = explainListenError(error, h1Listener);
      throw new StartUpFailure(
        explained ??
          `Cannot listen on ${config.host}:${config.h1Port}: ${(error as Error).message}; check API_H1_PORT.`,
      );
    }
  }

  // Before announcing: whoever reads the line below may signal at once.
  // First the drain: /readyz answers 503 while everything else is served, so a load balancer
  // takes this process out before it closes. Then Fastify answers new requests with 503
  // while closing; the onClose hooks close the database.
  shutdownOnSignals(app, config.shutdownTimeoutMs, {
    periodMs: config.shutdownDrainMs,
    begin: () => app.shutdownDrain.begin(),
  });

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [`Tandem API listening on https://${config.host}:${port} (h2 + http/1.1)`];
  if (h1Port !== undefined) lines.push(`Tandem API listening on https://${config.host}:${h1Port} (http/1.1 only)`);
  for (const line of lines) {
    app.log.info(line);
    console.log(line);
  }
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

await runServer(main);
