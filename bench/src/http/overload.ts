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
/** The overload: paced, with room for many requests in flight, so a slow server does not slow the sender down much. */
const OVERLOAD_SHAPE: LoadShape = { protocol: 'h2', connections: 50, streams: 100 };
const OVERLOAD_FACTOR = 3;
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

/**
 * The orders list at three times the API's capacity, with load shedding on (the product's
 * thresholds) and off, interleaved in one run: admitted requests' latency, the share shed,
 * the event-loop delay the server saw.
 */
export async function benchOverload(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const timing = timingFor(options);
  const loadAtStart = loadavg()[0] ?? 0;
  const workDir = join(repoRoot, '.data', 'bench', 'overload');
  mkdirSync(workDir, { recursive: true });
  await ensureDevCertificate(workDir);
  const thresholds = productSheddingEnv();
  log(
    `starting the fixed-page API with load shedding on (${Object.entries(thresholds)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}) and off${PIN ? `, on CPU ${SERVER_CPU} (h2load on CPU ${LOAD_CPU})` : ''}`,
  );
  process.setMaxListeners(Math.max(process.getMaxListeners(), 16));
  const servers: BenchServer[] = [];
  try {
    const shedding = await startFixedPageApi({ name: 'shedding-on', workDir, env: thresholds });
    servers.push(shedding);
    const noShedding = await startFixedPageApi({ name: 'shedding-off', workDir, env: SHEDDING_OFF });
    servers.push(noShedding);

    log('warm-up');
    const rates = await warmUp(servers, (server) => `${server.origin}${ORDERS_LIST_PATH}`, timing, workDir, log);
    const capacityRun = await run({
      server: noShedding,
      shape: CAPACITY_SHAPE,
      requests: requestsFor(rates.get(noShedding.name) ?? 0, timing.seconds, CAPACITY_SHAPE),
      expectedSeconds: timing.seconds,
      workDir,
    });
    const capacity = capacityRun.summary.requestsPerSecond;
    log(`capacity (${shapeLabel(CAPACITY_SHAPE)}, shedding off): ${Math.round(capacity)} req/s`);

    const target = OVERLOAD_FACTOR * capacity;
    const rpsPerClient = Math.ceil(target / OVERLOAD_SHAPE.connections);
    const requests = Math.round(target * timing.seconds);
    const runs = new Map<string, OverloadRun[]>(servers.map((server) => [server.name, []]));
    for (let round = 0; round < timing.rounds; round++) {
      const order = round % 2 === 0 ? [shedding, noShedding] : [noShedding, shedding];
      for (const server of order) {
        const result = await run({
          server,
          shape: OVERLOAD_SHAPE,
          requests,
          expectedSeconds: timing.seconds,
          rpsPerClient,
          workDir,
        });
        runs.get(server.name)?.push(result);
        log(
          `  round ${round + 1}/${timing.rounds} ${server.name.padEnd(12)} ${Math.round(result.admittedMs.length / result.wallSeconds)} admitted/s, admitted p50/p99 ${admittedLatency([result])}, ${result.shed} shed of ${sentOf(result)}, event-loop delay p99 ${ms(result.lagP99Ms)} ms${result.other ? `, ${result.other} other` : ''}`,
        );
      }
    }

    const loadAtEnd = loadavg()[0] ?? 0;
    const shared = Math.max(loadAtStart, loadAtEnd) > SHARED_LOAD_AVERAGE;
    const row = (load: string, side: string, offered: string, list: OverloadRun[]) => [
      load,
      side,
      offered,
      Math.round(median(list.map((r) => sentOf(r) / r.wallSeconds))),
      Math.round(median(list.map((r) => r.admittedMs.length / r.wallSeconds))),
      admittedLatency(list),
      `${(100 * median(list.map((r) => r.shed / Math.max(1, sentOf(r))))).toFixed(1)}%`,
      `${ms(median(list.map((r) => r.lagP99Ms)))} ms`,
    ];
    const on = runs.get(shedding.name) ?? [];
    const off = runs.get(noShedding.name) ?? [];
    const overloadLabel = `${OVERLOAD_FACTOR}× capacity: ${shapeLabel(OVERLOAD_SHAPE)}, --rps ${rpsPerClient} per connection`;
    const p99 = (list: OverloadRun[]) => median(list.map((r) => percentile(r.admittedMs, 99)));
    const other = [...on, ...off, capacityRun].reduce((sum, r) => sum + r.other, 0);

    return {
      name: 'overload',
      method:
        `Tandem's GET ${ORDERS_LIST_PATH} (the fixed-page API of orders-list: the real app, its orders repository answering a fixed 20-order page) at ${OVERLOAD_FACTOR}× its capacity, with load shedding on (the product's default thresholds: ${Object.entries(
          thresholds,
        )
          .map(([name, value]) => `${name}=${value}`)
          .join(', ')}) and off (every threshold 0), two API processes. ` +
        `Capacity: h2load at ${shapeLabel(CAPACITY_SHAPE)} as fast as the server with shedding off answers (req/s from h2load's summary). ` +
        `Overload: h2load at ${shapeLabel(OVERLOAD_SHAPE)} paced with --rps to ${OVERLOAD_FACTOR}× that rate, a fixed number of requests (${OVERLOAD_FACTOR}× capacity × ~${timing.seconds} s); h2load cannot send faster than its open streams allow, so "sent/s" is what it managed to offer (requests ÷ the run's wall time). ` +
        `${timing.rounds} round(s), the two servers' order swapped each round; figures are medians over rounds. Admitted = answered 2xx; p50/p99 of their durations from h2load's per-request log; shed = the share answered 503; event-loop delay p99 = prom-client's ${LAG_P99} scraped from the API's /metrics right after the run (its histogram restarts at each scrape, and one right before the run starts it). ` +
        `TLS on loopback${PIN ? `, servers on CPU ${SERVER_CPU}, h2load on CPU ${LOAD_CPU}` : ''}. 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end${shared ? ': the machine was shared with other work during the run, figures are noisier than on a quiet machine' : ''}.`,
      table: {
        columns: [
          'load (h2load)',
          'server',
          'target req/s',
          'sent/s',
          'admitted (2xx)/s',
          'admitted p50 / p99',
          'shed (503)',
          'event-loop delay p99',
        ],
        rows: [
          row(`capacity: ${shapeLabel(CAPACITY_SHAPE)}, closed loop`, 'shedding off', '—', [capacityRun]),
          row(overloadLabel, 'shedding on (product thresholds)', String(Math.round(target)), on),
          row(overloadLabel, 'shedding off', String(Math.round(target)), off),
        ],
      },
      verdicts: [
        {
          target: `at ${OVERLOAD_FACTOR}× capacity, admitted requests' p99 is lower with shedding on than off`,
          met: p99(on) < p99(off),
        },
        { target: 'every answer a 2xx or a 503 (no other status, no errors, no timeouts)', met: other === 0 },
      ],
      raw: {
        timing,
        thresholds,
        capacity,
        target,
        rpsPerClient,
        requests,
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        runs: Object.fromEntries(
          [...runs.entries()].map(([name, list]) => [
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
    };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
