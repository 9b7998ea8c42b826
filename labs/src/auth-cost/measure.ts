import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { endpoints } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import { DEMO_USER_EMAIL, h2RequestOnce, percentile, signIn } from '@tandem/local-stack';
import { defineLab } from '../lib/measurement/define-lab.js';
import { valuesOf } from '../lib/measurement/interleave.js';
import { medianOf } from '../lib/measurement/median-of.js';
import { modeTable } from '../lib/measurement/mode-table.js';
import { readApiFigures } from './api-figures.js';
import { OrdersReaders } from './orders-readers.js';
import { type Account, SignInWave } from './sign-in-wave.js';

/** Signed-in users browsing the orders list while the wave signs in, each on its own session. */
export const READERS = 6;
/** A reader's pause between an answer and its next call. */
export const THINK_MS = 20;
/** Accounts signing in at once, over and over: as many as libuv's default thread pool has threads. */
export const WAVE_ACCOUNTS = 4;
/** The session lookups cache's TTL the API runs with (its default, set here so the bound below is the run's). */
export const SESSION_CACHE_TTL_MS = 5000;
/** The window of a smoke run (`--smoke`, the test suite's). */
export const SMOKE_WINDOW_SECONDS = 4;
/** Readers run this long before a window opens: connections up, sessions looked up once. */
const WARM_UP_MS = 1000;
const ORDERS_PATH = `${endpoints.listOrders.path}?limit=20`;

/**
 * Tuned looks a reader's session up in the database at most once per TTL (the flip to
 * tuned empties the cache; the window's edges can cut one more): the most database lookups
 * a tuned window can make, whatever the machine's speed.
 */
export function tunedLookupsBound(windowSeconds: number): number {
  return READERS * (Math.ceil((windowSeconds * 1000 + WARM_UP_MS) / SESSION_CACHE_TTL_MS) + 1);
}

export interface AuthCostRound {
  mode: LabMode;
  round: number;
  seconds: number;
  /** Orders-list calls that started in the window and were answered 200, and any other answers. */
  ordersCalls: number;
  ordersFailed: number;
  ordersPerSecond: number;
  ordersP50Ms: number;
  ordersP99Ms: number;
  /** The API's event-loop delay over the window (monitorEventLoopDelay via /metrics). */
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Sign-ins of the wave answered 200 (the window's, and those in flight when it closed), and their rate over the wave's span. */
  signIns: number;
  signInsPerSecond: number;
  signInP50Ms: number;
  /** tandem_session_lookups_total over the window. */
  cacheLookups: number;
  databaseLookups: number;
  /** Database lookups per session lookup, i.e. per request to a session endpoint: 1 naive, ≪ 1 tuned. */
  lookupsPerRequest: number;
}

type Figure = Exclude<keyof AuthCostRound, 'mode' | 'round'>;

export interface AuthCostRun {
  readers: number;
  waveAccounts: number;
  rounds: AuthCostRound[];
  median: Record<LabMode, Record<Figure, number>>;
}

/** Tuned: a request costs at most this many session queries (≪ 1); naive: every one costs one. */
export const TUNED_MAX_LOOKUPS_PER_REQUEST = 0.1;

/**
 * auth-cost: the real API (embedded database, the rate limits lifted: every client comes
 * from loopback) with the product's scrypt parameters. Per round and setting: READERS
 * signed-in clients browse the orders list; after a warm-up a window opens in which
 * WAVE_ACCOUNTS accounts sign in over and over; the readers' latencies, the API's
 * event-loop delay and its session lookups (by outcome) are read for the window.
 */
export const authCostLab = defineLab({
  id: 'auth-cost',
  settings: (smoke) => ({ rounds: smoke ? 1 : 3, windowSeconds: smoke ? SMOKE_WINDOW_SECONDS : 8 }),
  servers: {
    api: {
      note: `scrypt at the product's parameters, session cache TTL ${SESSION_CACHE_TTL_MS} ms, sign-in limits lifted, no load shedding`,
      rateLimit: 'lifted',
      env: {
        SESSION_CACHE_TTL_MS: String(SESSION_CACHE_TTL_MS),
        // No load shedding: a held event loop shows as the latency it causes, not as 503s.
        LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
        LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
        LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
        RATE_LIMIT_SIGN_IN_UNITS_PER_SECOND: '100000',
        RATE_LIMIT_SIGN_IN_BURST: '100000',
        RATE_LIMIT_SIGN_IN_ACCOUNT_UNITS_PER_SECOND: '100000',
        RATE_LIMIT_SIGN_IN_ACCOUNT_BURST: '100000',
      },
    },
  },
  prepare: async ({ stack, progress }) => {
    const origin = stack.api.origin;
    progress(`signing up ${WAVE_ACCOUNTS} accounts for the wave, signing in ${READERS} readers`);
    const run = randomBytes(4).toString('hex');
    const accounts: Account[] = Array.from({ length: WAVE_ACCOUNTS }, (_, n) => ({
      email: `wave-${run}-${n}@tandem.lab`,
      password: randomBytes(12).toString('base64url'),
    }));
    for (const account of accounts) {
      const res = await h2RequestOnce(origin, {
        method: 'POST',
        path: endpoints.signUp.path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      if (res.status !== 200 && res.status !== 201)
        throw new Error(
          `sign-up of ${account.email} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`,
        );
    }
    const readerCookies: string[] = [];
    for (let n = 0; n < READERS; n++) readerCookies.push(await signIn(origin, DEMO_USER_EMAIL, stack.api.demoPassword));
    return { accounts, readerCookies };
  },
  measure: async ({ stack, settings, ctx, mode, round, progress }) => {
    progress(`${READERS} readers, ${WAVE_ACCOUNTS} accounts signing in, ${settings.windowSeconds} s window`);
    const result = await measureWindow(stack.api.origin, ctx, mode, round, settings.windowSeconds);
    progress(
      `orders list p50 ${result.ordersP50Ms.toFixed(0)} ms, p99 ${result.ordersP99Ms.toFixed(0)} ms; event-loop delay p99 ${result.eventLoopP99Ms.toFixed(0)} ms; ${result.signInsPerSecond.toFixed(1)} sign-ins/s; ${result.lookupsPerRequest.toFixed(3)} session queries per request`,
    );
    return result;
  },
  summarise: (rows): AuthCostRun => {
    const figures = [
      'seconds',
      'ordersCalls',
      'ordersFailed',
      'ordersPerSecond',
      'ordersP50Ms',
      'ordersP99Ms',
      'eventLoopP50Ms',
      'eventLoopP99Ms',
      'eventLoopMaxMs',
      'signIns',
      'signInsPerSecond',
      'signInP50Ms',
      'cacheLookups',
      'databaseLookups',
      'lookupsPerRequest',
    ] as const satisfies readonly Figure[];
    return {
      readers: READERS,
      waveAccounts: WAVE_ACCOUNTS,
      rounds: rows.map((row) => row.value),
      median: {
        naive: medianOf(valuesOf(rows, 'naive'), figures),
        tuned: medianOf(valuesOf(rows, 'tuned'), figures),
      },
    };
  },
  method: (run, { windowSeconds }) =>
    `real API on loopback (embedded database, scrypt N=2^15 r=8 p=3, session cache TTL ${SESSION_CACHE_TTL_MS} ms, rate limits lifted, no load shedding); ${run.readers} signed-in HTTP/2 clients read the orders list (${THINK_MS} ms between calls) while ${run.waveAccounts} accounts sign in back to back (sign-ins/s over the wave's span, the ones in flight at the window's end included); ${run.rounds.length / 2} interleaved ${windowSeconds} s windows per setting after a ${WARM_UP_MS / 1000} s warm-up; event-loop delay and session lookups from the API's /metrics (monitorEventLoopDelay, tandem_session_lookups_total); medians of the windows`,
  table: ({ median: m }) =>
    modeTable(
      [
        'orders list p50',
        'orders list p99',
        'event-loop delay p99',
        'event-loop delay max',
        'orders calls/s',
        'sign-ins/s',
        'session queries per request',
      ],
      (mode) => [
        `${m[mode].ordersP50Ms.toFixed(0)} ms`,
        `${m[mode].ordersP99Ms.toFixed(0)} ms`,
        `${m[mode].eventLoopP99Ms.toFixed(0)} ms`,
        `${m[mode].eventLoopMaxMs.toFixed(0)} ms`,
        m[mode].ordersPerSecond.toFixed(0),
        m[mode].signInsPerSecond.toFixed(1),
        m[mode].lookupsPerRequest.toFixed(3),
      ],
    ),
  verdicts: ({ median: m }) => [
    {
      target: 'tuned: everyone else’s orders-list p99 is lower while users sign in',
      met: m.tuned.ordersP99Ms < m.naive.ordersP99Ms,
      detail: `p99 ${m.tuned.ordersP99Ms.toFixed(0)} ms tuned vs ${m.naive.ordersP99Ms.toFixed(0)} ms naive (p50 ${m.tuned.ordersP50Ms.toFixed(0)} vs ${m.naive.ordersP50Ms.toFixed(0)} ms)`,
    },
    {
      target: 'tuned: the event loop is not held by password hashing',
      met: m.tuned.eventLoopP99Ms < m.naive.eventLoopP99Ms,
      detail: `event-loop delay p99 ${m.tuned.eventLoopP99Ms.toFixed(0)} ms tuned vs ${m.naive.eventLoopP99Ms.toFixed(0)} ms naive (max ${m.tuned.eventLoopMaxMs.toFixed(0)} vs ${m.naive.eventLoopMaxMs.toFixed(0)} ms)`,
    },
    {
      target: `session queries per request: 1 naive, ≪ 1 tuned (≤ ${TUNED_MAX_LOOKUPS_PER_REQUEST})`,
      met: m.naive.lookupsPerRequest === 1 && m.tuned.lookupsPerRequest <= TUNED_MAX_LOOKUPS_PER_REQUEST,
      detail: `${m.naive.lookupsPerRequest.toFixed(3)} naive, ${m.tuned.lookupsPerRequest.toFixed(3)} tuned (${m.tuned.databaseLookups.toFixed(0)} queries for ${(m.tuned.databaseLookups + m.tuned.cacheLookups).toFixed(0)} lookups)`,
    },
  ],
  chart: (run) => ({
    title: `Orders-list p99 of ${run.readers} readers while ${run.waveAccounts} accounts sign in`,
    xLabel: 'round (naive and tuned interleaved)',
    yLabel: 'p99 (ms)',
    points: (mode) => run.rounds.filter((r) => r.mode === mode).map((r) => ({ x: r.round, y: r.ordersP99Ms })),
  }),
});

async function measureWindow(
  origin: string,
  ctx: { accounts: readonly Account[]; readerCookies: readonly string[] },
  mode: LabMode,
  round: number,
  windowSeconds: number,
): Promise<AuthCostRound> {
  const readers = new OrdersReaders({ origin, cookies: ctx.readerCookies, path: ORDERS_PATH, thinkMs: THINK_MS });
  let wave: SignInWave | undefined;
  let opened: number;
  let closed: number;
  let before: Awaited<ReturnType<typeof readApiFigures>>;
  let after: Awaited<ReturnType<typeof readApiFigures>>;
  try {
    await delay(WARM_UP_MS);
    before = await readApiFigures(origin);
    opened = performance.now();
    wave = new SignInWave(origin, ctx.accounts);
    await delay(windowSeconds * 1000);
    closed = performance.now();
    after = await readApiFigures(origin);
  } finally {
    await Promise.all([readers.stop(), wave?.stop()]);
  }
  const seconds = (closed - opened) / 1000;
  const calls = readers.calls.filter((call) => call.startedAt >= opened && call.startedAt < closed);
  const answered = calls.filter((call) => call.status === 200);
  if (answered.length === 0) throw new Error(`${mode}: no orders-list call answered in the window: nothing measured`);
  // Every sign-in of the wave, those that ended after the window too (stop waits for them):
  // a hash can outlast a short window on a busy machine. Their rate is over the wave's own span.
  const signIns = (wave?.attempts ?? []).filter((attempt) => attempt.status === 200);
  const waveSeconds = Math.max(seconds, (Math.max(opened, ...signIns.map((a) => a.endedAt)) - opened) / 1000);
  const latencies = answered.map((call) => call.endedAt - call.startedAt);
  const cacheLookups = after.lookups.cache - before.lookups.cache;
  const databaseLookups = after.lookups.database - before.lookups.database;
  return {
    mode,
    round,
    seconds,
    ordersCalls: answered.length,
    ordersFailed: calls.length - answered.length,
    ordersPerSecond: answered.length / seconds,
    ordersP50Ms: percentile(latencies, 50),
    ordersP99Ms: percentile(latencies, 99),
    eventLoopP50Ms: after.eventLoopDelay.p50Ms,
    eventLoopP99Ms: after.eventLoopDelay.p99Ms,
    eventLoopMaxMs: after.eventLoopDelay.maxMs,
    signIns: signIns.length,
    signInsPerSecond: signIns.length / waveSeconds,
    signInP50Ms:
      signIns.length > 0
        ? percentile(
            signIns.map((a) => a.endedAt - a.startedAt),
            50,
          )
        : 0,
    cacheLookups,
    databaseLookups,
    lookupsPerRequest: databaseLookups / Math.max(1, cacheLookups + databaseLookups),
  };
}
