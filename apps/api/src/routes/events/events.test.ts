import { CreatedOrderEnvelope, ErrorEnvelope, LiveEvent } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, type StartedApi, startApi } from '../../../test/api-server.js';
import { EventStreamReader, eventually, H2Client, http1Request, type SseMessage } from '../../../test/clients.js';

const REPLAY = 5;
let api: StartedApi;
let client: H2Client;
const readers: EventStreamReader[] = [];

beforeAll(async () => {
  api = await startApi({
    h1: true,
    env: { SSE_HEARTBEAT_MS: '100', EVENT_REPLAY_SIZE: String(REPLAY), SSE_RETRY_MS: '1500' },
  });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  for (const reader of readers) reader.close();
  await client?.close();
  await api?.close();
});

function open(headers: Record<string, string> = {}): Promise<EventStreamReader> {
  const reader = EventStreamReader.overHttp2(client, headers);
  readers.push(reader);
  return reader.open();
}

const order = { customer: 'Ada Lovelace', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 12.5 }] };

async function createOrder() {
  const res = await client.request({ method: 'POST', path: '/api/v1/orders', body: order });
  expect(res.status, res.text).toBe(201);
  return CreatedOrderEnvelope.parse(res.json()).data;
}

function tick() {
  const event = api.app.liveEvents.publish({ type: 'generator.tick', at: new Date(), padding: '' });
  if (!event) throw new Error('this API numbers its events itself (no REDIS_URL): publish returns the event');
  return event;
}

const parse = (message: SseMessage) => LiveEvent.parse(JSON.parse(message.data ?? 'null'));

describe('GET /api/v1/events', () => {
  it('streams order events with ids, types and contract-valid data, after a retry hint', async () => {
    const reader = await open();
    expect(reader.status).toBe(200);
    expect(reader.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(reader.headers['cache-control']).toContain('no-cache');
    // The opening block also carries the current id, so a stream dropped before its
    // first event still resumes from where it started.
    const opening = await reader.waitFor((message) => message.retry === 1500);
    expect(opening.id).toMatch(/^\d+$/);
    expect(opening.data).toBeUndefined();

    const created = await createOrder();
    const message = await reader.waitFor((m) => m.event === 'order.created');
    const event = parse(message);
    expect(event).toMatchObject({ type: 'order.created', order: { id: created.id, status: 'pending' } });
    expect(message.id).toBe(String(event.seq));
    expect(event.seq).toBe(Number(opening.id) + 1);

    const patched = await client.request({
      method: 'PATCH',
      path: `/api/v1/orders/${created.id}`,
      body: { status: 'paid' },
    });
    expect(patched.status, patched.text).toBe(200);
    const changed = parse(await reader.waitFor((m) => m.event === 'order.status_changed'));
    expect(changed).toMatchObject({ orderId: created.id, from: 'pending', to: 'paid' });
    expect(changed.seq).toBe(event.seq + 1);
    reader.close();
  });

  it('resumes with Last-Event-ID: exactly the events missed while away, then live ones', async () => {
    const first = await open();
    const seen = tick();
    await first.waitFor((m) => m.id === String(seen.seq));
    first.close();

    const missed = [tick(), tick(), tick()].map((event) => String(event.seq));
    const again = await open({ 'last-event-id': String(seen.seq) });
    await again.waitForEvents(3);
    const live = tick();
    await again.waitFor((m) => m.id === String(live.seq));
    expect(again.events.map((m) => m.id)).toEqual([...missed, String(live.seq)]);
    again.close();
  });

  it('sends one stream.reset when Last-Event-ID is older than the replay window', async () => {
    const before = tick().seq;
    for (let i = 0; i < REPLAY + 2; i++) tick();
    const last = tick().seq;
    const reader = await open({ 'last-event-id': String(before) });
    const reset = await reader.waitFor((m) => m.event === 'stream.reset');
    expect(parse(reset)).toMatchObject({ type: 'stream.reset', seq: last, oldestSeq: last - REPLAY + 1 });
    expect(reset.id).toBe(String(last));
    const next = tick();
    await reader.waitFor((m) => m.id === String(next.seq));
    expect(reader.events.map((m) => m.event)).toEqual(['stream.reset', 'generator.tick']);
    reader.close();
  });

  it('treats an id from the future (a restarted server) as a reset too', async () => {
    const reader = await open({ 'last-event-id': '999999999' });
    await reader.waitFor((m) => m.event === 'stream.reset');
    reader.close();
  });

  it.each([['abc'], ['-1'], ['1.5'], ['1'.repeat(20)]])(
    'refuses Last-Event-ID %j with a 400 naming the header',
    async (id) => {
      const res = await client.request({ path: '/api/v1/events', headers: { 'last-event-id': id } });
      expect(res.status).toBe(400);
      const body = ErrorEnvelope.parse(res.json());
      expect(body.data.error).toBe('VALIDATION_FAILED');
      expect(body.data.issues?.map((issue) => issue.path)).toEqual(['headers.last-event-id']);
    },
  );

  it('sends CORS, Timing-Allow-Origin and X-Request-ID on the stream for an allowed origin', async () => {
    const reader = await open({ origin: ALLOWED_ORIGIN, 'x-request-id': 'sse-trace-1' });
    expect(reader.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(reader.headers['timing-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(reader.headers['access-control-expose-headers'])).toContain('x-request-id');
    expect(String(reader.headers.vary)).toContain('Origin');
    expect(reader.headers['x-request-id']).toBe('sse-trace-1');
    reader.close();

    const other = await open({ origin: 'https://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['timing-allow-origin']).toBeUndefined();
    other.close();
  });

  it('frees a stream when its client goes away: the gauge returns to its baseline', async () => {
    const gauge = async () => (await api.app.metrics.sseStreamsOpen.get()).values[0]?.value ?? 0;
    const baseline = await eventually(() => api.app.liveEvents.streamCount, 0);
    expect(baseline).toBe(0);
    const opened = await Promise.all([open(), open(), open()]);
    const h1 = EventStreamReader.overHttp1(api.h1Origin ?? '', api.signedIn);
    readers.push(h1);
    await h1.open();
    expect(await eventually(() => api.app.liveEvents.streamCount, 4)).toBe(4);
    expect(await gauge()).toBe(4);
    for (const reader of opened) reader.close();
    h1.close();
    expect(await eventually(() => api.app.liveEvents.streamCount, 0)).toBe(0);
    expect(await gauge()).toBe(0);
  });

  it('works over the HTTP/1.1-only listener (ALPN http/1.1) and over HTTP/1.1 on the main port', async () => {
    const limits = await http1Request(api.h1Origin ?? '', { path: '/api/v1/limits', headers: api.signedIn });
    expect(limits.alpnProtocol).toBe('http/1.1');
    expect(limits.status).toBe(200);

    for (const origin of [api.h1Origin ?? '', api.origin]) {
      const reader = EventStreamReader.overHttp1(origin, { origin: ALLOWED_ORIGIN, ...api.signedIn });
      readers.push(reader);
      await reader.open();
      expect(reader.alpnProtocol).toBe('http/1.1');
      expect(reader.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      const event = tick();
      await reader.waitFor((m) => m.id === String(event.seq));
      reader.close();
    }
  });

  it('works over HTTP/2 (ALPN h2), many streams on one connection', async () => {
    const streams = await Promise.all(Array.from({ length: 8 }, () => open()));
    expect(streams[0]?.alpnProtocol).toBe('h2');
    const event = tick();
    await Promise.all(streams.map((reader) => reader.waitFor((m) => m.id === String(event.seq))));
    for (const reader of streams) reader.close();
  });
});

describe('SSE heartbeat (app.heartbeatPolicy)', () => {
  it('a `: hb` comment arrives every SSE_HEARTBEAT_MS', async () => {
    const reader = await open();
    await reader.waitFor((m) => m.comment === 'hb', 2000);
    reader.close();
  });

  it('without an SSE heartbeat in the policy: no comment at all, on new and existing streams', async () => {
    const existing = await open();
    const configured = api.app.heartbeatPolicy.get();
    api.app.heartbeatPolicy.set({ ...configured, sseHeartbeatMs: null });
    try {
      const fresh = await open();
      const countAfterSwitch = existing.messages.filter((m) => m.comment === 'hb').length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(fresh.messages.filter((m) => m.comment !== undefined)).toEqual([]);
      expect(existing.messages.filter((m) => m.comment === 'hb').length).toBe(countAfterSwitch);
      fresh.close();
    } finally {
      api.app.heartbeatPolicy.set(configured);
      existing.close();
    }
  });
});

describe('graceful close with live connections', () => {
  // A close that waited for the streams would never end: the test's timeout catches it.
  it('ends open streams and the close ends, on both listeners', async () => {
    const other = await startApi({ h1: true });
    const h2 = new H2Client(other.origin, other.signedIn);
    const streams = [
      EventStreamReader.overHttp2(h2),
      EventStreamReader.overHttp1(other.h1Origin ?? '', other.signedIn),
    ];
    await Promise.all(streams.map((reader) => reader.open()));
    other.app.eventGenerator.set({ eventsPerSecond: 100, payloadBytes: 10 });
    await streams[0]?.waitFor((m) => m.event === 'generator.tick');
    await other.close();
    expect(await eventually(() => streams.every((reader) => reader.ended), true)).toBe(true);
    expect(other.app.eventGenerator.settings().eventsPerSecond).toBe(100);
    await h2.close();
  });
});
