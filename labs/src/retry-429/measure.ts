import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';
import { endpoints, MAX_BATCH_IDS } from '@tandem/contract';
import { type LabMode, labEndpoints } from '@tandem/contract/labs';
import { fetchMetricsText, parseMetricSamples, percentile } from '@tandem/local-stack';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { modeTable } from '../lib/measurement/mode-table.js';
import { loadSpaClient, type SpaClient } from './spa-client.js';

/** The API's budget for the run: 5 units/s (a 429 asks for ~200 ms), the smallest burst the API accepts. */
export const LIMIT = { unitsPerSecond: 5, burst: MAX_BATCH_IDS } as const;
/** User actions (one order detail read each) offered per second: 5× what the API admits. */
export const ACTIONS_PER_SECOND = 25;
/** A retry counts as early when it leaves more than this before the Retry-After it was given (timer rounding). */
const EARLY_TOLERANCE_MS = 1;

export interface PolicyRun {
  mode: LabMode;
  /** The policy the SPA's client reported using (`default` for naive, `aligned` for tuned). */
  policy: string;
  actions: number;
  succeeded: number;
  /** The API's count of GET /api/v1/orders/:id requests during the run (tandem_http_requests_total). */
  serverRequests: number;
  /** Requests the SPA's axios instance sent (its interceptor's count); should equal serverRequests. */
  clientRequests: number;
  /** serverRequests ÷ actions. */
  amplification: number;
  rejected429: number;
  /** Retries sent before the Retry-After of the 429 that preceded them had passed. */
  earlyRetries: number;
  /** Retries that followed a 429 (the ones that could be early). */
  retriesAfter429: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests sent in each 500 ms of the run, from its start. */
  sentPerHalfSecond: number[];
}

export interface Retry429Run {
  limit: typeof LIMIT;
  actionsPerSecond: number;
  seconds: number;
  runs: Record<LabMode, PolicyRun>;
}

interface AttemptRecord {
  sentAt: number;
  answeredAt?: number;
  status?: number;
  retryAfterMs?: number;
}

/**
 * retry-429: the SPA's real client (apps/web/src/api/client.ts: `call()`, its retry loop,
 * the retry policy the lab switch selects, the shared retry budget) run in Node against an
 * API whose limiter admits 5 units/s. User actions (an order detail read, as the detail
 * page makes it) arrive at 25/s; the limiter's bucket is emptied before each setting so
 * both start from the same overload. Server requests come from the API's
 * tandem_http_requests_total; the timing of each attempt from an axios interceptor.
 */
export const retry429Lab = defineLab({
  id: 'retry-429',
  settings: (smoke) => ({ rounds: 1, seconds: smoke ? 8 : 20 }),
  servers: {
    api: { note: `RATE_LIMIT_API ${LIMIT.unitsPerSecond} units/s, burst ${LIMIT.burst}`, rateLimit: LIMIT },
  },
  prepare: async ({ stack, onEnd }) => {
    const agent = new Agent({ rejectUnauthorized: false, keepAlive: true, maxSockets: 6 });
    onEnd(() => agent.destroy());
    const spa = await loadSpaClient();
    spa.apiClient.defaults.httpsAgent = agent;
    spa.apiClient.defaults.baseURL = stack.api.origin;
    // In a tab the session cookie travels by itself (withCredentials); in Node it is a header.
    spa.apiClient.defaults.headers.common.cookie = stack.api.sessions.user;
    const attempts = recordAttempts(spa);
    const page = (await spa.call(endpoints.listOrders, { query: { limit: 50 } })) as { items: { id: string }[] };
    return { spa, attempts, ids: page.items.map((order) => order.id) };
  },
  measure: async ({ stack, settings: { seconds }, ctx: { spa, attempts, ids }, mode, progress }) => {
    const origin = stack.api.origin;
    await followLabState(spa, origin);
    const policy = spa.retryPolicyInUse().name;
    progress(`the SPA retries with its ${policy} policy; emptying the limiter's bucket`);
    await emptyBucket(origin);
    spa.sharedRetryBudget.refill();
    progress(`${ACTIONS_PER_SECOND} order reads/s for ${seconds} s, then waiting for the last retries`);
    const before = await orderReads(origin);
    attempts.clear();
    const run = await offerActions(spa, ids, seconds, attempts);
    const serverRequests = (await orderReads(origin)) - before;
    progress(
      `${run.succeeded}/${run.actions} succeeded, ${serverRequests} requests (${(serverRequests / run.actions).toFixed(2)}×), ${run.earlyRetries} early retries, p99 ${run.p99Ms.toFixed(0)} ms`,
    );
    return { mode, policy, serverRequests, amplification: serverRequests / run.actions, ...run } satisfies PolicyRun;
  },
  summarise: (rows, { settings }): Retry429Run => ({
    limit: LIMIT,
    actionsPerSecond: ACTIONS_PER_SECOND,
    seconds: settings.seconds,
    runs: perMode(rows),
  }),
  method: (run) =>
    `The SPA's client (apps/web/src/api/client.ts call(), its retry policy and budget) in Node against the real API limited to ${run.limit.unitsPerSecond} units/s (burst ${run.limit.burst}, bucket emptied first); ${run.actionsPerSecond} order reads/s for ${run.seconds} s, each one user action; server requests from tandem_http_requests_total`,
  table: (run) =>
    modeTable(
      [
        'user actions',
        'server requests',
        'requests per action',
        'success rate',
        '429s',
        'retries before Retry-After',
        'p50',
        'p99',
      ],
      (mode) => {
        const r = run.runs[mode];
        return [
          String(r.actions),
          String(r.serverRequests),
          `${r.amplification.toFixed(2)}×`,
          pct(r.succeeded, r.actions),
          String(r.rejected429),
          `${r.earlyRetries} of ${r.retriesAfter429}`,
          `${r.p50Ms.toFixed(0)} ms`,
          `${r.p99Ms.toFixed(0)} ms`,
        ];
      },
      (mode) => `${mode} (${run.runs[mode].policy} policy)`,
    ),
  verdicts: ({ runs: { naive, tuned } }) => [
    {
      target: `tuned: amplification ≤ ${TARGET_AMPLIFICATION}×`,
      met: tuned.amplification <= TARGET_AMPLIFICATION,
      detail: `${tuned.serverRequests} requests for ${tuned.actions} actions (${tuned.amplification.toFixed(2)}×; naive ${naive.amplification.toFixed(2)}×)`,
    },
    {
      target: 'tuned: no request sent before Retry-After',
      met: tuned.earlyRetries === 0 && tuned.retriesAfter429 > 0,
      detail: `${tuned.earlyRetries} early of ${tuned.retriesAfter429} retries after a 429 (naive: ${naive.earlyRetries} of ${naive.retriesAfter429})`,
    },
    {
      target: 'the server counted what the client sent',
      met: naive.serverRequests === naive.clientRequests && tuned.serverRequests === tuned.clientRequests,
      detail: `naive ${naive.serverRequests}/${naive.clientRequests}, tuned ${tuned.serverRequests}/${tuned.clientRequests} (server/client)`,
    },
  ],
  chart: (run) => ({
    title: `Requests the SPA sends while the API admits ${run.limit.unitsPerSecond}/s (${run.actionsPerSecond} actions/s for ${run.seconds} s)`,
    xLabel: 's since the first action',
    yLabel: 'requests per second',
    points: (mode) => run.runs[mode].sentPerHalfSecond.map((sent, slot) => ({ x: slot / 2, y: sent * 2 })),
  }),
});

/** The SPA's lab state, read as it reads it: GET /api/v1/labs through call(), applied with applyLabModes. */
async function followLabState(spa: SpaClient, origin: string) {
  const list = (await spa.call(labEndpoints.listLabs)) as { items: { id: string; mode: string }[] };
  spa.applyLabModes(list.items);
  // A lab that moves the API origin (h2-sse) is not what this lab measures: stay on the one started.
  spa.apiClient.defaults.baseURL = origin;
}

type AttemptLog = Map<object, AttemptRecord[]> & { sent: number[] };

/** Every request the SPA's axios instance sends, by the call it belongs to (its AbortSignal, shared by its attempts). */
function recordAttempts(spa: SpaClient): AttemptLog {
  const log = Object.assign(new Map<object, AttemptRecord[]>(), { sent: [] as number[] });
  const clear = log.clear.bind(log);
  log.clear = () => {
    clear();
    log.sent.length = 0;
  };
  spa.apiClient.interceptors.request.use((config) => {
    if (config.signal && typeof config.signal === 'object') {
      const now = performance.now();
      log.sent.push(now);
      const records = log.get(config.signal) ?? [];
      records.push({ sentAt: now });
      log.set(config.signal, records);
    }
    return config;
  });
  spa.apiClient.interceptors.response.use((response) => {
    const signal = response.config.signal;
    const record = signal && typeof signal === 'object' ? log.get(signal)?.at(-1) : undefined;
    if (record) {
      record.answeredAt = performance.now();
      record.status = response.status;
      const data = (response.data as { data?: { retryAfterMs?: number } } | undefined)?.data;
      if (response.status === 429) record.retryAfterMs = data?.retryAfterMs;
    }
    return response;
  });
  return log;
}

async function offerActions(spa: SpaClient, ids: string[], seconds: number, log: AttemptLog) {
  const started = performance.now();
  const total = ACTIONS_PER_SECOND * seconds;
  const durations: number[] = [];
  const pending: Promise<void>[] = [];
  let succeeded = 0;
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / ACTIONS_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const action = new AbortController();
    const actionStarted = performance.now();
    pending.push(
      spa
        .call(endpoints.getOrder, { params: { id: ids[n % ids.length] }, signal: action.signal })
        .then(() => {
          succeeded++;
        })
        .catch(() => undefined)
        .finally(() => {
          durations.push(performance.now() - actionStarted);
        }),
    );
  }
  await Promise.all(pending);

  let rejected429 = 0;
  let earlyRetries = 0;
  let retriesAfter429 = 0;
  for (const records of log.values()) {
    records.forEach((record, index) => {
      if (record.status === 429) rejected429++;
      const next = records[index + 1];
      if (!next || record.status !== 429) return;
      retriesAfter429++;
      const notBefore = (record.answeredAt ?? record.sentAt) + (record.retryAfterMs ?? 0);
      if (next.sentAt < notBefore - EARLY_TOLERANCE_MS) earlyRetries++;
    });
  }
  const end = Math.max(started, ...log.sent);
  const sentPerHalfSecond = Array.from({ length: Math.floor((end - started) / 500) + 1 }, () => 0);
  for (const at of log.sent) {
    const slot = Math.floor((at - started) / 500);
    if (slot >= 0 && slot < sentPerHalfSecond.length) sentPerHalfSecond[slot] = (sentPerHalfSecond[slot] ?? 0) + 1;
  }
  return {
    actions: total,
    succeeded,
    clientRequests: log.sent.length,
    rejected429,
    earlyRetries,
    retriesAfter429,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    sentPerHalfSecond,
  };
}

/**
 * Spends the whole api bucket with batch reads of unknown ids (a batch of N ids costs N
 * units): batches of 100, then 10, then 1, each size until the limiter refuses it.
 */
async function emptyBucket(origin: string) {
  for (const size of [MAX_BATCH_IDS, 10, 1]) {
    const ids = Array.from({ length: size }, () => randomUUID()).join(',');
    for (let n = 0; ; n++) {
      if (n === 1_000) throw new Error('the limiter never answered 429');
      if ((await get(origin, `/api/v1/orders/batch?ids=${ids}`)) === 429) break;
    }
  }
}

/** The API's count of answered GET /api/v1/orders/:id requests. */
async function orderReads(origin: string): Promise<number> {
  return parseMetricSamples(await fetchMetricsText(origin))
    .filter(
      ({ name, labels }) =>
        name === 'tandem_http_requests_total' && labels.route === endpoints.getOrder.path && labels.method === 'GET',
    )
    .reduce((total, sample) => total + sample.value, 0);
}

function get(origin: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The target for the tuned setting. */
export const TARGET_AMPLIFICATION = 1.1;

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
