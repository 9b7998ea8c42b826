import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import fp from 'fastify-plugin';
import { answerClientError } from '../../client-error-answer.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The HTTP/1.1-only TLS listener (API_H1_PORT), or null when it is off. Listened by `listenH1`. */
    h1Server: https.Server | null;
  }
}

export interface H1ListenerOptions {
  /** 0 = no second listener. */
  port: number;
  tls: { key: string; cert: string };
}

/**
 * A second TLS listener that offers ALPN `http/1.1` only and hands every request to the
 * same Fastify app (`app.routing`): same routes, hooks, envelopes and bus. It exists for
 * the h2-sse lab: in its naive setting the SPA talks to this origin, and the browser's
 * six-connections-per-origin limit shows up as soon as six EventSources are open. The
 * server does not switch anything for that lab; the SPA picks the origin.
 *
 * Closed with the app: it stops accepting at preClose, lets requests in flight finish
 * (event streams are ended by the live-events plugin), then closes idle keep-alive sockets.
 */
export default fp<H1ListenerOptions>(
  async (app, { port, tls }) => {
    if (port === 0) {
      app.decorate('h1Server', null);
      return;
    }
    const server = https.createServer({ key: tls.key, cert: tls.cert, ALPNProtocols: ['http/1.1'] }, (req, res) =>
      app.routing(req, res),
    );
    // As Fastify sets on its own server: longer than the browser's idle keep-alive.
    server.keepAliveTimeout = 72_000;
    // As the main listener (app.ts): what the HTTP/1.1 parser refuses is answered with the envelope.
    server.on('clientError', (error, socket) => answerClientError(error, socket, app.log));
    app.decorate('h1Server', server);

    /** Sockets and how many responses each still owes. */
    const sockets = new Map<TLSSocket, number>();
    let closing = false;
    server.on('secureConnection', (socket: TLSSocket) => {
      sockets.set(socket, 0);
      socket.once('close', () => sockets.delete(socket));
    });
    // An upgraded socket (WebSocket) belongs to live-socket.ts, which closes it with a close frame.
    server.on('upgrade', (_request, socket) => sockets.delete(socket as TLSSocket));
    server.on('request', (request, response) => {
      const socket = request.socket as TLSSocket;
      sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const pending = (sockets.get(socket) ?? 1) - 1;
        sockets.set(socket, pending);
        if (closing && pending === 0) socket.end();
      });
    });

    let closed: Promise<void> = Promise.resolve();
    app.addHook('preClose', (done) => {
      closing = true;
      if (server.listening) closed = new Promise((resolve) => server.close(() => resolve()));
      for (const [socket, pending] of sockets) if (pending === 0) socket.end();
      done();
    });
    app.addHook('onClose', async () => {
      await closed;
    });
  },
  { name: 'h1-listener' },
);

/** Starts the HTTP/1.1-only listener (after `app.listen`); resolves with its port. */
export function listenH1(server: https.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
