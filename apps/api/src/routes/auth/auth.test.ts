import {
  CreatedOrderEnvelope,
  type Endpoint,
  ErrorEnvelope,
  endpoints,
  OrderPageEnvelope,
  pathOf,
  SESSION_COOKIE,
  SessionEnvelope,
  SignedOutEnvelope,
  SignedUpEnvelope,
} from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccount, startSession, TEST_PASSWORD } from '../../../test/accounts.js';
import { ALLOWED_ORIGIN, useStartedApi } from '../../../test/api-server.js';
import { EventStreamReader, H2Client, type TestResponse } from '../../../test/clients.js';
import { metricSum } from '../../../test/metric-samples.js';
import { sessionIdOf } from '../../accounts/session-token.js';

const started = useStartedApi();
const api = () => started.api;

const ANY_UUID = '6f1e3a52-2b8c-4d6e-9f10-3a4b5c6d7e8f';
const order = { customer: 'Ada Lovelace', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 12.5 }] };

/** A client without a session. */
function anonymous(): H2Client {
  return new H2Client(api().origin);
}

function expectError(res: TestResponse, status: number, error: string) {
  expect(res.status, res.text).toBe(status);
  const body = ErrorEnvelope.parse(res.json());
  expect(body.data.error).toBe(error);
  return body;
}

/** `name=value; Path=/; …` → its attributes, lower-cased names, for the session cookie. */
function sessionCookieOf(res: TestResponse): { value: string; attributes: Map<string, string> } | undefined {
  const headers = [res.headers['set-cookie'] ?? []].flat();
  const cookie = headers.find((header) => header.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) return undefined;
  const [pair = '', ...attributes] = cookie.split(';').map((part) => part.trim());
  return {
    value: pair.slice(SESSION_COOKIE.length + 1),
    attributes: new Map(
      attributes.map((attribute) => {
        const [name = '', value = ''] = attribute.split('=');
        return [name.toLowerCase(), value];
      }),
    ),
  };
}

async function signUp(client: H2Client, email: string) {
  return client.request({ method: 'POST', path: endpoints.signUp.path, body: { email, password: TEST_PASSWORD } });
}

async function signIn(client: H2Client, email: string, password = TEST_PASSWORD) {
  return client.request({ method: 'POST', path: endpoints.signIn.path, body: { email, password } });
}

function withCookie(res: TestResponse): H2Client {
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  return new H2Client(api().origin, { cookie: `${SESSION_COOKIE}=${cookie.value}` });
}

describe('endpoints that need a session', () => {
  // From the contract, not a hand list: a new endpoint that needs a session is checked here the day it is added.
  const guarded = (Object.entries(endpoints) as [string, Endpoint][]).filter(
    ([, endpoint]) => endpoint.auth === 'session' && !endpoint.tags.includes('labs'),
  );

  it('are every orders, reports, events, socket, limits and rollout endpoint', () => {
    const names = guarded.map(([name]) => name);
    for (const name of ['listOrders', 'getOrder', 'createOrder', 'orderEvents', 'liveSocket', 'getLimits']) {
      expect(names).toContain(name);
    }
    expect(names).toContain('getOrdersReport');
    expect(names).toContain('v2ListOrders');
    expect(names).not.toContain('health');
    expect(names).not.toContain('ingestRum');
  });

  it.each(guarded)(
    '%s answers 401 UNAUTHENTICATED without a session, and with a made-up one',
    async (_name, endpoint) => {
      const path = pathOf(endpoint.path, { id: ANY_UUID });
      const body = endpoint.body ? {} : undefined;
      const client = anonymous();
      const forged = new H2Client(api().origin, { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` });
      try {
        for (const caller of [client, forged]) {
          const res = await caller.request({ method: endpoint.method, path, body });
          const error = expectError(res, 401, 'UNAUTHENTICATED');
          expect(error.code).toBe(40102);
        }
      } finally {
        await client.close();
        await forged.close();
      }
    },
  );
});

describe('sign-up, sign-in, who am I, sign-out', () => {
  it('signs up (e-mail lower-cased), sets the __Host- cookie with its flags, and knows the user', async () => {
    const client = anonymous();
    const res = await signUp(client, '  Grace@Example.COM ');
    expect(res.status, res.text).toBe(201);
    const body = SignedUpEnvelope.parse(res.json());
    expect(body.data.user).toMatchObject({ email: 'grace@example.com', role: 'user' });

    const cookie = sessionCookieOf(res);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.attributes.get('path')).toBe('/');
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.has('httponly')).toBe(true);
    expect(cookie?.attributes.get('samesite')).toBe('Lax');
    expect(cookie?.attributes.has('domain')).toBe(false);
    expect(Number(cookie?.attributes.get('max-age'))).toBeGreaterThan(0);

    const signedIn = withCookie(res);
    const me = await signedIn.request({ path: endpoints.getMe.path });
    expect(me.status, me.text).toBe(200);
    expect(SessionEnvelope.parse(me.json()).data.user.email).toBe('grace@example.com');
    await Promise.all([client.close(), signedIn.close()]);
  });

  it('refuses a second account for the same e-mail in another case: 409 EMAIL_TAKEN', async () => {
    const client = anonymous();
    expect((await signUp(client, 'twice@example.com')).status).toBe(201);
    expectError(await signUp(client, 'TWICE@example.com'), 409, 'EMAIL_TAKEN');
    await client.close();
  });

  it('names the fields of a bad sign-up', async () => {
    const client = anonymous();
    const res = await client.request({
      method: 'POST',
      path: endpoints.signUp.path,
      body: { email: 'nope', password: 'short' },
    });
    const body = expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.data.issues?.map((issue) => issue.path).sort()).toEqual(['body.email', 'body.password']);
    await client.close();
  });

  it('answers an unknown e-mail and a wrong password the same: 401 INVALID_CREDENTIALS', async () => {
    const client = anonymous();
    await signUp(client, 'known@example.com');
    const unknown = expectError(await signIn(client, 'nobody@example.com'), 401, 'INVALID_CREDENTIALS');
    const wrong = expectError(
      await signIn(client, 'known@example.com', 'not the password'),
      401,
      'INVALID_CREDENTIALS',
    );
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.code).toBe(unknown.code);
    await client.close();
  });

  it('signs in with a new session, and ends the one the browser still carried', async () => {
    const client = anonymous();
    const first = withCookie(await signUp(client, 'again@example.com'));
    const res = await first.request({
      method: 'POST',
      path: endpoints.signIn.path,
      body: { email: 'AGAIN@example.com', password: TEST_PASSWORD },
    });
    expect(res.status, res.text).toBe(200);
    const second = withCookie(res);
    expect((await second.request({ path: endpoints.getMe.path })).status).toBe(200);
    expectError(await first.request({ path: endpoints.getMe.path }), 401, 'UNAUTHENTICATED');
    await Promise.all([client.close(), first.close(), second.close()]);
  });

  it('signs out: the session is refused at its next call and the cookie is cleared', async () => {
    const client = anonymous();
    const signedIn = withCookie(await signUp(client, 'leaving@example.com'));
    const res = await signedIn.request({ method: 'POST', path: endpoints.signOut.path });
    expect(res.status, res.text).toBe(200);
    expect(SignedOutEnvelope.parse(res.json()).data.sessionsEnded).toBe(1);
    expect(sessionCookieOf(res)).toMatchObject({ value: '' });
    expect(sessionCookieOf(res)?.attributes.get('max-age')).toBe('0');
    expectError(await signedIn.request({ path: endpoints.listOrders.path }), 401, 'UNAUTHENTICATED');
    await Promise.all([client.close(), signedIn.close()]);
  });

  it('signs out everywhere: every session of the account is refused at its next call', async () => {
    const { user, cookie } = await createAccount(api().app);
    const other = await startSession(api().app, user);
    const here = new H2Client(api().origin, { cookie });
    const there = new H2Client(api().origin, { cookie: other.cookie });
    expect((await there.request({ path: endpoints.getMe.path })).status).toBe(200);
    const res = await here.request({ method: 'POST', path: endpoints.signOutEverywhere.path });
    expect(SignedOutEnvelope.parse(res.json()).data.sessionsEnded).toBe(2);
    expectError(await there.request({ path: endpoints.getMe.path }), 401, 'UNAUTHENTICATED');
    expectError(await here.request({ path: endpoints.getMe.path }), 401, 'UNAUTHENTICATED');
    await Promise.all([here.close(), there.close()]);
  });

  it('extends a session used a minute after its last extension (rolling expiry), and sends the cookie again', async () => {
    const { cookie, token } = await createAccount(api().app);
    const client = new H2Client(api().origin, { cookie });
    const quiet = await client.request({ path: endpoints.getMe.path });
    expect(sessionCookieOf(quiet)).toBeUndefined();
    // The session is aged by SQL by hand, which the lookups cache cannot see: read it from the database.
    const cachePolicy = api().app.sessionCachePolicy.get();
    api().app.sessionCachePolicy.set({ ttlMs: 0 });
    try {
      await api().app.db.query(
        'test.age_session',
        `UPDATE sessions SET last_seen_at = now() - interval '2 minutes', expires_at = now() + interval '5 minutes'`,
      );
      const before = Date.now();
      const res = await client.request({ path: endpoints.getMe.path });
      expect(sessionCookieOf(res)?.value).toBe(token);
      const expiresAt = SessionEnvelope.parse(res.json()).data.expiresAt;
      expect(expiresAt.getTime()).toBeGreaterThan(before + 60 * 60 * 1000);
    } finally {
      api().app.sessionCachePolicy.set(cachePolicy);
    }
    await client.close();
  });
});

describe('orders belong to their user', () => {
  it("answers another user's order as a 404, lists only one's own, and lets an admin see and change all", async () => {
    const alice = new H2Client(api().origin, { cookie: (await createAccount(api().app)).cookie });
    const bob = new H2Client(api().origin, { cookie: (await createAccount(api().app)).cookie });
    const admin = new H2Client(api().origin, { cookie: (await createAccount(api().app, { role: 'admin' })).cookie });

    const created = await alice.request({ method: 'POST', path: endpoints.createOrder.path, body: order });
    expect(created.status, created.text).toBe(201);
    const id = CreatedOrderEnvelope.parse(created.json()).data.id;
    const path = pathOf(endpoints.getOrder.path, { id });

    expectError(await bob.request({ path }), 404, 'ORDER_NOT_FOUND');
    expectError(await bob.request({ method: 'PATCH', path, body: { status: 'paid' } }), 404, 'ORDER_NOT_FOUND');
    expectError(await bob.request({ path: pathOf(endpoints.v2GetOrder.path, { id }) }), 404, 'ORDER_NOT_FOUND');
    const bobsList = OrderPageEnvelope.parse((await bob.request({ path: endpoints.listOrders.path })).json());
    expect(bobsList.data.items).toEqual([]);
    const alicesList = OrderPageEnvelope.parse((await alice.request({ path: endpoints.listOrders.path })).json());
    expect(alicesList.data.items.map((item) => item.id)).toEqual([id]);
    const batch = await bob.request({ path: `${endpoints.getOrdersBatch.path}?ids=${id}` });
    expect((batch.json() as { data: { missing: string[] } }).data.missing).toEqual([id]);

    expect((await admin.request({ path })).status).toBe(200);
    const paid = await admin.request({ method: 'PATCH', path, body: { status: 'paid' } });
    expect(paid.status, paid.text).toBe(200);
    await Promise.all([alice.close(), bob.close(), admin.close()]);
  });

  it('keeps the reports, which aggregate every order, to admins: a user gets 403 FORBIDDEN', async () => {
    const user = started.client;
    expectError(await user.request({ path: endpoints.getOrdersReport.path }), 403, 'FORBIDDEN');
    const admin = new H2Client(api().origin, { cookie: (await createAccount(api().app, { role: 'admin' })).cookie });
    expect((await admin.request({ path: endpoints.getOrdersReport.path })).status).toBe(200);
    await admin.close();
  });
});

describe('the Origin of a mutation (CSRF)', () => {
  it('refuses a mutation from an origin not on the allowlist, and lets the allowed one and a non-browser through', async () => {
    const client = started.client;
    const evil = { origin: 'https://evil.example' };
    expectError(
      await client.request({ method: 'POST', path: endpoints.createOrder.path, body: order, headers: evil }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    expectError(
      await client.request({ method: 'POST', path: endpoints.signOut.path, headers: evil }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    const anon = anonymous();
    expectError(
      await anon.request({
        method: 'POST',
        path: endpoints.signIn.path,
        body: { email: 'a@example.com', password: 'x' },
        headers: evil,
      }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    const allowed = await client.request({
      method: 'POST',
      path: endpoints.createOrder.path,
      body: order,
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(allowed.status, allowed.text).toBe(201);
    expect((await client.request({ method: 'POST', path: endpoints.createOrder.path, body: order })).status).toBe(201);
    await anon.close();
  });
});

describe('the session lookups cache', () => {
  /** tandem_session_lookups_total by outcome, read from /metrics. */
  async function lookups(): Promise<{ cache: number; database: number }> {
    const text = (await started.client.request({ path: '/metrics' })).text;
    return {
      cache: metricSum(text, 'tandem_session_lookups_total', { outcome: 'cache' }),
      database: metricSum(text, 'tandem_session_lookups_total', { outcome: 'database' }),
    };
  }

  it('answers a signed-in user’s calls with one database lookup for many requests', async () => {
    const { cookie } = await createAccount(api().app);
    const client = new H2Client(api().origin, { cookie });
    const policy = api().app.sessionCachePolicy.get();
    // A change of policy empties the cache (the first call below queries); a minute outlasts a slow machine.
    api().app.sessionCachePolicy.set({ ttlMs: 60_000 });
    try {
      const before = await lookups();
      for (let n = 0; n < 5; n++) expect((await client.request({ path: endpoints.listOrders.path })).status).toBe(200);
      const after = await lookups();
      expect(after.database - before.database).toBe(1);
      expect(after.cache - before.cache).toBe(4);
    } finally {
      api().app.sessionCachePolicy.set(policy);
      await client.close();
    }
  });

  it('with a TTL of 0, every call looks its session up in the database', async () => {
    const { cookie } = await createAccount(api().app);
    const client = new H2Client(api().origin, { cookie });
    const policy = api().app.sessionCachePolicy.get();
    api().app.sessionCachePolicy.set({ ttlMs: 0 });
    try {
      const before = await lookups();
      for (let n = 0; n < 3; n++) expect((await client.request({ path: endpoints.listOrders.path })).status).toBe(200);
      const after = await lookups();
      expect(after.database - before.database).toBe(3);
      expect(after.cache - before.cache).toBe(0);
    } finally {
      api().app.sessionCachePolicy.set(policy);
      await client.close();
    }
  });

  it('refuses a session signed out on another device at its very next call, though it was just answered from memory', async () => {
    const { user, cookie } = await createAccount(api().app);
    const other = await startSession(api().app, user);
    const here = new H2Client(api().origin, { cookie });
    const there = new H2Client(api().origin, { cookie: other.cookie });
    const before = await lookups();
    for (let n = 0; n < 3; n++) expect((await there.request({ path: endpoints.listOrders.path })).status).toBe(200);
    expect((await lookups()).cache - before.cache).toBeGreaterThan(0);
    expect((await here.request({ method: 'POST', path: endpoints.signOutEverywhere.path })).status).toBe(200);
    expectError(await there.request({ path: endpoints.listOrders.path }), 401, 'UNAUTHENTICATED');
    await Promise.all([here.close(), there.close()]);
  });

  it('refuses a session revoked through the repository at its very next call', async () => {
    const { cookie, token } = await createAccount(api().app);
    const client = new H2Client(api().origin, { cookie });
    expect((await client.request({ path: endpoints.getMe.path })).status).toBe(200);
    expect(await api().app.sessionsRepository.get().revoke(sessionIdOf(token))).toBe(1);
    expectError(await client.request({ path: endpoints.getMe.path }), 401, 'UNAUTHENTICATED');
    await client.close();
  });
});

describe('a revoked session on the live channels (their connects read the lookups cache too)', () => {
  it('is refused at the next event stream it opens', async () => {
    const { user, cookie } = await createAccount(api().app);
    const client = new H2Client(api().origin, { cookie });
    const open = EventStreamReader.overHttp2(client);
    await open.open();
    expect(open.status).toBe(200);
    open.close();

    await api().app.sessionsRepository.get().revokeAllOf(user.id);
    const again = EventStreamReader.overHttp2(client);
    await again.open();
    expect(again.status).toBe(401);
    again.close();
    await client.close();
  });

  it('is refused at the next WebSocket it opens, with a 401', async () => {
    const { user, cookie } = await createAccount(api().app);
    const connect = () =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${api().origin.replace('https:', 'wss:')}/api/v1/ws`, {
          rejectUnauthorized: false,
          headers: { cookie },
        });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('error', reject);
      });
    expect(await connect()).toBe(101);
    await api().app.sessionsRepository.get().revokeAllOf(user.id);
    expect(await connect()).toBe(401);
  });
});

describe("the live channels carry only one's own orders", () => {
  it("sends a user the events of its own orders, not another user's; an admin gets both", async () => {
    const alice = await createAccount(api().app);
    const bob = await createAccount(api().app);
    const admin = await createAccount(api().app, { role: 'admin' });
    const clients = [alice, bob, admin].map(({ cookie }) => new H2Client(api().origin, { cookie }));
    const [aliceClient, bobClient, adminClient] = clients as [H2Client, H2Client, H2Client];
    const streams = clients.map((client) => EventStreamReader.overHttp2(client));
    const [aliceStream, bobStream, adminStream] = streams as [EventStreamReader, EventStreamReader, EventStreamReader];
    await Promise.all(streams.map((stream) => stream.open()));

    const create = async (client: H2Client, customer: string) => {
      const res = await client.request({
        method: 'POST',
        path: endpoints.createOrder.path,
        body: { ...order, customer },
      });
      return CreatedOrderEnvelope.parse(res.json()).data.id;
    };
    const alicesOrder = await create(aliceClient, 'Alice Live');
    const bobsOrder = await create(bobClient, 'Bob Live');
    const created = (id: string) => (message: { event?: string; data?: string }) =>
      message.event === 'order.created' && (message.data ?? '').includes(id);

    await aliceStream.waitFor(created(alicesOrder));
    await bobStream.waitFor(created(bobsOrder));
    await adminStream.waitFor(created(alicesOrder));
    await adminStream.waitFor(created(bobsOrder));
    expect(aliceStream.messages.some(created(bobsOrder))).toBe(false);
    expect(bobStream.messages.some(created(alicesOrder))).toBe(false);

    // A replay (Last-Event-ID) is filtered the same way.
    const replay = EventStreamReader.overHttp2(bobClient, { 'last-event-id': '0' });
    await replay.open();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(replay.messages.some(created(alicesOrder))).toBe(false);
    for (const stream of [...streams, replay]) stream.close();
    await Promise.all([aliceClient.close(), bobClient.close(), adminClient.close()]);
  });
});
