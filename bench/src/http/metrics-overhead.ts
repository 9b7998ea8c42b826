import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type H2loadRun,
  h2RequestOnce,
  type LoadShape,
  median,
  repoRoot,
  runH2load,
  shapeLabel,
} from '@tandem/local-stack';
import type { BenchLog, BenchOptions } from '../bench-options.js';
import type { BenchReport } from '../bench-report.js';
import {
  type BenchServer,
  ensureDevCertificate,
  LOAD_CPU,
  ORDERS_LIST_PATH,
  PIN,
  SERVER_CPU,
  SPA_ORIGIN,
  startFixedPageApi,
} from './bench-servers.js';
import { interleave, latency, type MeasuredRun, medianRatio, summarise, timingFor, warmUp } from './orders-list.js';
import { BEACON_CONTENT_TYPE, RUM_PATH, rumBeaconBody, SAMPLES_PER_BEACON } from './rum-beacon.js';

const SHAPE: LoadShape = { protocol: 'h2', connections: 50, streams: 10 };
/** One beacon per this many list calls (the SPA flushes a batch after a handful of calls). */
const LIST_CALLS_PER_BEACON = 20;
const BEACON_CLIENTS = 2;
const RATIO_TARGET = 0.95;

export async function benchMetricsOverhead(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const timing = timingFor(options);
  const workDir = join(repoRoot, '.data', 'bench', 'metrics-overhead');
  mkdirSync(workDir, { recursive: true });
  await ensureDevCertificate(workDir);
  const beaconFile = join(workDir, 'beacon.json');
  writeFileSync(beaconFile, rumBeaconBody());

  log(
    `starting two fixed-page APIs, METRICS_ENABLED=false and =true${PIN ? `, on CPU ${SERVER_CPU} (h2load on CPU ${LOAD_CPU})` : ''}`,
  );
  const servers: BenchServer[] = [];
  try {
    for (const [name, enabled] of [
      ['off', 'false'],
      ['on', 'true'],
    ] as const) {
      const dir = join(workDir, name);
      mkdirSync(dir, { recursive: true });
      servers.push(await startFixedPageApi({ name, workDir: dir, env: { METRICS_ENABLED: enabled } }));
    }
    const [off, on] = servers as [BenchServer, BenchServer];
    // The switch must be what it claims: /metrics answers on one side only.
    const scrapeOn = await h2RequestOnce(on.origin, { path: '/metrics' });
    const scrapeOff = await h2RequestOnce(off.origin, { path: '/metrics' });
    if (scrapeOn.status !== 200 || scrapeOff.status !== 404) {
      throw new Error(`/metrics answered ${scrapeOn.status} with metrics on and ${scrapeOff.status} off`);
    }
    const probe = await h2RequestOnce(on.origin, {
      method: 'POST',
      path: RUM_PATH,
      headers: { 'content-type': BEACON_CONTENT_TYPE, origin: SPA_ORIGIN },
      body: rumBeaconBody(),
    });
    log(`one beacon to ${RUM_PATH}: ${probe.status}`);

    const url = (server: BenchServer) => `${server.origin}${ORDERS_LIST_PATH}`;
    log('warm-up');
    const rates = await warmUp(servers, url, timing, workDir, log);

    const beaconRuns: H2loadRun[] = [];
    const beacons = async (server: BenchServer, runs: Map<string, MeasuredRun[]>) => {
      if (server !== on) return async () => {};
      // Paced from the list rate of the "off" runs so far: one beacon per 20 list calls.
      const listRate = median((runs.get('off') ?? []).map((run) => run.requestsPerSecond));
      const perClient = Math.max(1, Math.round(listRate / LIST_CALLS_PER_BEACON / BEACON_CLIENTS));
      const running = runH2load({
        url: `${on.origin}${RUM_PATH}`,
        shape: { protocol: 'h2', connections: BEACON_CLIENTS, streams: 1 },
        rpsPerClient: perClient,
        // Paced, so a count lasts as long as the list run beside it (both ~timing.seconds).
        requests: Math.max(1, Math.round(perClient * timing.seconds)) * BEACON_CLIENTS,
        expectedSeconds: timing.seconds,
        logFile: join(workDir, 'h2load-beacons.log'),
        headers: { origin: SPA_ORIGIN, 'content-type': BEACON_CONTENT_TYPE },
        bodyFile: beaconFile,
        ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}),
      });
      return async () => {
        const run = await running;
        beaconRuns.push(run);
        log(
          `  beacons: ${Math.round(run.requestsPerSecond)}/s (${perClient}/s × ${BEACON_CLIENTS} clients), ${run.status2xx} of ${run.status2xx + run.notOk} answered 2xx`,
        );
      };
    };
    // "off" runs first in round 1, so the first "on" run has a list rate to pace its beacons by.
    const runs = await interleave({
      servers: [off, on],
      shape: SHAPE,
      timing,
      rates,
      workDir,
      log,
      url,
      alongside: beacons,
    });
    const offRuns = runs.get('off') ?? [];
    const onRuns = runs.get('on') ?? [];
    const ratio = medianRatio(offRuns, onRuns);
    const offSummary = summarise(offRuns);
    const onSummary = summarise(onRuns);
    const beaconsPerSecond = median(beaconRuns.map((run) => run.requestsPerSecond));
    const beaconsAnswered = beaconRuns.reduce((sum, run) => sum + run.status2xx + run.notOk, 0);
    const beaconsAccepted = beaconRuns.reduce((sum, run) => sum + run.status2xx, 0);
    const beaconsOk = beaconsAnswered > 0 && beaconsAccepted === beaconsAnswered;

    return {
      name: 'metrics-overhead',
      method:
        `Tandem's GET ${ORDERS_LIST_PATH} with the fixed 20-order page (as in orders-list), h2load at ${shapeLabel(SHAPE)}, two API processes${PIN ? ` on CPU ${SERVER_CPU}, h2load on CPU ${LOAD_CPU}` : ''}: ` +
        `"off" = METRICS_ENABLED=false (no /metrics, no HTTP metric hooks) and no beacons; "on" = metrics on plus RUM beacons (one ${SAMPLES_PER_BEACON}-sample RumBatch per ${LIST_CALLS_PER_BEACON} list calls, paced from the "off" list rate, a second h2load on ${BEACON_CLIENTS} connections, paced with --rps over the same ~${timing.seconds} s) to POST ${RUM_PATH}. ` +
        `List req/s and p50/p99 from h2load; ${timing.rounds} interleaved round(s), each run a fixed number of requests lasting ~${timing.seconds} s (sized from a ${timing.warmUpRequests}-request warm-up run); medians over rounds, the ratio the median of per-round ratios.`,
      table: {
        columns: ['side', 'list req/s', 'list p50 / p99', 'beacons/s (answered 2xx)', 'on ÷ off', 'target'],
        rows: [
          ['metrics off, no beacons', Math.round(offSummary.requestsPerSecond), latency(offSummary), '—', '—', '—'],
          [
            'metrics on + RUM beacons',
            Math.round(onSummary.requestsPerSecond),
            latency(onSummary),
            `${Math.round(beaconsPerSecond)} (${beaconsAccepted} of ${beaconsAnswered})`,
            `${ratio.toFixed(2)}×`,
            `≥ ${RATIO_TARGET}×`,
          ],
        ],
      },
      verdicts: [
        {
          target: `metrics and RUM ingest on ≥ ${RATIO_TARGET}× the list throughput with them off`,
          met: ratio >= RATIO_TARGET,
        },
        { target: `every beacon accepted by ${RUM_PATH} (2xx)`, met: beaconsOk },
        { target: 'every list answer 2xx', met: offSummary.non2xx + onSummary.non2xx === 0 },
      ],
      raw: {
        timing,
        ratio,
        off: offSummary,
        on: onSummary,
        rumProbeStatus: probe.status,
        runs: { off: offRuns, on: onRuns, beacons: beaconRuns },
      },
    };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
