import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { EventStreamReader, eventually, H2Client, http1Request } from '../../../test/clients.js';
import { type FreezableProxy, startFreezableProxy } from '../../../test/freezable-proxy.js';
import type { HeartbeatPolicy } from './heartbeat-policy.js';

const PING_MS = 150;
const TIMEOUT_MS = 150;
const KEEPALIVE_MS = 5000;
/** A policy without heartbeats: only the peer closing, or its OS after 2 h, ends a connection. */
const NONE: HeartbeatPolicy = { wsPing: null, sseHeartbeatMs: null, h2Ping: null, tcpKeepaliveMs: 7_200_000 };
let api: StartedApi;
let configured: HeartbeatPolicy;

beforeAll(async () => {
  api = await startApi({
    h1: true,
    env: {
      H2_PING_INTERVAL_MS: String(PING_MS),
      WS_PONG_TIMEOUT_MS: String(TIMEOUT_MS),
      TCP_KEEPALIVE_MS: String(KEEPALIVE_MS),
      // The SSE comment would otherwise keep the frozen connection's buffers moving.
      SSE_HEARTBEAT_MS: '60000',
    },
  });
  configured = api.app.heartbeatPolicy.get();
});

afterAll(async () => {
  await api?.close();
});

const gauge = async (protocol: string) =>
  (await api.app.metrics.connectionsOpen.get()).values.find((v) => v.labels.protocol === protocol)?.value ?? 0;
const deadH2 = async () =>
  (await api.app.metrics.deadPeersClosed.get()).values.find((v) => v.labels.channel === 'h2')?.value ?? 0;

/** An HTTP/2 session through a proxy, with one event stream open on it. */
async function sessionThroughProxy(): Promise<{ proxy: FreezableProxy; client: H2Client; stream: EventStreamReader }> {
  const port = Number(new URL(api.origin).port);
  const proxy = await startFreezableProxy(port);
  const client = new H2Client(`https://127.0.0.1:${proxy.port}`, api.signedIn);
  client.session.on('error', () => {});
  expect((await client.request({ path: '/healthz' })).status).toBe(200);
  const stream = EventStreamReader.overHttp2(client);
  await stream.open();
  return { proxy, client, stream };
}

describe('connections gauge', () => {
  it('counts TLS connections per protocol on both listeners and returns to its baseline', async () => {
    const [h2Before, h1Before] = [await gauge('h2'), await gauge('http/1.1')];
    const client = new H2Client(api.origin, api.signedIn);
    await client.request({ path: '/healthz' });
    expect(await gauge('h2')).toBe(h2Before + 1);
    await client.close();
    expect(await eventually(() => gauge('h2'), h2Before)).toBe(h2Before);

    const res = await http1Request(api.h1Origin ?? '', { path: '/healthz' });
    expect(res.alpnProtocol).toBe('http/1.1');
    expect(await eventually(() => gauge('http/1.1'), h1Before)).toBe(h1Before);
  });
});

describe('HTTP/2 PING (app.heartbeatPolicy)', () => {
  it('destroys a session whose peer stopped answering its PINGs, and frees its streams', async () => {
    const before = { dead: await deadH2(), h2: await gauge('h2') };
    const { proxy, client, stream } = await sessionThroughProxy();
    try {
      expect(await gauge('h2')).toBe(before.h2 + 1);
      expect(api.app.liveEvents.streamCount).toBe(1);
      proxy.freeze();
      expect(await eventually(() => gauge('h2'), before.h2, 10_000)).toBe(before.h2);
      // Closed by the PING deadline (counted as dead), not by some other timeout.
      expect(await deadH2()).toBe(before.dead + 1);
      expect(api.app.liveEvents.streamCount).toBe(0);
    } finally {
      stream.close();
      client.session.destroy();
      await proxy.close();
    }
  });

  it('without it, holds the frozen session; turning it on then frees it (a change applies to open sessions)', async () => {
    const before = { dead: await deadH2(), h2: await gauge('h2') };
    api.app.heartbeatPolicy.set(NONE);
    const { proxy, client, stream } = await sessionThroughProxy();
    try {
      proxy.freeze();
      await new Promise((resolve) => setTimeout(resolve, 3 * (PING_MS + TIMEOUT_MS)));
      expect(await gauge('h2')).toBe(before.h2 + 1);
      expect(await deadH2()).toBe(before.dead);
      expect(api.app.liveEvents.streamCount).toBe(1);

      api.app.heartbeatPolicy.set(configured);
      expect(await eventually(() => gauge('h2'), before.h2, 3000)).toBe(before.h2);
      expect(await deadH2()).toBe(before.dead + 1);
    } finally {
      api.app.heartbeatPolicy.set(configured);
      stream.close();
      client.session.destroy();
      await proxy.close();
    }
  });
});

describe('TCP keepalive (app.heartbeatPolicy)', () => {
  it('is set to TCP_KEEPALIVE_MS on each new connection, and to whatever the policy says after a change', async () => {
    const spy = vi.spyOn(Socket.prototype, 'setKeepAlive');
    try {
      await http1Request(api.h1Origin ?? '', { path: '/healthz' });
      expect(spy).toHaveBeenCalledWith(true, KEEPALIVE_MS);
      spy.mockClear();
      api.app.heartbeatPolicy.set(NONE);
      await http1Request(api.origin, { path: '/healthz' });
      expect(spy).toHaveBeenCalledWith(true, NONE.tcpKeepaliveMs);
      expect(spy).not.toHaveBeenCalledWith(true, KEEPALIVE_MS);
    } finally {
      api.app.heartbeatPolicy.set(configured);
      spy.mockRestore();
    }
  });
});
