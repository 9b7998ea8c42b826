import { median } from '@tandem/local-stack';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { BROWSER_PROBE, type ProbeResult } from './browser-probe.js';

const EVENTS_PER_SECOND = 50;

/**
 * h2-sse: the same SPA code against the HTTP/1.1-only listener (naive) and the HTTP/2
 * listener (tuned). For 0…8 open EventSources, in a fresh Chromium context each time:
 * how many streams connect, how fast an API call answers while they stay open, how many
 * events per second they deliver and how soon each gets its first event.
 */
export const h2SseLab = defineLab({
  id: 'h2-sse',
  settings: (smoke) => ({
    rounds: 1,
    streamCounts: smoke ? [0, 8] : [0, 1, 2, 4, 5, 6, 7, 8],
    probe: {
      calls: smoke ? 5 : 9,
      stallMs: smoke ? 2_000 : 3_000,
      eventsWindowMs: smoke ? 1_000 : 2_000,
      connectWaitMs: smoke ? 1_500 : 2_500,
    },
  }),
  servers: { api: { note: 'HTTP/2 listener + HTTP/1.1-only listener' }, chromium: true },
  prepare: async ({ stack }) => {
    await stack.admin.setGenerator(EVENTS_PER_SECOND, 64);
  },
  measure: async ({ stack, settings, mode, progress }) => {
    const origin = mode === 'naive' ? stack.api.h1Origin : stack.api.origin;
    const results: ProbeResult[] = [];
    for (const streams of settings.streamCounts) {
      progress(`${streams} EventSource stream(s) open on ${origin}`);
      // The probe runs on one of the API's own JSON answers (same origin, nothing else loaded),
      // whose CSP (default-src 'none', decision 0011) forbids that page any connection: what
      // this lab measures is the browser's connections, not a document's policy. Signed in:
      // the streams and the calls need a session (the cookie is the host's, so both listeners get it).
      const context = await stack.signedInContext('user', { bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${origin}/healthz`);
      const result = (await page.evaluate(
        `(${BROWSER_PROBE})(${JSON.stringify({ streams, ...settings.probe })})`,
      )) as ProbeResult;
      await context.close();
      results.push(result);
    }
    return results;
  },
  afterRounds: async ({ stack }) => {
    await stack.admin.setGenerator(0);
  },
  summarise: (rows) => perMode(rows),
  method: (_, { probe }) =>
    `Chromium, one fresh context per point; generator ${EVENTS_PER_SECOND} events/s; ${probe.calls} API calls per point, median; a call pending after ${probe.stallMs / 1000} s counts as stalled`,
  table: (results, { probe }) => ({
    columns: [
      'streams',
      'connected h1',
      'connected h2',
      'API call h1 (ms)',
      'API call h2 (ms)',
      'events/s h1',
      'events/s h2',
      'first event h1 (ms)',
      'first event h2 (ms)',
    ],
    rows: results.tuned.map((tuned, index) => {
      const naive = results.naive[index] as ProbeResult;
      return [
        tuned.streams,
        `${naive.connected}/${naive.streams}`,
        `${tuned.connected}/${tuned.streams}`,
        showMs(callLatency(naive), probe.stallMs),
        showMs(callLatency(tuned), probe.stallMs),
        Math.round(naive.eventsPerSecond),
        Math.round(tuned.eventsPerSecond),
        firstEvent(naive, probe.stallMs),
        firstEvent(tuned, probe.stallMs),
      ];
    }),
  }),
  verdicts: (results, { probe }) => {
    const tunedIdle = callLatency(results.tuned[0] as ProbeResult);
    const tunedBusy = callLatency(results.tuned.at(-1) as ProbeResult);
    const naiveBusy = results.naive.at(-1) as ProbeResult;
    return [
      {
        target: 'HTTP/2: an API call with 8 streams open stays under 2× its latency with none',
        met: tunedIdle !== null && tunedBusy !== null && tunedBusy < 2 * tunedIdle,
        detail: `${showMs(tunedIdle, probe.stallMs)} ms idle → ${showMs(tunedBusy, probe.stallMs)} ms with 8 streams`,
      },
      {
        target: 'HTTP/1.1: the browser cannot hold 8 streams and still call the API',
        met: naiveBusy.connected < 8 || callLatency(naiveBusy) === null,
        detail: `${naiveBusy.connected}/8 streams connected, API call ${showMs(callLatency(naiveBusy), probe.stallMs)}`,
      },
    ];
  },
  chart: (results, { probe }) => ({
    title: 'API call latency (median) while EventSource streams are open',
    xLabel: 'EventSource streams open in the tab',
    yLabel: `ms (a stalled call is drawn at ${probe.stallMs} ms)`,
    name: (mode) => (mode === 'naive' ? 'naive: HTTP/1.1' : 'tuned: HTTP/2'),
    points: (mode) => results[mode].map((result) => ({ x: result.streams, y: callLatency(result) ?? probe.stallMs })),
  }),
});

/** The median latency of the calls that answered, or null when any call stalled. */
export function callLatency(result: ProbeResult): number | null {
  if (result.latencies.some((latency) => latency === null)) return null;
  return result.latencies.length ? median(result.latencies as number[]) : null;
}

/** Median time to first event of the streams that got one; stalled when none did. */
function firstEvent(result: ProbeResult, stallMs: number): string {
  if (result.streams === 0) return '—';
  const stalled = result.streams - result.firstEventMs.length;
  const value = showMs(result.firstEventMs.length ? median(result.firstEventMs) : null, stallMs);
  return stalled > 0 && result.firstEventMs.length > 0 ? `${value} (${stalled} stalled)` : value;
}

function showMs(value: number | null, stallMs: number): string {
  return value === null ? `stalled (>${stallMs / 1000} s)` : value.toFixed(1);
}
