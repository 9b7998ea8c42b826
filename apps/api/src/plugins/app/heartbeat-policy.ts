import fp from 'fastify-plugin';
import type { LiveConfig } from '../../config.js';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * How the API finds peers that vanished without closing. Read by live-socket.ts
     * (WebSocket ping), live-events.ts (SSE comment) and connection-heartbeat.ts (HTTP/2
     * PING, TCP keepalive); a change applies to open connections too: the ping and
     * heartbeat loops restart with it, keepalive is set again on every open socket.
     */
    heartbeatPolicy: Setting<HeartbeatPolicy>;
  }
}

/**
 * The heartbeats of the long-lived connections. `null` is "none": then only the peer
 * closing its connection ends it, so a peer that vanishes silently (NAT drop, sleeping
 * laptop, paused process) is held until the OS gives up.
 */
export interface HeartbeatPolicy {
  /** WebSocket ping every `intervalMs`; a peer with no pong `pongTimeoutMs` after it is terminated. */
  readonly wsPing: { readonly intervalMs: number; readonly pongTimeoutMs: number } | null;
  /** `: hb` comment on every SSE stream every so many ms (keeps NATs and proxies from idling it out). */
  readonly sseHeartbeatMs: number | null;
  /** HTTP/2 PING on every session; a session with no PING ack within `timeoutMs` is destroyed. */
  readonly h2Ping: { readonly intervalMs: number; readonly timeoutMs: number } | null;
  /** `socket.setKeepAlive(true, ms)` on every TLS connection: the first probe after this much idle time. */
  readonly tcpKeepaliveMs: number;
}

/**
 * All four heartbeats, with the intervals of WS_PING_INTERVAL_MS, SSE_HEARTBEAT_MS,
 * H2_PING_INTERVAL_MS and TCP_KEEPALIVE_MS, and WS_PONG_TIMEOUT_MS as the deadline of
 * both pings: the API's policy at start.
 */
export function heartbeatPolicyOf(live: Readonly<LiveConfig>): HeartbeatPolicy {
  return Object.freeze({
    wsPing: { intervalMs: live.wsPingIntervalMs, pongTimeoutMs: live.wsPongTimeoutMs },
    sseHeartbeatMs: live.sseHeartbeatMs,
    h2Ping: { intervalMs: live.h2PingIntervalMs, timeoutMs: live.wsPongTimeoutMs },
    tcpKeepaliveMs: live.tcpKeepaliveMs,
  });
}

export interface HeartbeatPolicyOptions {
  live: Readonly<LiveConfig>;
}

export default fp<HeartbeatPolicyOptions>(
  async (app, { live }) => {
    app.decorate('heartbeatPolicy', createSetting(heartbeatPolicyOf(live)));
  },
  { name: 'heartbeat-policy' },
);
