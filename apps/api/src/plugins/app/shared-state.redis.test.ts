// Two API replicas on one PostgreSQL and one Redis, as a load balancer would run them:
// live events, presence and the caches' invalidations cross from one to the other, and
// when Redis goes away each feature falls back as decision 0016 says. Behaviour only:
// every wait polls for what must happen, never for how fast.
import { CreatedOrderEnvelope, LiveEvent, type Order } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccount, startSession } from '../../../test/accounts.js';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { EventStreamReader, eventually, H2Client, type SseMessage } from '../../../test/clients.js';
import { createThrowawayPostgres, type ThrowawayPostgres } from '../../../test/databases.js';
import { type RunningRedis, startRedisServer } from '../../../test/redis-server.js';

const NEW_ORDER = { customer: 'Grace Hopper', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 12.5 }] };
/** Long enough that nothing in a test is emptied by its TTL: only an invalidation can. */
const LONG_TTL_MS = '60000';

interface Replicas {
  redis: RunningRedis;
  postgres: ThrowawayPostgres;
  a: StartedApi;
  b: StartedApi;
  /** A's account (a user), through A and through B: one session, two replicas. */
  onA: H2Client;
  onB: H2Client;
  close(): Promise<void>;
}

async function startReplicas(
  env: { a?: Record<string, string>; b?: Record<string, string> } = {},
  redisOptions: { cluster?: boolean } = {},
): Promise<Replicas> {
  const redis = await startRedisServer(redisOptions);
  const postgres = await createThrowawayPostgres();
  const shared = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    ORDERS_PAGE_CACHE_TTL_MS: LONG_TTL_MS,
    SESSION_CACHE_TTL_MS: LONG_TTL_MS,
    PRESENCE_HEARTBEAT_MS: '200',
  };
  // One after the other: the first migrates the database.
  const a = await startApi({ env: { ...shared, ...env.a } });
  const b = await startApi({ env: { ...shared, ...env.b } });
  const onA = new H2Client(a.origin, a.signedIn);
  const onB = new H2Client(b.origin, a.signedIn);
  const replicas: Replicas = {
    redis,
    postgres,
    a,
    b,
    onA,
    onB,
    async close() {
      await Promise.all([onA.close(), onB.close()]);
      await Promise.all([a.close(), b.close()]);
      await postgres.drop();
      // The Redis of now: a test that stopped it may have started another in its place.
      await replicas.redis.stop();
    },
  };
  return replicas;
}

async function createOrder(client: H2Client): Promise<Order> {
  const res = await client.request({ method: 'POST', path: '/api/v1/orders', body: NEW_ORDER });
  expect(res.status, res.text).toBe(201);
  return CreatedOrderEnvelope.parse(res.json()).data;
}

const parsed = (message: SseMessage) => LiveEvent.parse(JSON.parse(message.data ?? 'null'));
const aboutOrder = (id: string) => (message: SseMessage) => message.data?.includes(id) ?? false;

/** A WebSocket client on `origin` with `cookie`, recording its text frames. */
function openSocket(origin: string, cookie: string) {
  const socket = new WebSocket(`${origin.replace('https:', 'wss:')}/api/v1/ws`, {
    rejectUnauthorized: false,
    headers: { cookie },
  });
  const frames: { type: string; count?: number; order?: { id: string } }[] = [];
  socket.on('message', (data, isBinary) => {
    if (!isBinary) frames.push(JSON.parse(String(data)));
  });
  socket.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const lastPresence = () => frames.filter((frame) => frame.type === 'presence').at(-1)?.count;
  return { socket, frames, opened, lastPresence };
}

// Each feature on a plain Redis, and on Redis Cluster's rules: a script's keys must share a
// hash slot (or the call fails with CROSSSLOT), which the key names' hash tags see to.
describe.for([
  { redis: 'one Redis', cluster: false },
  { redis: 'a one-node Redis Cluster', cluster: true },
])('two replicas on $redis', ({ cluster }) => {
  let r: Replicas;
  beforeAll(async () => {
    // B's ring holds 2 events: a resume further back reads the stream's history.
    r = await startReplicas({ b: { EVENT_REPLAY_SIZE: '2' } }, { cluster });
  });
  afterAll(async () => r?.close());

  it('share one feed: an order created through A reaches SSE and WebSocket clients on B, its owner only', async () => {
    expect([r.a.app.sharedState.kind, r.b.app.sharedState.kind]).toEqual(['redis', 'redis']);
    const owners = await EventStreamReader.overHttp2(r.onB).open();
    // B's own account is another user: A's user's orders are not its to see.
    const stranger = new H2Client(r.b.origin, r.b.signedIn);
    const strangers = await EventStreamReader.overHttp2(stranger).open();
    const socket = openSocket(r.b.origin, r.a.signedIn.cookie);
    await socket.opened;

    const order = await createOrder(r.onA);
    const event = parsed(await owners.waitFor(aboutOrder(order.id)));
    expect(event.type).toBe('order.created');
    await eventually(() => socket.frames.some((frame) => frame.order?.id === order.id), true);
    expect(socket.frames.some((frame) => frame.order?.id === order.id)).toBe(true);

    // The stranger's stream gets its own order, and never got A's user's before it.
    const own = await createOrder(stranger);
    await strangers.waitFor(aboutOrder(own.id));
    expect(strangers.messages.some(aboutOrder(order.id))).toBe(false);

    owners.close();
    strangers.close();
    socket.socket.close();
    await stranger.close();
  });

  it('number events once for all: a client that read on A resumes on B with no gap and no duplicate', async () => {
    const onA = await EventStreamReader.overHttp2(r.onA).open();
    const first = [await createOrder(r.onA), await createOrder(r.onB), await createOrder(r.onA)];
    for (const order of first) await onA.waitFor(aboutOrder(order.id));
    const seen = onA.events.filter((message) => message.event === 'order.created');
    const ids = seen.map((message) => Number(message.id));
    expect(ids).toEqual(ids.map((_, i) => (ids[0] ?? 0) + i));
    onA.close();

    // Missed while away: more than B's ring holds, so B replays from the stream.
    const missed = [await createOrder(r.onB), await createOrder(r.onA), await createOrder(r.onB)];
    const lastSeen = ids.at(-1) ?? 0;
    const onB = await EventStreamReader.overHttp2(r.onB, { 'last-event-id': String(lastSeen) }).open();
    const later = await createOrder(r.onA);
    await onB.waitFor(aboutOrder(later.id));
    const resumed = onB.events;
    expect(resumed.map((message) => message.event)).not.toContain('stream.reset');
    expect(resumed.map((message) => Number(message.id))).toEqual([1, 2, 3, 4].map((i) => lastSeen + i));
    expect(resumed.map((message) => parsed(message)).map((event) => ('order' in event ? event.order.id : ''))).toEqual(
      [...missed, later].map((order) => order.id),
    );
    onB.close();
  });

  it('resume on B from an id only A has delivered yet: B waits for it, no reset and no duplicate', async () => {
    const onA = await EventStreamReader.overHttp2(r.onA).open();
    const order = await createOrder(r.onA);
    const last = await onA.waitFor(aboutOrder(order.id));
    onA.close();
    const onB = await EventStreamReader.overHttp2(r.onB, { 'last-event-id': String(last.id) }).open();
    const next = await createOrder(r.onB);
    await onB.waitFor(aboutOrder(next.id));
    expect(onB.events.map((message) => message.event)).toEqual(['order.created']);
    expect(onB.events[0]?.id).toBe(String(Number(last.id) + 1));
    onB.close();
  });

  it("empty every first-page cache on a write: B answers A's new order at once, its cache TTL a minute", async () => {
    const before = await r.onB.request({ path: '/api/v1/orders?limit=5' });
    expect(before.status).toBe(200);
    // Cached now on B: a second read is a hit (Server-Timing says so).
    const hit = await r.onB.request({ path: '/api/v1/orders?limit=5' });
    expect(String(hit.headers['server-timing'])).toContain('cache');
    const order = await createOrder(r.onA);
    const newest = () =>
      r.onB
        .request({ path: '/api/v1/orders?limit=5' })
        .then((res) => (res.json() as { data: { items: Order[] } }).data.items[0]?.id);
    expect(await eventually(newest, order.id)).toBe(order.id);
  });

  it('drop an ended session everywhere: signed out on A, refused at its next call on B', async () => {
    const session = await startSession(r.a.app, r.a.account.user);
    const onB = new H2Client(r.b.origin, { cookie: session.cookie });
    const onA = new H2Client(r.a.origin, { cookie: session.cookie });
    expect((await onB.request({ path: '/api/v1/auth/me' })).status).toBe(200);
    // B holds the session in its cache (TTL a minute) from here.
    expect((await onB.request({ path: '/api/v1/auth/me' })).status).toBe(200);
    expect((await onA.request({ method: 'POST', path: '/api/v1/auth/sign-out', body: {} })).status).toBeLessThan(300);
    expect(await eventually(async () => (await onB.request({ path: '/api/v1/auth/me' })).status, 401)).toBe(401);
    await Promise.all([onA.close(), onB.close()]);
  });

  it('drop every session of an account everywhere: signed out everywhere on A, each refused on B', async () => {
    // An account of its own: the file's account keeps its session for the tests after this one.
    const { user } = await createAccount(r.a.app);
    const [first, second] = [await startSession(r.a.app, user), await startSession(r.a.app, user)];
    const onB = [first, second].map((session) => new H2Client(r.b.origin, { cookie: session.cookie }));
    for (const client of onB) expect((await client.request({ path: '/api/v1/auth/me' })).status).toBe(200);
    const onA = new H2Client(r.a.origin, { cookie: first.cookie });
    const out = await onA.request({ method: 'POST', path: '/api/v1/auth/sign-out-everywhere', body: {} });
    expect(out.status).toBeLessThan(300);
    for (const client of onB) {
      expect(await eventually(async () => (await client.request({ path: '/api/v1/auth/me' })).status, 401)).toBe(401);
    }
    await Promise.all([onA.close(), ...onB.map((client) => client.close())]);
  });

  it("count every replica's sockets: presence on B includes A's client, and drops it when it leaves", async () => {
    const onB = openSocket(r.b.origin, r.a.signedIn.cookie);
    await onB.opened;
    const alone = await eventually(onB.lastPresence, 1);
    expect(alone).toBe(1);
    const onA = openSocket(r.a.origin, r.a.signedIn.cookie);
    await onA.opened;
    expect(await eventually(onB.lastPresence, 2)).toBe(2);
    expect(await eventually(onA.lastPresence, 2)).toBe(2);
    onA.socket.close();
    expect(await eventually(onB.lastPresence, 1)).toBe(1);
    onB.socket.close();
  });
});

describe('two replicas whose Redis goes away under load', () => {
  let r: Replicas;
  beforeAll(async () => {
    r = await startReplicas();
  });
  afterAll(async () => r?.close());

  it('keep answering reads and creates (no 5xx), then share again once Redis is back', async () => {
    const watcher = await EventStreamReader.overHttp2(r.onB).open();
    const before = await createOrder(r.onA);
    const lastBefore = Number((await watcher.waitFor(aboutOrder(before.id))).id);

    // Load on both replicas while Redis stops, stays down a moment and comes back.
    const statuses: number[] = [];
    let loading = true;
    const load = (client: H2Client) =>
      (async () => {
        for (let i = 0; loading; i++) {
          const res =
            i % 2 === 0
              ? await client.request({ path: '/api/v1/orders?limit=5' })
              : await client.request({ method: 'POST', path: '/api/v1/orders', body: NEW_ORDER });
          statuses.push(res.status);
        }
      })();
    const running = [load(r.onA), load(r.onB)];
    await eventually(() => statuses.length >= 10, true);
    const port = r.redis.port;
    await r.redis.stop();
    const downAt = statuses.length;
    await eventually(() => statuses.length >= downAt + 20, true);
    // Created while Redis is away: its event is lost (decision 0016), its order is not.
    const duringOutage = await createOrder(r.onA);
    r.redis = await startRedisServer({ port });
    // Streams on every replica that lost Redis are told to refetch.
    await watcher.waitFor((message) => message.event === 'stream.reset', 10_000);
    const backAt = statuses.length;
    await eventually(() => statuses.length >= backAt + 10, true);
    loading = false;
    await Promise.all(running);

    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
    const listed = await r.onB.request({ path: '/api/v1/orders?limit=100' });
    expect(JSON.stringify(listed.json())).toContain(duringOutage.id);

    // Shared again: A's next order reaches B's stream, numbered after everything before
    // the outage (the restarted Redis had lost its counter).
    const after = await createOrder(r.onA);
    const afterEvent = await watcher.waitFor(aboutOrder(after.id), 10_000);
    expect(Number(afterEvent.id)).toBeGreaterThan(lastBefore);
    expect(r.b.app.metrics.sharedStateFailures.labels({ feature: 'events' })).toBeDefined();
    watcher.close();
  });
});
