import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  type AdminClient,
  createAdminClient,
  type RunningApi,
  readMetrics,
  repoRoot,
  startApi,
} from '@tandem/local-stack';
import type { BenchReport } from '../bench-report.js';
import { LoadClient } from './load-client.js';

/** With two or more cores, the server gets CPU 0 and the load client CPU 1 (`taskset`). */
const PIN = cpus().length >= 2;
/** ~1 KB per event on the wire, as in the targets (id, event, JSON with `at` and padding). */
const PAYLOAD_BYTES = 900;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForStreams(origin: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let open = 0;
  while (Date.now() < deadline) {
    open = (await readMetrics(origin, ['tandem_sse_streams_open'])).tandem_sse_streams_open ?? 0;
    if (open >= expected) return open;
    await sleep(200);
  }
  return open;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
}

interface Step {
  eventsPerSecond: number;
  offered: number;
  delivered: number;
  openStreams: number;
}

/** Server RSS: the median of five readings over two seconds, so one GC does not decide it. */
async function settledRss(origin: string): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push((await readMetrics(origin, ['process_resident_memory_bytes'])).process_resident_memory_bytes ?? 0);
    await sleep(500);
  }
  return readings.sort((a, b) => a - b)[2] ?? 0;
}

/** Raises the generator's rate step by step and measures what the streams receive. */
async function throughput(
  api: RunningApi,
  admin: AdminClient,
  shape: { connections: number; streamsPerConnection: number },
  rates: number[],
  log: (line: string) => void,
) {
  const streams = shape.connections * shape.streamsPerConnection;
  const before = await settledRss(api.origin);
  const client = await LoadClient.start({
    origin: api.origin,
    cookie: api.sessions.user,
    ...shape,
    measureDelay: false,
  });
  try {
    const open = await waitForStreams(api.origin, streams, 60_000);
    const after = await settledRss(api.origin);
    const rssPerStreamKb = (after - before) / 1024 / Math.max(open, 1);
    log(
      `  ${open} streams open; server RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB = ${rssPerStreamKb.toFixed(1)} KB per stream`,
    );
    const steps: Step[] = [];
    for (const rate of rates) {
      await admin.setGenerator(rate, PAYLOAD_BYTES);
      await sleep(1_000);
      const start = await client.snapshot();
      const t0 = Date.now();
      await sleep(3_000);
      const end = await client.snapshot();
      const seconds = (Date.now() - t0) / 1000;
      const delivered = (end.events - start.events) / seconds;
      steps.push({ eventsPerSecond: rate, offered: rate * streams, delivered, openStreams: end.openStreams });
      log(
        `  generator ${rate}/s → offered ${rate * streams}/s, delivered ${Math.round(delivered)}/s, ${end.openStreams} streams still open`,
      );
      await admin.setGenerator(0);
      await sleep(500);
    }
    return { streams: open, rssPerStreamKb, steps };
  } finally {
    await admin.setGenerator(0);
    await client.stop();
  }
}

/** Publish → receipt delay at a steady rate, every event timed. */
async function delay(api: RunningApi, admin: AdminClient, log: (line: string) => void) {
  const shape = { connections: 10, streamsPerConnection: 10 };
  const rate = 100; // × 100 streams = 10,000 events/s delivered
  const client = await LoadClient.start({
    origin: api.origin,
    cookie: api.sessions.user,
    ...shape,
    measureDelay: true,
  });
  try {
    await waitForStreams(api.origin, 100, 30_000);
    await admin.setGenerator(rate, PAYLOAD_BYTES);
    await sleep(1_000);
    await client.snapshot();
    const start = await client.snapshot();
    await sleep(5_000);
    const end = await client.snapshot();
    const delivered = (end.events - start.events) / 5;
    const p50 = percentile(end.delays, 50);
    const p99 = percentile(end.delays, 99);
    log(
      `  delivered ${Math.round(delivered)}/s; delay p50 ${p50} ms, p99 ${p99} ms (${end.delays.length} events timed)`,
    );
    return { delivered, p50, p99, timed: end.delays.length };
  } finally {
    await admin.setGenerator(0);
    await client.stop();
  }
}

export async function benchSse(log: (line: string) => void): Promise<BenchReport> {
  const workDir = join(repoRoot, '.data', 'bench', 'sse');
  mkdirSync(workDir, { recursive: true });
  log(`starting the API${PIN ? ' pinned to CPU 0 (load client on CPU 1)' : ''}; SSE heartbeats off, logs at warn`);
  const api = await startApi({
    workDir,
    ...(PIN ? { cpuList: '0' } : {}),
    env: { SSE_HEARTBEAT_MS: '3600000', EVENT_REPLAY_SIZE: '1000' },
  });
  const admin = createAdminClient(api.origin, api.adminToken);
  try {
    // No warm-up before the first scenario: its RSS figure is that of a fresh server
    // (after start-up settles), which includes lazy initialisation rather than hiding it.
    log('1,000 streams over 10 HTTP/2 connections');
    const multiplexed = await throughput(
      api,
      admin,
      { connections: 10, streamsPerConnection: 100 },
      [100, 150, 200, 250],
      log,
    );
    log('1,000 connections, one stream each');
    const single = await throughput(api, admin, { connections: 1000, streamsPerConnection: 1 }, [30, 50, 80], log);
    log('steady 10,000 events/s: publish → receipt delay');
    const latency = await delay(api, admin, log);

    const best = (steps: Step[]) => Math.max(...steps.map((step) => step.delivered));
    const bestMultiplexed = best(multiplexed.steps);
    const bestSingle = best(single.steps);
    return {
      name: 'sse',
      method: `Tandem's /api/v1/events (the real route: ids, replay buffer, CORS, metrics) on CPU 0, a Node HTTP/2 load client on CPU 1, loopback, TLS, ~1 KB events from the event generator. Each rate held 3 s after 1 s of warm-up; delivered = events counted by the client.`,
      table: {
        columns: ['figure', 'measured', 'target'],
        rows: [
          ['1,000 streams / 10 connections: events/s delivered (best step)', Math.round(bestMultiplexed), '≥ 200,000'],
          [
            '1,000 streams / 10 connections: server RSS per open stream (fresh server)',
            `${multiplexed.rssPerStreamKb.toFixed(1)} KB`,
            '≤ 12 KB',
          ],
          ['1,000 connections × 1 stream: events/s delivered (best step)', Math.round(bestSingle), '≥ 30,000'],
          ['1,000 connections × 1 stream: server RSS per connection', `${single.rssPerStreamKb.toFixed(1)} KB`, '—'],
          ['steady 10,000 events/s: delay p50 / p99', `${latency.p50} / ${latency.p99} ms`, 'p99 < 100 ms'],
        ],
      },
      verdicts: [
        { target: '≥ 200,000 events/s over 10 connections', met: bestMultiplexed >= 200_000 },
        // A figure ≤ 0 means the server returned memory while the streams opened (a GC, the
        // young generation shrinking): not a measurement, so not a pass either.
        { target: '≤ 12 KB RSS per stream', met: multiplexed.rssPerStreamKb > 0 && multiplexed.rssPerStreamKb <= 12 },
        { target: '≥ 30,000 events/s over 1,000 connections', met: bestSingle >= 30_000 },
        { target: 'p99 publish → receipt < 100 ms at 10,000 events/s', met: latency.p99 !== null && latency.p99 < 100 },
      ],
      raw: { multiplexed, single, latency },
    };
  } finally {
    await api.stop();
  }
}
