import { connect as connectH2 } from 'node:http2';
import { readMetrics } from '@tandem/local-stack';
import WebSocket from 'ws';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { modeTable } from '../lib/measurement/mode-table.js';
import type { Progress } from '../lib/progress.js';
import { BlackholeProxy } from './blackhole-proxy.js';

/** Shortened heartbeats so a run takes seconds; the defaults are 30 s / 10 s / 15 s / 45 s. */
const PING_INTERVAL_MS = 1_000;
const PONG_TIMEOUT_MS = 1_000;
const GAUGES = ['tandem_ws_connections_open', 'tandem_sse_streams_open', 'tandem_connections_open'] as const;

export interface Held {
  /** Seconds after the blackhole, and the peers the server still holds. */
  samples: { t: number; ws: number; sse: number; connections: number }[];
  /** Seconds until the server freed each, or null when it still held it at the end. */
  wsFreedAfter: number | null;
  sseFreedAfter: number | null;
}

/**
 * heartbeat: a WebSocket and an SSE stream (over HTTP/2) connect through a loopback proxy
 * that then silently stops forwarding. How long does the server keep them? Read from the
 * API's own gauges, polled directly (not through the proxy).
 */
export const heartbeatLab = defineLab({
  id: 'heartbeat',
  settings: (smoke) => ({ rounds: 1, windowSeconds: smoke ? 5 : 12 }),
  servers: {
    api: {
      note: `heartbeats shortened to ${PING_INTERVAL_MS} ms + ${PONG_TIMEOUT_MS} ms deadline`,
      env: {
        WS_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
        WS_PONG_TIMEOUT_MS: String(PONG_TIMEOUT_MS),
        H2_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
        SSE_HEARTBEAT_MS: String(PING_INTERVAL_MS),
      },
    },
  },
  measure: ({ stack, settings, progress }) =>
    dropPeers(stack.api.origin, stack.api.sessions.user, settings.windowSeconds, progress),
  summarise: (rows) => perMode(rows),
  method: (_, { windowSeconds }) =>
    `A WebSocket and an SSE stream over HTTP/2 through a loopback proxy that silently stops forwarding; the server's gauges polled every 100 ms for ${windowSeconds} s. Ping interval ${PING_INTERVAL_MS} ms, pong deadline ${PONG_TIMEOUT_MS} ms`,
  table: (results, { windowSeconds }) =>
    modeTable(['WebSocket freed after', 'SSE (HTTP/2) freed after', 'peers held at the end'], (mode) => {
      const last = results[mode].samples.at(-1);
      return [
        show(results[mode].wsFreedAfter, windowSeconds),
        show(results[mode].sseFreedAfter, windowSeconds),
        last ? Math.max(0, last.ws) + Math.max(0, last.sse) : 0,
      ];
    }),
  verdicts: ({ naive, tuned }, { windowSeconds }) => {
    const bound = (PING_INTERVAL_MS + PONG_TIMEOUT_MS) / 1000;
    // Detection may start up to one interval late (the peer vanished between two pings),
    // plus the gauge poll: allow interval + deadline + one more interval.
    const allowed = bound + PING_INTERVAL_MS / 1000;
    return [
      {
        target: `tuned frees both peers within ping interval + deadline (${bound} s, + one interval of phase)`,
        met:
          tuned.wsFreedAfter !== null &&
          tuned.sseFreedAfter !== null &&
          tuned.wsFreedAfter <= allowed &&
          tuned.sseFreedAfter <= allowed,
        detail: `WebSocket ${show(tuned.wsFreedAfter, windowSeconds)}, SSE over HTTP/2 ${show(tuned.sseFreedAfter, windowSeconds)}`,
      },
      {
        target: 'naive holds them for the whole run',
        met: naive.wsFreedAfter === null && naive.sseFreedAfter === null,
        detail: `WebSocket ${show(naive.wsFreedAfter, windowSeconds)}, SSE ${show(naive.sseFreedAfter, windowSeconds)}`,
      },
    ];
  },
  chart: (results) => ({
    title: 'Silently dropped peers the server still holds',
    xLabel: 'seconds after the peers vanished',
    yLabel: 'peers held (WebSocket + SSE)',
    name: (mode) => `${mode}: peers held`,
    points: (mode) =>
      results[mode].samples.map((sample) => ({ x: Math.round(sample.t * 10) / 10, y: sample.ws + sample.sse })),
  }),
});

/** Connects a WebSocket and an SSE stream through the proxy, blackholes it, and watches the server's gauges. */
async function dropPeers(origin: string, cookie: string, windowSeconds: number, progress: Progress): Promise<Held> {
  const url = new URL(origin);
  const proxy = await BlackholeProxy.start({ host: url.hostname, port: Number(url.port) });
  const viaProxy = `https://${url.hostname}:${proxy.port}`;
  const baseline = await readMetrics(origin, GAUGES);

  progress('connecting a WebSocket and an HTTP/2 SSE stream through the proxy');
  const socket = new WebSocket(`${viaProxy.replace('https', 'wss')}/api/v1/ws`, {
    rejectUnauthorized: false,
    origin,
    headers: { cookie },
  });
  socket.on('error', () => {});
  const session = connectH2(viaProxy, { rejectUnauthorized: false });
  session.on('error', () => {});
  const stream = session.request({ ':path': '/api/v1/events', accept: 'text/event-stream', origin, cookie });
  stream.on('error', () => {});
  stream.resume();
  await waitFor(async () => {
    const now = await readMetrics(origin, GAUGES);
    return (
      (now.tandem_ws_connections_open ?? 0) > (baseline.tandem_ws_connections_open ?? 0) &&
      (now.tandem_sse_streams_open ?? 0) > (baseline.tandem_sse_streams_open ?? 0)
    );
  }, 10_000);

  progress(`the proxy now drops everything, silently; watching the server for ${windowSeconds} s`);
  proxy.blackhole();
  const started = Date.now();
  const held: Held = { samples: [], wsFreedAfter: null, sseFreedAfter: null };
  while (Date.now() - started < windowSeconds * 1000) {
    const now = await readMetrics(origin, GAUGES);
    const t = (Date.now() - started) / 1000;
    const ws = (now.tandem_ws_connections_open ?? 0) - (baseline.tandem_ws_connections_open ?? 0);
    const sse = (now.tandem_sse_streams_open ?? 0) - (baseline.tandem_sse_streams_open ?? 0);
    const connections = (now.tandem_connections_open ?? 0) - (baseline.tandem_connections_open ?? 0);
    held.samples.push({ t, ws, sse, connections });
    if (ws <= 0 && held.wsFreedAfter === null) held.wsFreedAfter = t;
    if (sse <= 0 && held.sseFreedAfter === null) held.sseFreedAfter = t;
    if (held.wsFreedAfter !== null && held.sseFreedAfter !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  socket.terminate();
  session.destroy();
  await proxy.close();
  // Let the server see the proxy's sockets close before the next setting's baseline.
  await waitFor(async () => {
    const now = await readMetrics(origin, GAUGES);
    return (now.tandem_ws_connections_open ?? 0) <= (baseline.tandem_ws_connections_open ?? 0);
  }, 5_000).catch(() => undefined);
  return held;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

function show(seconds: number | null, windowSeconds: number): string {
  return seconds === null ? `still held after ${windowSeconds} s` : `${seconds.toFixed(1)} s`;
}
