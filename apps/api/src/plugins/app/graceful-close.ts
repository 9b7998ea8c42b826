import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse, Http2Session } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import fp from 'fastify-plugin';

/**
 * Makes `app.close()` finish while clients keep connections open. A browser holds its
 * HTTP/2 session (and an HTTP/1.1 client its keep-alive socket) open after the last
 * response, and the server only closes once they are gone; on Node 20 nothing tells
 * them to leave. On close: every HTTP/2 session gets GOAWAY (streams in flight finish,
 * no new ones start), every idle HTTP/1.1 socket is closed, and a busy one is closed as
 * soon as its last response is sent.
 */
export default fp(
  async (app) => {
    const server = app.server as unknown as Http2SecureServer;
    const sessions = new Set<Http2Session>();
    /**
     * HTTP/1.1 sockets and the last response each was given: a socket is idle when that
     * response has finished. One Map write per request (no listener, no closure); what to
     * wait for is only worked out once the app closes.
     */
    const http1Sockets = new Map<TLSSocket, Http2ServerResponse | undefined>();
    let closing = false;
    /** Ends a kept-alive socket once the response it is writing is done. */
    const endAfter = (socket: TLSSocket, response: Http2ServerResponse) => {
      response.once('close', () => socket.end());
    };

    server.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.alpnProtocol === 'h2') return;
      http1Sockets.set(socket, undefined);
      socket.once('close', () => http1Sockets.delete(socket));
    });
    // An upgraded socket (WebSocket) belongs to live-socket.ts, which closes it with a close frame.
    server.on('upgrade', (_request: unknown, socket: TLSSocket) => http1Sockets.delete(socket));
    server.on('request', (request: Http2ServerRequest, response: Http2ServerResponse) => {
      if (request.httpVersionMajor !== 1) return;
      const socket = request.socket as TLSSocket;
      http1Sockets.set(socket, response);
      if (closing) endAfter(socket, response);
    });

    app.addHook('preClose', (done) => {
      closing = true;
      for (const session of sessions) session.close();
      for (const [socket, response] of http1Sockets) {
        if (!response || response.writableFinished) socket.end();
        else endAfter(socket, response);
      }
      done();
    });
  },
  { name: 'graceful-close' },
);
