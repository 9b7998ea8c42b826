import { createAdminClient, percentile, type RunningApi, readMetrics } from '@tandem/local-stack';
import type { BenchLog } from '../bench-options.js';
import { LoadClient } from '../sse/load-client.js';

export interface DelaySide {
  /** Where the client's streams are: the publishing replica, or the other one. */
  name: string;
  streams: number;
  /** Events counted by the client per second, over all its streams. */
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Events whose delay was measured. */
  timed: number;
}

export interface DelayFigures {
  eventsPerSecond: number;
  payloadBytes: number;
  seconds: number;
  sides: DelaySide[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForStreams(origin: string, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (((await readMetrics(origin, ['tandem_sse_streams_open'])).tandem_sse_streams_open ?? 0) >= expected) return;
    await sleep(100);
  }
  throw new Error(`${origin}: fewer than ${expected} SSE streams open after ${timeoutMs / 1000} s`);
}

/**
 * Publish → receipt delay across replicas: replica A's event generator publishes at a
 * steady rate (each event carries `at`, its publish time); one SSE client holds streams on
 * A, another on B, directly (no balancer, so each side is known). Every event goes through
 * Redis to both. The clients and the replicas read one clock (one machine), so
 * receipt − `at` is the delay, in whole milliseconds (`at` has millisecond precision).
 */
export async function measureCrossReplicaDelay(
  log: BenchLog,
  options: {
    publisher: RunningApi;
    other: RunningApi;
    adminToken: string;
    cookie: string;
    eventsPerSecond: number;
    payloadBytes: number;
    streamsPerSide: number;
    seconds: number;
  },
): Promise<DelayFigures> {
  const admin = createAdminClient(options.publisher.origin, options.adminToken);
  const sides = [
    { name: 'A (the publisher)', api: options.publisher },
    { name: 'B (another replica)', api: options.other },
  ];
  const clients: LoadClient[] = [];
  try {
    for (const side of sides) {
      clients.push(
        await LoadClient.start({
          origin: side.api.origin,
          cookie: options.cookie,
          connections: 1,
          streamsPerConnection: options.streamsPerSide,
          measureDelay: true,
        }),
      );
      await waitForStreams(side.api.origin, options.streamsPerSide, 30_000);
    }
    await admin.setGenerator(options.eventsPerSecond, options.payloadBytes);
    await sleep(1_000);
    // Snapshots empty the clients' delay lists: the measured window starts here.
    const starts = await Promise.all(clients.map((client) => client.snapshot()));
    const t0 = performance.now();
    await sleep(options.seconds * 1000);
    const ends = await Promise.all(clients.map((client) => client.snapshot()));
    const seconds = (performance.now() - t0) / 1000;
    await admin.setGenerator(0);
    const figures = sides.map((side, index): DelaySide => {
      const start = starts[index];
      const end = ends[index];
      const delays = end?.delays ?? [];
      return {
        name: side.name,
        streams: end?.openStreams ?? 0,
        eventsPerSecond: ((end?.events ?? 0) - (start?.events ?? 0)) / seconds,
        p50Ms: percentile(delays, 50),
        p99Ms: percentile(delays, 99),
        timed: delays.length,
      };
    });
    for (const side of figures) {
      log(
        `  streams on ${side.name}: ${Math.round(side.eventsPerSecond)} events/s received over ${side.streams} streams, delay p50 ${side.p50Ms} ms, p99 ${side.p99Ms} ms (${side.timed} events timed)`,
      );
    }
    return {
      eventsPerSecond: options.eventsPerSecond,
      payloadBytes: options.payloadBytes,
      seconds,
      sides: figures,
    };
  } finally {
    await admin.setGenerator(0).catch(() => undefined);
    for (const client of clients) await client.stop();
  }
}
