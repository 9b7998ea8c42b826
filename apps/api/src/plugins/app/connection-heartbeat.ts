import type { Http2SecureServer, Http2Session } from 'node:http2';
import type { Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import fp from 'fastify-plugin';
import { PingRounds } from '../../ping-rounds.js';
import type { ConnectionProtocol } from '../external/metrics.js';

/**
 * The connection level of the heartbeat policy (heartbeat-policy.ts), on both listeners: counts the TLS
 * connections held (tandem_connections_open), sets TCP keepalive on them, and pings
 * HTTP/2 sessions, destroying one whose PING is not acknowledged in time
 * (tandem_dead_peers_closed_total{channel="h2"}); its streams close with it, and the
 * event bus lets go of them.
 *
 * TCP keepalive only finds a peer whose machine is gone: a peer's kernel (or a proxy in
 * between) answers the probes even when the application stopped reading. The HTTP/2
 * PING is answered by the client's HTTP/2 stack, so it finds a paused process too.
 */
export default fp(
  async (app) => {
    const sockets = new Set<TLSSocket>();
    const sessions = new Set<Http2Session>();
    let closing = false;

    const policy = () => app.heartbeatPolicy.get();

    const applyKeepAlive = (socket: TLSSocket, ms: number) => socket.setKeepAlive(true, ms);

    const track = (socket: TLSSocket, protocol: ConnectionProtocol) => {
      sockets.add(socket);
      app.metrics.connectionsOpen.inc({ protocol });
      applyKeepAlive(socket, policy().tcpKeepaliveMs);
      socket.once('close', () => {
        sockets.delete(socket);
        app.metrics.connectionsOpen.dec({ protocol });
      });
    };
    const server = app.server as unknown as Http2SecureServer;
    server.on('secureConnection', (socket: TLSSocket) =>
      track(socket, socket.alpnProtocol === 'h2' ? 'h2' : 'http/1.1'),
    );
    (app.h1Server as Server | null)?.on('secureConnection', (socket: TLSSocket) => track(socket, 'http/1.1'));
    server.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });

    const h2Pings = new PingRounds<Http2Session>(
      () => [...sessions].filter((session) => !session.closed && !session.destroyed),
      (session, answered) =>
        session.ping((error) => {
          if (!error) answered();
        }),
      (session) => {
        if (session.destroyed) return;
        app.metrics.deadPeersClosed.inc({ channel: 'h2' });
        session.destroy();
      },
    );
    const apply = () => {
      const { tcpKeepaliveMs, h2Ping } = policy();
      for (const socket of sockets) applyKeepAlive(socket, tcpKeepaliveMs);
      // PING every h2Ping.intervalMs; a session that does not acknowledge within timeoutMs is destroyed.
      if (!h2Ping || closing) h2Pings.stop();
      else h2Pings.start(h2Ping.intervalMs, h2Ping.timeoutMs);
    };
    apply();
    const unsubscribe = app.heartbeatPolicy.onChange(apply);

    app.addHook('preClose', (done) => {
      closing = true;
      unsubscribe();
      h2Pings.stop();
      done();
    });
  },
  { name: 'connection-heartbeat', dependencies: ['metrics', 'heartbeat-policy', 'h1-listener'] },
);
