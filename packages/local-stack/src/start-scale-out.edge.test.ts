// The API scaled out behind HAProxy (startScaleOut: PostgreSQL, Redis, three replicas, the
// balancer; docs/decisions/0015-scale-out-topology.md), driven through the balancer as a
// browser would: calls over h2, an event stream, the WebSocket, the shared rate limit, a
// rolling restart (with event streams following it) and a crash (kill -9) under calls, and a
// replica stopped under calls.
// Behaviour only: the figures are a benchmark's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type ClientHttp2Session, connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { endpoints, IDEMPOTENCY_KEY_HEADER } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStreamFollower } from './event-stream-follower.js';
import { h2Request, openH2Session } from './h2-request.js';
import { fetchMetricsText, parseMetricSamples } from './read-metrics.js';
import { type SpaCallResult, spaRetryingCall } from './spa-retrying-call.js';
import { type RunningScaleOut, startScaleOut } from './start-scale-out.js';

/** The `api` bucket every replica is given: the smallest burst the API accepts, and next to no refill. */
const BUDGET = 100;
const ORDERS = endpoints.listOrders.path;

let workDir: string;
let stack: RunningScaleOut;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'tandem-scale-out-'));
  stack = await startScaleOut({
    replicas: 3,
    workDir,
    // Refill of one unit per 1,000 s: the count a test admits is the burst, exactly.
    env: { RATE_LIMIT_API_BURST: String(BUDGET), RATE_LIMIT_API_UNITS_PER_SECOND: '0.001' },
  });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/**
 * An HTTP/2 session to the balancer from its own loopback address (on Linux 127.0.0.0/8 is all this
 * machine's): HAProxy writes that address into X-Forwarded-For, so each test is a client
 * with a rate-limit budget of its own.
 */
function clientSession(localAddress: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(stack.origin);
    const socket = netConnect({ host: '127.0.0.1', port: Number(port), localAddress });
    const session = connect(stack.origin, {
      createConnection: () =>
        tlsConnect({ socket, servername: hostname, ALPNProtocols: ['h2'], rejectUnauthorized: false }),
    });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

/** `count` GETs of the orders list, `inFlight` at a time; the statuses in the order they came. */
async function listOrders(
  session: ClientHttp2Session,
  count: number,
  headers: (n: number) => Record<string, string> = () => ({}),
  inFlight = 10,
): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const answer = await h2Request(session, {
        path: `${ORDERS}?limit=1`,
        headers: { cookie: stack.sessions.user, ...headers(n) },
      });
      statuses.push(answer.status);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return statuses;
}

/** GETs of the orders list each replica has answered so far (its own /metrics, read directly). */
async function ordersListedPerReplica(): Promise<number[]> {
  return Promise.all(
    stack.replicas.map(async (api) =>
      parseMetricSamples(await fetchMetricsText(api.origin))
        .filter(({ name, labels }) => name === 'tandem_http_requests_total' && labels.route === ORDERS)
        .filter(({ labels }) => labels.method === 'GET')
        .reduce((sum, { value }) => sum + value, 0),
    ),
  );
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/** Rows of a query on the stack's PostgreSQL, each a list of its columns' text. */
function queryPostgres(sql: string): string[][] {
  const out = execFileSync('psql', [stack.databaseUrl, '--no-psqlrc', '--tuples-only', '--no-align', '-c', sql], {
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('|'));
}

/**
 * Simulated browsers calling through the balancer, each from loopback addresses of its own
 * (a fresh one every `callsPerAddress` calls, so the small rate-limit budget of this file's
 * stack is never what fails a call), reconnecting when a session is gone, as a browser does.
 */
function browserPool(firstOctet: number) {
  let addresses = 0;
  const nextAddress = () => {
    addresses++;
    return `127.${firstOctet}.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
  };
  return () => {
    const callsPerAddress = BUDGET / 2;
    let calls = 0;
    let address = nextAddress();
    let current: Promise<ClientHttp2Session> | undefined;
    return async (): Promise<ClientHttp2Session> => {
      if (++calls % callsPerAddress === 0) {
        address = nextAddress();
        const previous = current;
        current = undefined;
        previous?.then((session) => session.close()).catch(() => {});
      }
      const open = await current?.catch(() => undefined);
      if (open && !open.closed && !open.destroyed) return open;
      current = clientSession(address);
      return current;
    };
  };
}

/** The order a create with this n sends: a customer name of its own, so duplicates show in PostgreSQL. */
const createBody = (tag: string, n: number) =>
  JSON.stringify({ customer: `${tag} ${n}`, items: [{ sku: 'EDGE-R', qty: 1, price: 2 }] });

/** Creates sent by this file's simulated browsers: each one's number, unique across calls of `callUntil`. */
let createsSent = 0;

interface SentCreate {
  n: number;
  key: string;
  result: SpaCallResult;
}

interface CallLog {
  reads: SpaCallResult[];
  creates: SentCreate[];
}

/** One create as the SPA sends it: a key of its own, kept for its retries. */
async function sendCreate(tag: string, session: () => Promise<ClientHttp2Session>): Promise<SentCreate> {
  const n = createsSent++;
  const key = `${tag.replace(/\W/g, '-')}-${n}-${Date.now()}`;
  return { n, key, result: await spaRetryingCall(session, createRequest(tag, n, key)) };
}

/**
 * `workers` simulated browsers calling until `stop()` resolves: each alternates a read of the
 * orders list and a create with an Idempotency-Key (one key per create, kept for its retries),
 * with a short pause between calls.
 */
async function callUntil(
  tag: string,
  firstOctet: number,
  workers: number,
  stop: () => Promise<void>,
): Promise<CallLog> {
  const log: CallLog = { reads: [], creates: [] };
  const pool = browserPool(firstOctet);
  let done = false;
  const worker = async () => {
    const session = pool();
    for (let turn = 0; !done; turn++) {
      if (turn % 2 === 0) {
        log.reads.push(
          await spaRetryingCall(session, { path: `${ORDERS}?limit=1`, headers: { cookie: stack.sessions.user } }),
        );
      } else {
        log.creates.push(await sendCreate(tag, session));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const running = Array.from({ length: workers }, worker);
  try {
    await stop();
  } finally {
    done = true;
    await Promise.all(running);
  }
  return log;
}

const createRequest = (tag: string, n: number, key: string) => ({
  method: 'POST',
  path: endpoints.createOrder.path,
  headers: { cookie: stack.sessions.user, 'content-type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: key },
  body: createBody(tag, n),
});

/** Waits until the balancer reports `name` in a state starting with `state` (`DOWN`, `UP`). */
async function waitForState(name: string, state: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await stack.balancer.serverStates())[name]?.startsWith(state)) {
    if (Date.now() > deadline) throw new Error(`${name} not ${state} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Orders of `tag` in PostgreSQL: the ids stored under each customer name (one query). */
function ordersByCustomer(tag: string): Map<string, string[]> {
  const rows = queryPostgres(
    `SELECT customer, string_agg(id::text, ',') FROM orders WHERE customer LIKE '${tag} %' GROUP BY customer`,
  );
  return new Map(rows.map(([customer = '', ids = '']) => [customer, ids.split(',')]));
}

/**
 * One call as a browser makes it: a stream reset with REFUSED_STREAM was not processed and
 * is sent again (RFC 9113 §8.7; Chromium does so without telling the page). A replica that
 * closed while HAProxy still had it UP would send GOAWAY, and a request HAProxy had already
 * sent it on that connection would come back refused (HAProxy 2.6 passes the refusal on);
 * the replicas drain first (SHUTDOWN_DRAIN_MS), so this is the browser's safety net, not the fix.
 */
async function asBrowser(send: () => Promise<number[]>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [status = 0] = await send();
      return status;
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes('NGHTTP2_REFUSED_STREAM')) throw error;
    }
  }
}

describe('through HAProxy, three replicas', () => {
  it('answers a GET and a POST over HTTP/2, and a replica reads what another wrote', async () => {
    const session = await openH2Session(stack.origin);
    try {
      const list = await h2Request(session, { path: `${ORDERS}?limit=5`, headers: { cookie: stack.sessions.user } });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.body.toString()).data.items).toHaveLength(5);

      const created = await h2Request(session, {
        method: 'POST',
        path: endpoints.createOrder.path,
        headers: { cookie: stack.sessions.user, 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'Edge Test', items: [{ sku: 'EDGE-1', qty: 2, price: 4.5 }] }),
      });
      expect(created.status).toBe(201);
      const id: string = JSON.parse(created.body.toString()).data.id;
      // Read back from every replica directly: they share one PostgreSQL.
      for (const api of stack.replicas) {
        const replicaSession = await openH2Session(api.origin);
        const read = await h2Request(replicaSession, {
          path: endpoints.getOrder.path.replace(':id', id),
          headers: { cookie: stack.sessions.user },
        }).finally(() => replicaSession.close());
        expect(read.status).toBe(200);
        expect(JSON.parse(read.body.toString()).data.customer).toBe('Edge Test');
      }
    } finally {
      session.close();
    }
  });

  it('passes an event stream on unbuffered: an order created on its replica arrives as an event', async () => {
    const session = await openH2Session(stack.origin);
    try {
      const stream = session.request({ ':path': endpoints.orderEvents.path, cookie: stack.sessions.user });
      let received = '';
      const opened = new Promise<void>((resolve) => stream.once('data', () => resolve()));
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        received += chunk;
      });
      await opened;
      // The stream sits on one replica the balancer chose; create one order on each, directly:
      // events travel through Redis, so every replica's order reaches it.
      const ids: string[] = [];
      for (const api of stack.replicas) {
        const replicaSession = await openH2Session(api.origin);
        const created = await h2Request(replicaSession, {
          method: 'POST',
          path: endpoints.createOrder.path,
          headers: { cookie: stack.sessions.user, 'content-type': 'application/json' },
          body: JSON.stringify({ customer: 'Edge Events', items: [{ sku: 'EDGE-2', qty: 1, price: 1 }] }),
        }).finally(() => replicaSession.close());
        expect(created.status).toBe(201);
        ids.push(JSON.parse(created.body.toString()).data.id);
      }
      await expect.poll(() => ids.filter((id) => received.includes(id)), { timeout: 10_000 }).toEqual(ids);
      expect(received).toContain('event: order.created');
      stream.close();
    } finally {
      session.close();
    }
  });

  it('carries the WebSocket: the upgrade over HTTP/1.1 gets 101 and the first presence message', async () => {
    const { port } = new URL(stack.origin);
    const socket = tlsConnect({
      host: 'localhost',
      port: Number(port),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    try {
      let received = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      socket.write(
        [
          `GET ${endpoints.liveSocket.path} HTTP/1.1`,
          `Host: localhost:${port}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          `Cookie: ${stack.sessions.user}`,
          '',
          '',
        ].join('\r\n'),
      );
      await expect.poll(() => received.includes('"type":"presence"'), { timeout: 10_000 }).toBe(true);
      expect(received.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
      expect(received).toMatch(/sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/i);
    } finally {
      socket.destroy();
    }
  });

  it('admits the configured budget once across the replicas, not once per replica', async () => {
    const before = await ordersListedPerReplica();
    const session = await clientSession('127.0.0.2');
    try {
      const statuses = await listOrders(session, 2 * BUDGET);
      const admitted = count(statuses, 200);
      expect(count(statuses, 200) + count(statuses, 429)).toBe(2 * BUDGET);
      expect(Math.abs(admitted - BUDGET)).toBeLessThanOrEqual(0.05 * BUDGET);
    } finally {
      session.close();
    }
    // The balancer did spread the calls: every replica answered some of them.
    const after = await ordersListedPerReplica();
    for (const [index, total] of after.entries()) expect(total).toBeGreaterThan(before[index] ?? 0);
  });

  it('gives a client that sends its own X-Forwarded-For no fresh budget', async () => {
    const session = await clientSession('127.0.0.3');
    try {
      // A new forged address on every call: were it believed, every call would be admitted.
      const statuses = await listOrders(session, 2 * BUDGET, (n) => ({
        'x-forwarded-for': `198.51.100.${n % 250}, 203.0.113.${n % 250}`,
      }));
      expect(Math.abs(count(statuses, 200) - BUDGET)).toBeLessThanOrEqual(0.05 * BUDGET);
      expect(count(statuses, 429)).toBeGreaterThan(0);
    } finally {
      session.close();
    }
  });

  it('restarts every replica in turn under calls: no call fails as the SPA sees it, no event is missed or repeated', {
    timeout: 240_000,
  }, async () => {
    const tag = 'Edge Rolling';
    const pidsBefore = stack.replicas.map((api) => api.process.pid);
    // Event streams through the balancer, followed as the SPA follows them: each reconnects
    // with Last-Event-ID when its replica shuts down, to whichever replica the balancer picks.
    const followers = await Promise.all(
      Array.from({ length: 3 }, () =>
        EventStreamFollower.start({ origin: stack.origin, cookie: stack.sessions.user, defaultRetryMs: 500 }),
      ),
    );
    const log = await callUntil(tag, 10, 3, async () => {
      // As an orchestrator does it: one replica at a time, the next once the balancer has it UP again.
      for (const index of stack.replicas.keys()) {
        await stack.stopReplica(index, 'SIGTERM');
        await stack.startReplica(index);
        await stack.balancer.waitUntilAllUp(60_000);
      }
    });
    for (const api of stack.replicas) expect(pidsBefore).not.toContain(api.process.pid);
    expect(log.reads.length).toBeGreaterThan(0);
    expect(log.creates.length).toBeGreaterThan(0);
    const failed = [...log.reads, ...log.creates.map(({ result }) => result)].filter(
      ({ status }) => status !== 200 && status !== 201,
    );
    expect(failed.map(({ status, error }) => error?.message ?? status)).toEqual([]);
    // Every create stored once.
    const stored = ordersByCustomer(tag);
    expect(stored.size).toBe(log.creates.length);
    expect([...stored.values()].every((ids) => ids.length === 1)).toBe(true);

    // Every follower got every created order's event once, in id order, with no reset, having
    // moved replica at least once (the one it sat on was restarted).
    const createdIds = log.creates.map(({ result }) => JSON.parse(result.body.toString()).data.id as string);
    try {
      for (const follower of followers) {
        await expect
          .poll(() => createdIds.filter((id) => !follower.createdOrderIds().includes(id)), { timeout: 15_000 })
          .toEqual([]);
      }
    } finally {
      await Promise.all(followers.map((follower) => follower.stop()));
    }
    for (const follower of followers) {
      expect(follower.reconnects).toBeGreaterThan(0);
      expect(follower.events.filter(({ type }) => type === 'stream.reset')).toEqual([]);
      const ids = follower.events.map(({ id }) => id ?? Number.NaN);
      expect(ids.filter((id, index) => index > 0 && !(id > (ids[index - 1] ?? Number.NaN)))).toEqual([]);
      const ordersOfThisTest = follower.createdOrderIds().filter((id) => createdIds.includes(id));
      expect(ordersOfThisTest.toSorted()).toEqual(createdIds.toSorted());
    }
  });

  it('loses and repeats no order when a replica is killed (kill -9) under reads and creates', {
    timeout: 120_000,
  }, async () => {
    const tag = 'Edge Crash';
    const killed = 1;
    const name = `api${killed + 1}`;
    const burst: SentCreate[] = [];
    const log = await callUntil(tag, 11, 3, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Calls in the replica's hands when it dies, for sure: it is frozen (SIGSTOP) while a
      // burst of creates goes out, and the balancer sends it its share; then it is killed.
      // Its clients get no answer (HAProxy's 502) and do not know whether the order was stored.
      const pid = stack.replicas[killed]?.process.pid;
      if (pid === undefined) throw new Error('no replica to kill');
      process.kill(-pid, 'SIGSTOP');
      const session = browserPool(14)();
      const sending = Array.from({ length: 12 }, async () => burst.push(await sendCreate(tag, session)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await stack.stopReplica(killed, 'SIGKILL');
      await Promise.all(sending);
      await waitForState(name, 'DOWN');
    });
    // Once the health check has taken it out, every call succeeds again.
    const after = await callUntil(tag, 12, 3, () => new Promise((resolve) => setTimeout(resolve, 2_000)));
    const afterStatuses = [...after.reads, ...after.creates.map(({ result }) => result)].map(({ status }) => status);
    expect(afterStatuses.length).toBeGreaterThan(0);
    expect(afterStatuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);

    // A create that got no answer through its retries may or may not be stored: the person
    // sends it again, with the same Idempotency-Key, and gets the order once.
    const session = browserPool(13)();
    const creates = [...log.creates, ...burst, ...after.creates];
    for (const create of creates.filter(({ result }) => result.status !== 201)) {
      create.result = await spaRetryingCall(session, createRequest(tag, create.n, create.key));
    }
    expect(creates.map(({ result }) => result.status).filter((status) => status !== 201)).toEqual([]);

    // In PostgreSQL: every acknowledged order is there, and none twice.
    const stored = ordersByCustomer(tag);
    for (const { n, result } of creates) {
      expect(stored.get(`${tag} ${n}`), `order ${n}`).toEqual([JSON.parse(result.body.toString()).data.id]);
    }
    expect(stored.size).toBe(creates.length);
  });

  it('takes a stopped replica out through its health check while calls keep succeeding', async () => {
    const stopped = stack.replicas.at(-1);
    if (!stopped) throw new Error('no replica');
    const name = `api${stack.replicas.length}`;
    const session = await clientSession('127.0.0.4');
    try {
      const statuses: number[] = [];
      const call = async () => {
        statuses.push(await asBrowser(() => listOrders(session, 1, undefined, 1)));
      };
      await call();
      const stopping = stopped.stop();
      // Calls go on while the replica stops and until the balancer has marked it DOWN.
      const deadline = Date.now() + 30_000;
      while (!(await stack.balancer.serverStates())[name]?.startsWith('DOWN') && Date.now() < deadline) {
        await call();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await stopping;
      expect((await stack.balancer.serverStates())[name]).toMatch(/^DOWN/);
      for (let n = 0; n < 10; n++) await call();
      expect(statuses.every((status) => status === 200)).toBe(true);
    } finally {
      session.close();
    }
  });
});
