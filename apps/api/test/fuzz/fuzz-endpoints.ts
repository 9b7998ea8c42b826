// Every endpoint of the contract, fuzzed from its own schemas with schemathesis's
// properties: never a 5xx; the status is one the endpoint documents and the body is that
// status's schema; JSON says so in its content type; an invalid input (a valid one with one
// mutation) is a 400 envelope naming the field; a valid input is a 2xx, or a 404/409/422/429
// the endpoint documents. New endpoints in the contract are fuzzed without a line here:
// fuzz-shards.ts gives each endpoint to one of the *.fuzz.test.ts files, which run side by
// side (each on an app of its own), everything not named there to the last.
//
// Cases go through `app.inject` (light-my-request), not the socket: the same app, routes,
// hooks, parsers and serializers, without TLS and HTTP/2 framing, which the api suite's
// other files cover. `pnpm fuzz --transport socket` runs the same cases over HTTP/2 + TLS;
// the two, measured back to back, are in docs/decisions/0012-fuzz-in-process.md.
import { fc, it } from '@fast-check/vitest';
import {
  BatchOrderIds,
  coreEndpoints,
  Email,
  type Endpoint,
  type ErrorEnvelope,
  endpoints,
  endpointsV2,
  MAX_BATCH_IDS,
  OrderCursor,
  OrderId,
  SESSION_COOKIE,
} from '@tandem/contract';
import { afterAll, describe, expect } from 'vitest';
import type { z } from 'zod';
import { startSession } from '../accounts.js';
import { startApi } from '../api-server.js';
import { H2Client } from '../clients.js';
import { type FuzzCase, invalidRequests, takesInput, validRequests } from './endpoint-requests.js';
import { readFuzzSettings } from './fuzz-settings.js';
import { type FuzzShard, shardOf } from './fuzz-shards.js';
import { callerOf, type FuzzResponse, injectTransport, senderAs, socketTransport } from './send-as.js';
import type { Overrides } from './zod-arbitrary.js';

/**
 * Defines the fuzz properties of every endpoint `shard` holds (fuzz-shards.ts), on an app
 * of its own; a *.fuzz.test.ts file calls it once, at its top level.
 */
export async function fuzzEndpoints(shard: FuzzShard): Promise<void> {
  const settings = readFuzzSettings();
  const ADMIN_TOKEN = 'fuzz-admin-token';
  const started = Date.now();
  console.log(
    `fuzz (${shard}): ${settings.runs} cases per property, seed ${settings.seed}, over ${settings.transport} ` +
      `(rerun: pnpm fuzz --seed ${settings.seed} --runs ${settings.runs})`,
  );

  // The sign-in buckets lifted like the API's (test/api-server.ts): a valid sign-up or sign-in
  // must reach the handler, not the limiter. rate-limit tests and auth.test.ts cover the 429.
  // The signed-in caller is an admin: every session endpoint is open to that role (the
  // reports too), so valid input reaches every handler; what a user may not do is
  // auth.test.ts's and the routes' own tests'.
  const api = await startApi({
    role: 'admin',
    env: {
      ADMIN_TOKEN,
      RATE_LIMIT_SIGN_IN_UNITS_PER_SECOND: '1000000',
      RATE_LIMIT_SIGN_IN_BURST: '10000000',
      RATE_LIMIT_SIGN_IN_ACCOUNT_UNITS_PER_SECOND: '1000000',
      RATE_LIMIT_SIGN_IN_ACCOUNT_BURST: '10000000',
    },
  });
  const client = settings.transport === 'socket' ? new H2Client(api.origin) : undefined;
  /** The fuzz user's session; a case that signs it out gets it replaced (RESETS). */
  let sessionCookie = api.signedIn.cookie;
  const sendAs = senderAs(client ? socketTransport(client) : injectTransport(api.app), {
    adminToken: ADMIN_TOKEN,
    sessionCookie: () => sessionCookie,
  });
  async function renewSession(): Promise<void> {
    sessionCookie = (await startSession(api.app, api.account.user)).cookie;
  }

  /** Cases sent and the time spent sending them and checking the answers, per property. */
  const spent = new Map<string, { cases: number; ms: number }>();
  async function timed<T>(property: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      const entry = spent.get(property) ?? { cases: 0, ms: 0 };
      spent.set(property, { cases: entry.cases + 1, ms: entry.ms + performance.now() - t0 });
    }
  }

  afterAll(async () => {
    await client?.close();
    await api.close();
    const rows = [...spent].map(
      ([property, { cases, ms }]) => `  ${property}: ${cases} cases, ${(ms / 1000).toFixed(1)} s`,
    );
    console.log(
      `fuzz (${shard}): ${settings.runs} cases per property over ${settings.transport}, seed ${settings.seed}, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s in all (the app's start included)\n${rows.join('\n')}`,
    );
  });

  /** A few orders that exist, so id-taking endpoints answer found orders as well as 404s. */
  const knownIds: string[] = [];
  for (const customer of ['Ada', 'Grace', 'Edsger']) {
    const created = await sendAs('user', {
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ customer, items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 12.5 }] }),
    });
    knownIds.push((JSON.parse(created.text) as { data: { id: string } }).data.id);
  }

  /** What this builder cannot derive from a schema's definition: opaque or transformed wire forms. */
  const emails = fc.emailAddress().filter((email) => Email.safeParse(email).success);
  const orderIds = fc.oneof(fc.uuid(), fc.constantFrom(...knownIds));
  const overrides: Overrides = new Map<z.ZodType, fc.Arbitrary<unknown>>([
    [Email, emails],
    [OrderId, orderIds],
    [
      OrderCursor,
      fc
        .record({
          createdAt: fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
          id: fc.uuid(),
        })
        .map(OrderCursor.encode),
    ],
    [
      BatchOrderIds,
      fc.oneof(
        fc.array(orderIds, { minLength: 1, maxLength: MAX_BATCH_IDS }).map((ids) => ids.join(',')),
        fc.array(orderIds, { minLength: 1, maxLength: 10 }),
      ),
    ],
  ]);

  /**
   * What a case may leave behind that the next cases must not see: a v2 fault rate makes v2's
   * answers 500 on purpose, and a generator left at a random rate (up to 100,000 events/s of
   * 64 KB) starves the event loop until requests pass their deadline. Each runs after every
   * case of its endpoint (the generator's timer has not ticked yet).
   */
  const RESETS: Partial<Record<string, () => Promise<unknown>>> = {
    setRollout: () => put('/api/v1/admin/rollout', { v2Enabled: true, v2Share: 0, v2FaultRate: 0 }),
    setEventGenerator: () => put('/api/v1/admin/event-generator', { eventsPerSecond: 0 }),
    signOut: renewSession,
    signOutEverywhere: renewSession,
  };

  function put(url: string, body: unknown) {
    return sendAs('admin', {
      method: 'PUT',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  }

  /** Endpoints the suite cannot drive, and why. */
  function notDriven(endpoint: Endpoint): string | undefined {
    if (endpoint.produces === 'text/event-stream') {
      return 'a Server-Sent Events stream never ends, so a case has no answer to check; events.test.ts covers its input (Last-Event-ID)';
    }
    if (endpoint.produces === 'websocket') {
      return 'a WebSocket upgrade is not a request/answer pair (and light-my-request cannot upgrade); live-socket.test.ts covers its frames';
    }
    if (!api.app.hasRoute({ method: endpoint.method, url: endpoint.path })) {
      return 'this app does not serve it (a layer of the API that is off here)';
    }
    return undefined;
  }

  /** The product's own endpoints (v1 and v2): each one this app serves, or the suite fails. */
  const PRODUCT_ENDPOINTS = new Set<Endpoint>([...Object.values(coreEndpoints), ...Object.values(endpointsV2)]);

  /** Valid cases of endpoints whose success has a cost no fuzz run should pay per case. */
  const VALID_CASES_NOT_DRIVEN: Partial<Record<string, string>> = {
    takeHeapSnapshot:
      'each valid call writes a heap snapshot of the whole process (hundreds of MB, seconds); it takes no input, and heap-snapshots.test.ts covers it',
  };

  /** Whether a JSON text holds a `__proto__` key or a `constructor` with a `prototype`, at any depth. */
  function hasPrototypeKey(payload: string | undefined): boolean {
    if (payload === undefined) return false;
    const visit = (value: unknown): boolean => {
      if (typeof value !== 'object' || value === null) return false;
      if (Object.hasOwn(value, '__proto__')) return true;
      const ctor = (value as Record<string, unknown>).constructor;
      if (Object.hasOwn(value, 'constructor') && typeof ctor === 'object' && ctor !== null) {
        if (Object.hasOwn(ctor, 'prototype')) return true;
      }
      return Object.values(value).some(visit);
    };
    try {
      return visit(JSON.parse(payload));
    } catch {
      return false;
    }
  }

  /** The status documented for `endpoint`, and its body parsed by that status's schema. */
  function expectDocumented(endpoint: Endpoint, response: FuzzResponse, what: string) {
    expect(response.status, `${what} → ${response.status} ${response.text}`).toBeLessThan(500);
    const schema = endpoint.responses[response.status];
    expect(schema, `${what} → undocumented status ${response.status}: ${response.text}`).toBeDefined();
    if (endpoint.produces === 'prometheus' && response.status === 200) {
      expect(response.contentType).toMatch(/^text\/plain/);
      return response.text;
    }
    expect(response.contentType, what).toMatch(/^application\/json/);
    const parsed = schema?.safeParse(JSON.parse(response.text));
    expect(
      parsed?.success,
      `${what} → ${response.status} body off its schema: ${parsed?.error?.message}\n${response.text}`,
    ).toBe(true);
    return parsed?.data;
  }

  const describeRequest = (fuzzCase: FuzzCase) =>
    `${fuzzCase.request.method} ${fuzzCase.request.url}${fuzzCase.request.payload ? ` ${fuzzCase.request.payload.slice(0, 500)}` : ''}`;

  /** The answers a valid input may get besides its 2xx: nothing found, a conflict, a reused key, the limiter. */
  const VALID_INPUT_REFUSALS = [404, 409, 422, 429];
  /** Refusals of valid input that only some endpoints give, and why they are right there. */
  const VALID_INPUT_REFUSALS_OF: Partial<Record<string, number[]>> = {
    // Well-formed credentials of no account: the uniform INVALID_CREDENTIALS.
    signIn: [401],
  };

  const parameters = { numRuns: settings.runs, seed: settings.seed, endOnFailure: true };
  /**
   * An endpoint whose valid requests are all alike (it reads no input: the probes, /metrics,
   * the reports) varies only by a query string it never reads, or not at all: a tenth of the
   * cases says as much, and /metrics and the reports are the suite's slowest answers.
   */
  const alikeParameters = { ...parameters, numRuns: Math.ceil(settings.runs / 10) };
  function allAlike(requests: fc.Arbitrary<FuzzCase>): boolean {
    const seen = fc
      .sample(requests, { numRuns: 30, seed: settings.seed })
      .map((fuzzCase) => JSON.stringify(fuzzCase.request));
    return new Set(seen).size === 1;
  }
  /** A property's time grows with its cases: no timing is asserted, the timeout only stops a hang. */
  const PROPERTY_TIMEOUT_MS = Math.max(180_000, settings.runs * 180);

  for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    if (shardOf(endpoint) !== shard) continue;
    describe(`${name}: ${endpoint.method} ${endpoint.path}`, () => {
      const reason = notDriven(endpoint);
      if (reason) {
        it(`is left out, and only for what it is: ${reason}`, () => {
          // A stream or a socket cannot be driven case by case; any other endpoint is left out
          // only when a layer on top of the product is off here: a product endpoint this app
          // does not serve is a bug, not a skip.
          const cannotDrive = endpoint.produces === 'text/event-stream' || endpoint.produces === 'websocket';
          expect(cannotDrive || !PRODUCT_ENDPOINTS.has(endpoint)).toBe(true);
        });
        return;
      }
      const caller = callerOf(endpoint);
      const validRefusals = [...VALID_INPUT_REFUSALS, ...(VALID_INPUT_REFUSALS_OF[name] ?? [])];
      const reset = RESETS[name] ?? (async () => {});

      // Its invalid input is still fuzzed below; VALID_CASES_NOT_DRIVEN says why its valid input is not.
      if (VALID_CASES_NOT_DRIVEN[name] === undefined) {
        const valid = validRequests(endpoint, overrides);
        it.prop([valid], takesInput(endpoint) && !allAlike(valid) ? parameters : alikeParameters)(
          'valid input: a 2xx (or a documented 404/409/422/429), as documented',
          (fuzzCase) =>
            timed(`${name} valid`, async () => {
              const what = describeRequest(fuzzCase);
              const response = await sendAs(caller, fuzzCase.request);
              await reset();
              expectDocumented(endpoint, response, what);
              if (response.status >= 300)
                expect(validRefusals, `${what} → ${response.text}`).toContain(response.status);
            }),
          PROPERTY_TIMEOUT_MS,
        );
      }

      if (takesInput(endpoint)) {
        it.prop([invalidRequests(endpoint, overrides)], parameters)(
          'invalid input: a 400 envelope naming the field',
          (fuzzCase) =>
            timed(`${name} invalid`, async () => {
              const what = `${fuzzCase.mutation}: ${describeRequest(fuzzCase)}`;
              const response = await sendAs(caller, fuzzCase.request);
              await reset();
              const envelope = expectDocumented(endpoint, response, what) as ErrorEnvelope;
              expect(response.status, `${what} → ${response.text}`).toBe(400);
              // A body with a prototype-poisoning key is refused whole, before any field is read.
              if (hasPrototypeKey(fuzzCase.request.payload)) {
                expect(envelope.message, `${what} → ${response.text}`).toContain('"__proto__"');
                return;
              }
              const paths = (envelope.data.issues ?? []).map((issue) => issue.path);
              const field = fuzzCase.field ?? '';
              expect(
                paths.some((path) => path === field || path.startsWith(`${field}.`)),
                `${what} → ${response.text} does not name ${field}`,
              ).toBe(true);
            }),
          PROPERTY_TIMEOUT_MS,
        );
      }

      if (endpoint.auth === 'session') {
        const cookie = fc.oneof(
          fc.constant(undefined),
          fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/).map((token) => `${SESSION_COOKIE}=${token}`),
          fc.stringMatching(/^[\x21-\x7e]{1,80}$/),
        );
        it.prop([cookie], parameters)(
          'without a live session: a 401 envelope',
          (header) =>
            timed(`${name} unauthenticated`, async () => {
              const response = await sendAs('anonymous', {
                method: endpoint.method,
                url: endpoint.path.replace(/:[A-Za-z0-9_]+/g, 'x'),
                headers: header ? { cookie: header } : {},
              });
              const envelope = expectDocumented(endpoint, response, `cookie ${header}`) as ErrorEnvelope;
              expect(envelope.data.error, `cookie ${header} → ${response.text}`).toBe('UNAUTHENTICATED');
            }),
          PROPERTY_TIMEOUT_MS,
        );
      }

      if (endpoint.auth === 'admin') {
        const authorization = fc.oneof(
          fc.constant(undefined),
          fc.stringMatching(/^[\x21-\x7e]{1,64}$/).map((token) => `Bearer ${token}`),
          fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((text) => text.trim()),
        );
        it.prop([authorization], parameters)(
          'without the admin token: a 401 envelope',
          (header) =>
            timed(`${name} unauthorized`, async () => {
              const response = await sendAs('anonymous', {
                method: endpoint.method,
                url: endpoint.path.replace(/:[A-Za-z0-9_]+/g, 'x'),
                headers: header ? { authorization: header } : {},
              });
              const envelope = expectDocumented(endpoint, response, `authorization ${header}`) as ErrorEnvelope;
              expect(envelope.data.error).toBe('UNAUTHORIZED');
            }),
          PROPERTY_TIMEOUT_MS,
        );
      }
    });
  }
}
