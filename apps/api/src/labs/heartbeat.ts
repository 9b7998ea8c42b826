import type { HeartbeatPolicy } from '../plugins/app/heartbeat-policy.js';
import { defineLab } from './define-lab.js';

/**
 * The first keepalive probe after 2 h idle: what Linux does when keepalive is on and no
 * delay is given (net.ipv4.tcp_keepalive_time = 7200 s), the lab's "OS default". Written
 * out, so that switching back from tuned resets open sockets as well.
 */
export const OS_DEFAULT_KEEPALIVE_MS = 7_200_000;

/**
 * No WebSocket ping, no SSE comment, no HTTP/2 PING, keepalive after 2 h: the API relies
 * on the peer closing its connection, so a peer that vanishes silently (NAT drop, sleeping
 * laptop, paused process) is held until the OS gives up, and a paused process or a proxy
 * in between answers the OS's probes anyway.
 */
export const NO_HEARTBEAT: HeartbeatPolicy = Object.freeze({
  wsPing: null,
  sseHeartbeatMs: null,
  h2Ping: null,
  tcpKeepaliveMs: OS_DEFAULT_KEEPALIVE_MS,
});

/**
 * heartbeat: `app.heartbeatPolicy` (plugins/app/heartbeat-policy.ts), read by live-socket.ts
 * (WebSocket ping), live-events.ts (SSE comment) and connection-heartbeat.ts (HTTP/2 PING,
 * TCP keepalive). A flip applies to open connections too.
 */
export const heartbeatLab = defineLab('heartbeat', {
  naive: (seams) => seams.heartbeatPolicy.set(NO_HEARTBEAT),
  // The product's policy from WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS, SSE_HEARTBEAT_MS,
  // H2_PING_INTERVAL_MS and TCP_KEEPALIVE_MS: all four heartbeats.
  tuned: (seams) => seams.heartbeatPolicy.reset(),
});
