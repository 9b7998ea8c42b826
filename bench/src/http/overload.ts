import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tandem/api/config';
import {
  type H2loadRun,
  type LoadShape,
  median,
  percentile,
  readMetrics,
  readStatusLog,
  repoRoot,
  runH2load,
  shapeLabel,
} from '@tandem/local-stack';
import type { BenchLog, BenchOptions } from '../bench-options.js';
import type { BenchReport } from '../bench-report.js';
import {
  BENCH_HEADERS,
  type BenchServer,
  ensureDevCertificate,
  LOAD_CPU,
  ORDERS_LIST_PATH,
  PIN,
  SERVER_CPU,
  startFixedPageApi,
} from './bench-servers.js';
import { latency, requestsFor, timingFor, warmUp } from './orders-list.js';

/** Capacity: as orders-list measures it, h2load as fast as the server answers. */
const CAPACITY_SHAPE: LoadShape = { protocol: 'h2', connections: 50, streams: 10 };
/** A `--quick` run's: a dear page answers a few hundred a second, and 5,000 streams in flight would queue for ten seconds. */
const QUICK_CAPACITY_SHAPE: LoadShape = { protocol: 'h2', connections: 10, streams: 10 };
/** The overload: paced, with room for many requests in flight, so a slow server does not slow the sender down much. */
const OVERLOAD_SHAPE: LoadShape = { protocol: 'h2', connections: 50, streams: 100 };
const QUICK_OVERLOAD_SHAPE: LoadShape = { protocol: 'h2', connections: 10, streams: 50 };
const OVERLOAD_FACTOR = 3;

interface Shapes {
  capacity: LoadShape;
  overload: LoadShape;
}
const shapesFor = (options: BenchOptions): Shapes =>
  options.quick
    ? { capacity: QUICK_CAPACITY_SHAPE, overload: QUICK_OVERLOAD_SHAPE }
    : { capacity: CAPACITY_SHAPE, overload: OVERLOAD_SHAPE };
/** A machine busier than this (1-minute load average, 2 cores) was shared with other work during the run. */
const SHARED_LOAD_AVERAGE = 1.5;
const LAG_P99 = 'nodejs_eventloop_lag_p99_seconds';

/** The product's load-shedding thresholds: its config's defaults, as .env.example documents them. */
function productSheddingEnv(): Record<string, string> {
  const { loadShedding } = loadConfig({});
  return {
    LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: String(loadShedding.maxEventLoopDelayMs),
    LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: String(loadShedding.maxEventLoopUtilization),
    LOAD_SHEDDING_MAX_HEAP_USED_MB: String(loadShedding.maxHeapUsedBytes / 1024 / 1024),
    LOAD_SHEDDING_SAMPLE_INTERVAL_MS: String(loadShedding.sampleIntervalMs),
    LOAD_SHEDDING_RETRY_AFTER_S: String(loadShedding.retryAfterSeconds),
  };
}

const SHEDDING_OFF = {
  LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
  LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
};

/** One run: what h2load saw per status, how long it took, and the server's event-loop delay over it. */
interface OverloadRun {
  summary: H2loadRun;
  wallSeconds: number;
  admittedMs: number[];
  shed: number;
  /** Answers neither 2xx nor 503, plus requests without an answer. */
  other: number;
  lagP99Ms: number;
}

async function run(options: {
  server: BenchServer;
  shape: LoadShape;
  requests: number;
  expectedSeconds: number;
  rpsPerClient?: number;
  workDir: string;
}): Promise<OverloadRun> {
  const { server, shape } = options;
  const logFile = join(options.workDir, `h2load-${server.name}.log`);
  // prom-client's event-loop histogram restarts at every scrape: this one starts the run's.
  await readMetrics(server.origin, [LAG_P99]);
  const started = performance.now();
  const summary = await runH2load({
    url: `${server.origin}${ORDERS_LIST_PATH}`,
    shape,
    requests: options.requests,
    expectedSeconds: options.expectedSeconds,
    logFile,
    keepLogFile: true,
    // The SPA's Origin and the fixed-page API's session: the orders list needs one (a 401 is neither admitted nor shed).
    headers: BENCH_HEADERS,
    ...(options.rpsPerClient ? { rpsPerClient: options.rpsPerClient } : {}),
    ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}),
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const lag = await readMetrics(server.origin, [LAG_P99]);
  const byStatus = readStatusLog(logFile);
  const admittedMs = [...byStatus.entries()].filter(([status]) => status < 300).flatMap(([, durations]) => durations);
  const shed = byStatus.get(503)?.length ?? 0;
  const sent = summary.status2xx + summary.notOk;
  return {
    summary,
    wallSeconds,
    admittedMs,
    shed,
    other: sent - admittedMs.length - shed,
    lagP99Ms: (lag[LAG_P99] ?? Number.NaN) * 1000,
  };
}

const ms = (value: number) => (!Number.isFinite(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const admittedLatency = (runs: OverloadRun[]) =>
  latency({
    p50Ms: median(runs.map((r) => percentile(r.admittedMs, 50))),
    p99Ms: median(runs.map((r) => percentile(r.admittedMs, 99))),
  });
const sentOf = (r: OverloadRun) => r.summary.status2xx + r.summary.notOk;

/** The two pages the overload is run on: the cost of building an answer decides what a refusal saves. */
const PAGES = [
  {
    key: 'at hand',
    pageCostMs: 0,
    about: 'the fixed page, answered from memory (as the first-page cache does)',
    env: {},
  },
  {
    key: 'dear',
    pageCostMs: 2,
    about:
      'the same page built with 2 ms of event-loop work first (an uncached query on an embedded database, a report computed in JavaScript), the first-page cache off (ORDERS_PAGE_CACHE_TTL_MS=0) so that every request pays it',
    env: { ORDERS_PAGE_CACHE_TTL_MS: '0' },
  },
] as const;
type PageKey = (typeof PAGES)[number]['key'];

interface PageFigures {
  capacityRun: OverloadRun;
  capacity: number;
  target: number;
  rpsPerClient: number;
  requests: number;
  on: OverloadRun[];
  off: OverloadRun[];
}

/**
 * The orders list at three times the API's capacity, with load shedding on (the product's
 * thresholds) and off, interleaved in one run, on two pages: one at hand (a refusal costs
 * about what an answer does) and one dear to build (a refusal saves the building).
 * Admitted requests' latency, the share shed, the event-loop delay the server saw.
 */
export async function benchOverload(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const timing = timingFor(options);
  const shapes = shapesFor(options);
  const loadAtStart = loadavg()[0] ?? 0;
  const workDir = join(repoRoot, '.data', 'bench', 'overload');
  mkdirSync(workDir, { recursive: true });
  await ensureDevCertificate(workDir);
  const thresholds = productSheddingEnv();
  process.setMaxListeners(Math.max(process.getMaxListeners(), 16));
  const figures = new Map<PageKey, PageFigures>();
  for (const page of PAGES) {
    log(
      `${page.key} page: starting the fixed-page API with load shedding on (${Object.entries(thresholds)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}) and off${PIN ? `, on CPU ${SERVER_CPU} (h2load on CPU ${LOAD_CPU})` : ''}`,
    );
    figures.set(
      page.key,
      await overloadOnePage(log, {
        timing,
        shapes,
        workDir,
        env: page.env,
        thresholds,
        pageCostMs: page.pageCostMs,
        key: page.key,
      }),
    );
  }

  const loadAtEnd = loadavg()[0] ?? 0;
  const shared = Math.max(loadAtStart, loadAtEnd) > SHARED_LOAD_AVERAGE;
  const row = (page: string, load: string, side: string, offered: string, list: OverloadRun[]) => [
    page,
    load,
    side,
    offered,
    Math.round(median(list.map((r) => sentOf(r) / r.wallSeconds))),
    Math.round(median(list.map((r) => r.admittedMs.length / r.wallSeconds))),
    admittedLatency(list),
    `${(100 * median(list.map((r) => r.shed / Math.max(1, sentOf(r))))).toFixed(1)}%`,
    `${(100 * median(list.map((r) => r.other / Math.max(1, sentOf(r))))).toFixed(1)}%`,
    `${ms(median(list.map((r) => r.lagP99Ms)))} ms`,
  ];
  const p99 = (list: OverloadRun[]) => median(list.map((r) => percentile(r.admittedMs, 99)));
  const otherOf = (list: OverloadRun[]) => list.reduce((sum, r) => sum + r.other, 0);
  const rows: (string | number)[][] = [];
  const verdicts: BenchReport['verdicts'] = [];
  for (const page of PAGES) {
    const f = figures.get(page.key);
    if (f === undefined) continue;
    const overloadLabel = `${OVERLOAD_FACTOR}× capacity: ${shapeLabel(shapes.overload)}, --rps ${f.rpsPerClient} per connection`;
    rows.push(
      row(page.key, `capacity: ${shapeLabel(shapes.capacity)}, closed loop`, 'shedding off', '—', [f.capacityRun]),
      row(page.key, overloadLabel, 'shedding on (product thresholds)', String(Math.round(f.target)), f.on),
      row(page.key, overloadLabel, 'shedding off', String(Math.round(f.target)), f.off),
    );
    verdicts.push(
      {
        target: `${page.key} page: at ${OVERLOAD_FACTOR}× capacity, admitted requests' p99 is lower with shedding on than off`,
        met: p99(f.on) < p99(f.off),
      },
      {
        target: `${page.key} page: with shedding on, every answer a 2xx or a 503 (no other status, no errors, no timeouts)`,
        met: otherOf([f.capacityRun, ...f.on]) === 0,
      },
    );
  }

  return {
    name: 'overload',
    method:
      `Tandem's GET ${ORDERS_LIST_PATH} (the fixed-page API of orders-list: the real app, its orders repository answering a fixed 20-order page) at ${OVERLOAD_FACTOR}× its capacity, with load shedding on (the product's default thresholds: ${Object.entries(
        thresholds,
      )
        .map(([name, value]) => `${name}=${value}`)
        .join(', ')}) and off (every threshold 0), two API processes per page. ` +
      `Two pages: ${PAGES.map((page) => `"${page.key}", ${page.about}`).join('; ')}. ` +
      `Capacity: h2load at ${shapeLabel(shapes.capacity)} as fast as the server with shedding off answers (req/s from h2load's summary). ` +
      `Overload: h2load at ${shapeLabel(shapes.overload)} paced with --rps to ${OVERLOAD_FACTOR}× that rate, a fixed number of requests (${OVERLOAD_FACTOR}× capacity × ~${timing.seconds} s); h2load cannot send faster than its open streams allow, so "sent/s" is what it managed to offer (requests ÷ the run's wall time). ` +
      `${timing.rounds} round(s), the two servers' order swapped each round; figures are medians over rounds. Admitted = answered 2xx; p50/p99 of their durations from h2load's per-request log; shed = the share answered 503; other = any other answer or none (a 504 at the request deadline, an error); event-loop delay p99 = prom-client's ${LAG_P99} scraped from the API's /metrics right after the run (its histogram restarts at each scrape, and one right before the run starts it). ` +
      `TLS on loopback${PIN ? `, servers on CPU ${SERVER_CPU}, h2load on CPU ${LOAD_CPU}` : ''}. 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end${shared ? ': the machine was shared with other work during the run, figures are noisier than on a quiet machine' : ''}.`,
    table: {
      columns: [
        'page',
        'load (h2load)',
        'server',
        'target req/s',
        'sent/s',
        'admitted (2xx)/s',
        'admitted p50 / p99',
        'shed (503)',
        'other',
        'event-loop delay p99',
      ],
      rows,
    },
    verdicts,
    raw: {
      timing,
      thresholds,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      pages: Object.fromEntries(
        [...figures.entries()].map(([key, f]) => [
          key,
          {
            capacity: f.capacity,
            target: f.target,
            rpsPerClient: f.rpsPerClient,
            requests: f.requests,
            runs: Object.fromEntries(
              (
                [
                  ['shedding-on', f.on],
                  ['shedding-off', f.off],
                ] as const
              ).map(([name, list]) => [
                name,
                list.map(({ admittedMs, ...rest }) => ({
                  ...rest,
                  admitted: admittedMs.length,
                  admittedP50Ms: percentile(admittedMs, 50),
                  admittedP99Ms: percentile(admittedMs, 99),
                })),
              ]),
            ),
          },
        ]),
      ),
    },
  };
}

/** One page: its capacity with shedding off, then the overload, on and off interleaved. */
async function overloadOnePage(
  log: BenchLog,
  options: {
    timing: ReturnType<typeof timingFor>;
    shapes: Shapes;
    workDir: string;
    /** The page's own environment, under either side's. */
    env: Record<string, string>;
    thresholds: Record<string, string>;
    pageCostMs: number;
    key: string;
  },
): Promise<PageFigures> {
  const { timing, shapes, workDir, pageCostMs } = options;
  const servers: BenchServer[] = [];
  try {
    const shedding = await startFixedPageApi({
      name: `${options.key}-shedding-on`.replaceAll(' ', '-'),
      workDir,
      env: { ...options.env, ...options.thresholds },
      pageCostMs,
    });
    servers.push(shedding);
    const noShedding = await startFixedPageApi({
      name: `${options.key}-shedding-off`.replaceAll(' ', '-'),
      workDir,
      env: { ...options.env, ...SHEDDING_OFF },
      pageCostMs,
    });
    servers.push(noShedding);

    log('warm-up');
    const rates = await warmUp(servers, (server) => `${server.origin}${ORDERS_LIST_PATH}`, timing, workDir, log);
    const capacityRun = await run({
      server: noShedding,
      shape: shapes.capacity,
      requests: requestsFor(rates.get(noShedding.name) ?? 0, timing, shapes.capacity),
      expectedSeconds: timing.seconds,
      workDir,
    });
    const capacity = capacityRun.summary.requestsPerSecond;
    log(`capacity (${shapeLabel(shapes.capacity)}, shedding off): ${Math.round(capacity)} req/s`);

    const target = OVERLOAD_FACTOR * capacity;
    const rpsPerClient = Math.ceil(target / shapes.overload.connections);
    const requests = Math.round(target * timing.seconds);
    const on: OverloadRun[] = [];
    const off: OverloadRun[] = [];
    for (let round = 0; round < timing.rounds; round++) {
      const order = round % 2 === 0 ? [shedding, noShedding] : [noShedding, shedding];
      for (const server of order) {
        const result = await run({
          server,
          shape: shapes.overload,
          requests,
          expectedSeconds: timing.seconds,
          rpsPerClient,
          workDir,
        });
        (server === shedding ? on : off).push(result);
        log(
          `  round ${round + 1}/${timing.rounds} ${server.name.padEnd(20)} ${Math.round(result.admittedMs.length / result.wallSeconds)} admitted/s, admitted p50/p99 ${admittedLatency([result])}, ${result.shed} shed of ${sentOf(result)}, event-loop delay p99 ${ms(result.lagP99Ms)} ms${result.other ? `, ${result.other} other` : ''}`,
        );
      }
    }
    return { capacityRun, capacity, target, rpsPerClient, requests, on, off };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
