import type { LabMode } from '@tandem/contract/labs';
import type { LiveConfig } from '../config.js';

/**
 * What the heartbeat lab's two settings mean on the server. `null` is "none": the
 * naive setting relies on the peer closing its connection, so a peer that vanishes
 * silently (NAT drop, sleeping laptop, paused process) is held until the OS gives up:
 * two hours before the first keepalive probe, and a paused process or a proxy in
 * between answers the probes anyway.
 *
 * Read where behaviour differs: plugins/app/live-socket.ts (WebSocket ping),
 * plugins/app/live-events.ts (SSE comment), plugins/app/connection-heartbeat.ts (HTTP/2
 * PING, TCP keepalive). A change at run time applies to existing connections too: the
 * ping and heartbeat loops restart with the new policy, keepalive is set again on every
 * open socket.
 */
export interface HeartbeatPolicy {
  /** WebSocket ping every `intervalMs`; a peer with no pong `pongTimeoutMs` after it is terminated. */
  wsPing: { intervalMs: number; pongTimeoutMs: number } | null;
  /** `: hb` comment on every SSE stream every so many ms (keeps NATs and proxies from idling it out). */
  sseHeartbeatMs: number | null;
  /** HTTP/2 PING on every session; a session with no PING ack within `timeoutMs` is destroyed. */
  h2Ping: { intervalMs: number; timeoutMs: number } | null;
  /** `socket.setKeepAlive(true, ms)` on every TLS connection: the first probe after this much idle time. */
  tcpKeepaliveMs: number;
}

/**
 * The first keepalive probe after 2 h idle: what Linux does when keepalive is on and no
 * delay is given (net.ipv4.tcp_keepalive_time = 7200 s), the lab's "OS default". Written
 * out, so that switching back from tuned resets open sockets as well.
 */
export const OS_DEFAULT_KEEPALIVE_MS = 7_200_000;

const NAIVE: HeartbeatPolicy = Object.freeze({
  wsPing: null,
  sseHeartbeatMs: null,
  h2Ping: null,
  tcpKeepaliveMs: OS_DEFAULT_KEEPALIVE_MS,
});

export function heartbeatPolicy(mode: LabMode, live: Readonly<LiveConfig>): HeartbeatPolicy {
  // lab heartbeat: naive = no ping, no SSE comment, no HTTP/2 PING, keepalive after 2 h /
  // tuned = all four, intervals from WS_PING_INTERVAL_MS, SSE_HEARTBEAT_MS, H2_PING_INTERVAL_MS,
  // TCP_KEEPALIVE_MS, deadline WS_PONG_TIMEOUT_MS.
  if (mode === 'naive') return NAIVE;
  return {
    wsPing: { intervalMs: live.wsPingIntervalMs, pongTimeoutMs: live.wsPongTimeoutMs },
    sseHeartbeatMs: live.sseHeartbeatMs,
    h2Ping: { intervalMs: live.h2PingIntervalMs, timeoutMs: live.wsPongTimeoutMs },
    tcpKeepaliveMs: live.tcpKeepaliveMs,
  };
}
