import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  ErrorCatalogue,
  type ErrorName,
  endpoints,
  reachOf,
  WS_MAX_CLIENT_MESSAGE_BYTES,
  WsClientMessage,
} from '@tandem/contract';
import fp from 'fastify-plugin';
import { type WebSocket, WebSocketServer } from 'ws';
import { PingRounds } from '../../ping-rounds.js';
import { createLocalPresence, type Presence } from '../../shared-state/presence.js';
import { mayReceive, type Viewer } from './live-events.js';
import { genReqId } from './request-id.js';

declare module 'fastify' {
  interface FastifyInstance {
    liveSocket: { readonly clientCount: number };
  }
}

export interface LiveSocketOptions {
  corsOrigins: readonly string[];
  /** Where the online count is summed (shared-state: every replica's, with REDIS_URL); unset: this process's clients. */
  presence?: Presence | undefined;
}

/** Close codes (RFC 6455 §7.4.1) this server uses. */
export const WS_CLOSE = {
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  tooBig: 1009,
} as const;

/** How long a closing peer gets to answer our close frame on shutdown before it is cut. */
const SHUTDOWN_GRACE_MS = 500;
const FORWARDED = new Set(['order.created', 'order.status_changed']);

/**
 * `GET /api/v1/ws`: the WebSocket, reached by the HTTP/1.1 Upgrade on either listener
 * (Chromium does not use RFC 8441 WebSockets over HTTP/2). Built on `ws` directly, on
 * the servers' 'upgrade' event, so the Origin check answers 403 before any handshake.
 * Sends the presence count (every replica's clients, through `presence`) on every join and
 * leave and whenever another replica's count changes, and forwards order events from the
 * bus; only a signed-in client (the session cookie, plugins/app/authentication.ts) is let in;
 * client frames are checked against WsClientMessage, and a bad one closes the
 * socket with its RFC 6455 code, never the process. Pings per `app.heartbeatPolicy`.
 */
export default fp<LiveSocketOptions>(
  async (app, { corsOrigins, presence = createLocalPresence() }) => {
    const allowedOrigins = new Set(corsOrigins);
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      // ws closes a larger message with 1009 itself.
      maxPayload: WS_MAX_CLIENT_MESSAGE_BYTES,
      perMessageDeflate: false,
    });
    const clients = new Set<WebSocket>();
    /** Whose order events each socket may receive (live-events.ts: a user's own, an admin's all). */
    const viewers = new WeakMap<WebSocket, Viewer>();
    /** When each client last answered a ping (or connected). */
    let closing = false;

    app.decorate('liveSocket', {
      get clientCount() {
        return clients.size;
      },
    });

    const broadcast = (frame: string) => {
      for (const client of clients) if (client.readyState === client.OPEN) client.send(frame);
    };
    // A total is sent when it changed, and after every join or leave here (a new client
    // needs one even when a leave elsewhere kept the sum where it was).
    let lastTotal = -1;
    let joinedOrLeft = false;
    const stopPresence = presence.subscribe((total) => {
      if (total === lastTotal && !joinedOrLeft) return;
      lastTotal = total;
      joinedOrLeft = false;
      broadcast(`{"type":"presence","count":${total}}`);
    });
    const broadcastPresence = () => {
      joinedOrLeft = true;
      presence.report(clients.size);
    };

    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      if (request.url?.split('?')[0] !== endpoints.liveSocket.path)
        return refuse(socket, 'ROUTE_NOT_FOUND', genReqId(request));
      if (closing) return refuse(socket, 'NOT_READY', genReqId(request));
      // Browsers always send Origin; a cross-site page must not ride the user's session.
      // Tools without one (curl, k6, tests) are let in.
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedOrigins.has(origin))
        return refuse(socket, 'ORIGIN_NOT_ALLOWED', genReqId(request));
      // The same session cookie as every other call: a revoked session is refused here, at its next connect.
      app.sessions.resume(request.headers.cookie).then(
        (session) => {
          if (!session) return refuse(socket, 'UNAUTHENTICATED', genReqId(request));
          if (closing) return refuse(socket, 'NOT_READY', genReqId(request));
          const viewer: Viewer = reachOf(session.user.role, 'read', 'order') === 'any' ? null : session.user.id;
          wss.handleUpgrade(request, socket, head, (client) => {
            viewers.set(client, viewer);
            wss.emit('connection', client, request);
          });
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'websocket: session lookup failed');
          refuse(socket, 'INTERNAL', genReqId(request));
        },
      );
    };
    app.server.on('upgrade', onUpgrade);
    app.h1Server?.on('upgrade', onUpgrade);

    wss.on('headers', (headers, request) => {
      headers.push(`X-Request-ID: ${genReqId(request)}`);
    });

    wss.on('connection', (client: WebSocket) => {
      clients.add(client);
      app.metrics.wsConnectionsOpen.inc();
      client.on('error', (error) => app.log.debug({ err: error }, 'websocket error'));
      client.on('message', (data, isBinary) => {
        if (isBinary) return client.close(WS_CLOSE.unsupportedData, 'Binary frames are not accepted');
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch {
          return client.close(WS_CLOSE.invalidPayload, 'Not JSON');
        }
        const message = WsClientMessage.safeParse(json);
        if (!message.success) return client.close(WS_CLOSE.invalidPayload, 'Not a WsClientMessage');
      });
      client.once('close', () => {
        clients.delete(client);
        app.metrics.wsConnectionsOpen.dec();
        broadcastPresence();
      });
      broadcastPresence();
    });

    const unsubscribeBus = app.liveEvents.subscribe((batch) => {
      if (clients.size === 0) return;
      for (const event of batch) {
        if (!FORWARDED.has(event.type)) continue;
        if (event.owner === null) {
          broadcast(event.json);
          continue;
        }
        for (const client of clients) {
          const viewer = viewers.get(client);
          if (client.readyState === client.OPEN && viewer !== undefined && mayReceive(viewer, event.owner)) {
            client.send(event.json);
          }
        }
      }
    });

    const wsPings = new PingRounds<WebSocket>(
      () => clients,
      (client, answered) => {
        client.once('pong', answered);
        client.ping();
      },
      (client) => {
        if (!clients.has(client)) return;
        app.metrics.deadPeersClosed.inc({ channel: 'ws' });
        client.terminate();
      },
    );
    const applyHeartbeat = () => {
      // Ping every wsPing.intervalMs, terminate a peer with no pong pongTimeoutMs after it; none
      // (null): a silent peer stays "connected" until its OS gives up.
      const { wsPing } = app.heartbeatPolicy.get();
      if (!wsPing || closing) wsPings.stop();
      else wsPings.start(wsPing.intervalMs, wsPing.pongTimeoutMs);
    };
    applyHeartbeat();
    const unsubscribeHeartbeat = app.heartbeatPolicy.onChange(applyHeartbeat);

    app.addHook('preClose', (done) => {
      closing = true;
      stopPresence();
      unsubscribeHeartbeat();
      unsubscribeBus();
      wsPings.stop();
      for (const client of clients) client.close(WS_CLOSE.goingAway, 'Server shutting down');
      // The server's close waits for these sockets: cut those that do not answer in time.
      if (clients.size > 0) {
        setTimeout(() => {
          for (const client of clients) client.terminate();
        }, SHUTDOWN_GRACE_MS).unref();
      }
      done();
    });
    app.addHook('onClose', (_app, done) => {
      app.server.off('upgrade', onUpgrade);
      app.h1Server?.off('upgrade', onUpgrade);
      wss.close(() => done());
    });
  },
  {
    name: 'live-socket',
    dependencies: ['metrics', 'heartbeat-policy', 'live-events', 'h1-listener', 'authentication'],
  },
);

/** An HTTP/1.1 answer on the raw socket, before any handshake; then the socket is closed. */
/**
 * Answers an upgrade that will not happen, before any handshake, with the same error
 * envelope every other endpoint sends (the socket is raw HTTP/1.1 at this point).
 */
function refuse(socket: Duplex, name: ErrorName, requestId: string): void {
  const { code, status, message } = ErrorCatalogue[name];
  const body = JSON.stringify({ code, message, data: { error: name, requestId }, timestamp: new Date().toISOString() });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nX-Request-ID: ${requestId}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
