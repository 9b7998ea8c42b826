import { CreatedOrderEnvelope, ErrorEnvelope, WS_MAX_CLIENT_MESSAGE_BYTES } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';
import { ALLOWED_ORIGIN, type StartedApi, startApi } from '../../../test/api-server.js';
import { eventually, H2Client } from '../../../test/clients.js';

const PING_MS = 150;
const PONG_TIMEOUT_MS = 150;
let api: StartedApi;
let client: H2Client;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  api = await startApi({
    h1: true,
    env: { WS_PING_INTERVAL_MS: String(PING_MS), WS_PONG_TIMEOUT_MS: String(PONG_TIMEOUT_MS) },
  });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await client?.close();
  await api?.close();
});

/** A `ws` client that records every text message (parsed) and its close code. */
function connect(options: ClientOptions & { origin?: string; base?: string } = {}) {
  const base = (options.base ?? api.origin).replace('https:', 'wss:');
  const socket = new WebSocket(`${base}/api/v1/ws`, {
    rejectUnauthorized: false,
    ...options,
    headers: { ...api.signedIn, ...options.headers },
  });
  sockets.push(socket);
  const messages: { type: string; [key: string]: unknown }[] = [];
  socket.on('message', (data, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(String(data)));
  });
  socket.on('error', () => {});
  const closed = new Promise<{ code: number; at: number }>((resolve) =>
    socket.once('close', (code) => resolve({ code, at: Date.now() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return { socket, messages, opened, closed };
}

const presence = (messages: { type: string; count?: unknown }[]) =>
  messages.filter((m) => m.type === 'presence').map((m) => m.count);

describe('GET /api/v1/ws', () => {
  it('sends the presence count on join and leave to everyone', async () => {
    const a = connect();
    await a.opened;
    expect(await eventually(() => presence(a.messages).at(-1), 1)).toBe(1);
    const b = connect({ origin: ALLOWED_ORIGIN });
    await b.opened;
    expect(await eventually(() => presence(a.messages).at(-1), 2)).toBe(2);
    expect(await eventually(() => presence(b.messages).at(-1), 2)).toBe(2);
    b.socket.close();
    expect(await eventually(() => presence(a.messages).at(-1), 1)).toBe(1);
    expect(api.app.liveSocket.clientCount).toBe(1);
    a.socket.close();
    await a.closed;
  });

  it('forwards order events, not generator ticks', async () => {
    const a = connect();
    await a.opened;
    api.app.liveEvents.publish({ type: 'generator.tick', at: new Date(), padding: '' });
    const res = await client.request({
      method: 'POST',
      path: '/api/v1/orders',
      body: { customer: 'Grace Hopper', items: [{ sku: 'CUP-PORCELAIN', qty: 1, price: 24 }] },
    });
    const order = CreatedOrderEnvelope.parse(res.json()).data;
    await eventually(() => a.messages.some((m) => m.type === 'order.created'), true);
    const created = a.messages.find((m) => m.type === 'order.created');
    expect(created).toMatchObject({ order: { id: order.id } });
    expect(a.messages.some((m) => m.type === 'generator.tick')).toBe(false);
    a.socket.close();
  });

  it('works through the HTTP/1.1-only listener too', async () => {
    const a = connect({ base: api.h1Origin });
    await a.opened;
    expect(await eventually(() => presence(a.messages).length > 0, true)).toBe(true);
    a.socket.close();
  });

  it('refuses an Origin not in CORS_ORIGINS with 403 before the upgrade', async () => {
    const evil = connect({ origin: 'https://evil.example' });
    let body = '';
    evil.socket.on('unexpected-response', (_request, response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
    });
    await expect(evil.opened).rejects.toThrow('HTTP 403');
    await vi.waitFor(() => expect(body).not.toBe(''));
    expect(ErrorEnvelope.parse(JSON.parse(body)).data.error).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('answers a plain GET (no Upgrade) with a 400 envelope', async () => {
    const res = await client.request({ path: '/api/v1/ws' });
    expect(res.status).toBe(400);
    expect(ErrorEnvelope.parse(res.json()).data.issues?.[0]?.path).toBe('headers.upgrade');
  });

  it.each([
    ['invalid JSON', 1007, (s: WebSocket) => s.send('{"type":')],
    ['JSON that is not a WsClientMessage', 1007, (s: WebSocket) => s.send('{"type":"hello","page":1}')],
    ['an unknown field', 1007, (s: WebSocket) => s.send('{"type":"hello","page":"/","admin":true}')],
    ['a binary frame', 1003, (s: WebSocket) => s.send(Buffer.from([1, 2, 3]))],
    ['a message over the limit', 1009, (s: WebSocket) => s.send('x'.repeat(WS_MAX_CLIENT_MESSAGE_BYTES + 1))],
  ])('closes on %s with %i, and stays up', async (_case, code, send) => {
    const a = connect();
    await a.opened;
    send(a.socket);
    expect((await a.closed).code).toBe(code);
    const health = await client.request({ path: '/healthz' });
    expect(health.status).toBe(200);
  });

  it('keeps a client that sends a valid hello', async () => {
    const a = connect();
    await a.opened;
    a.socket.send(JSON.stringify({ type: 'hello', page: '/orders' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.socket.readyState).toBe(WebSocket.OPEN);
    a.socket.close();
  });
});

describe('WebSocket heartbeat (app.heartbeatPolicy)', () => {
  const deadPeers = async () =>
    (await api.app.metrics.deadPeersClosed.get()).values.find((v) => v.labels.channel === 'ws')?.value ?? 0;

  it('pings every WS_PING_INTERVAL_MS and keeps a peer that answers', async () => {
    const a = connect();
    await a.opened;
    let pings = 0;
    a.socket.on('ping', () => pings++);
    await new Promise((resolve) => setTimeout(resolve, PING_MS * 3 + PONG_TIMEOUT_MS));
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(a.socket.readyState).toBe(WebSocket.OPEN);
    a.socket.close();
  });

  it('terminates a peer that never answers within interval + deadline', async () => {
    const before = await deadPeers();
    const silent = connect({ autoPong: false });
    await silent.opened;
    const openedAt = Date.now();
    const { code, at } = await silent.closed;
    expect(code).toBe(1006);
    // Worst case: connected just after a round, so one full interval, then the deadline.
    expect(at - openedAt).toBeLessThan(2 * PING_MS + PONG_TIMEOUT_MS + 500);
    expect(await deadPeers()).toBe(before + 1);
  });

  it('without a ping in the heartbeat policy: sends none, and the silent peer stays connected', async () => {
    const configured = api.app.heartbeatPolicy.get();
    api.app.heartbeatPolicy.set({ ...configured, wsPing: null });
    try {
      const silent = connect({ autoPong: false });
      await silent.opened;
      let pings = 0;
      silent.socket.on('ping', () => pings++);
      await new Promise((resolve) => setTimeout(resolve, 3 * (PING_MS + PONG_TIMEOUT_MS)));
      expect(pings).toBe(0);
      expect(silent.socket.readyState).toBe(WebSocket.OPEN);
      silent.socket.close();
    } finally {
      api.app.heartbeatPolicy.set(configured);
    }
  });
});

describe('graceful close with WebSockets open', () => {
  // A close that waited for the sockets would never end: the test's timeout catches it (with
  // room for an API's start on a loaded machine).
  it('closes them with 1001 (going away), and the close ends', { timeout: 60_000 }, async () => {
    const other = await startApi();
    const a = connect({ base: other.origin, headers: other.signedIn });
    await a.opened;
    await other.close();
    expect((await a.closed).code).toBe(1001);
  });
});
