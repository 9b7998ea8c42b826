import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabMode } from '@tandem/contract/labs';
import { createLabAdmin, startApi } from '@tandem/local-stack';
import { launchChromium } from '../lib/browser.js';
import type { LabReport } from '../lib/lab-report.js';
import type { Progress } from '../lib/progress.js';
import { renderLineChart } from '../lib/svg-chart.js';
import { BROWSER_PROBE, type ProbeResult } from './browser-probe.js';

export interface H2SseOptions {
  smoke: boolean;
  progress: Progress;
  /** Reused between runs so the embedded database opens in ~2 s instead of ~10 s. */
  workDir?: string;
}

const EVENTS_PER_SECOND = 50;

/**
 * h2-sse: the same SPA code against the HTTP/1.1-only listener (naive) and the HTTP/2
 * listener (tuned). For 0…8 open EventSources, in a fresh Chromium context each time:
 * how many streams connect, how fast an API call answers while they stay open, how many
 * events per second they deliver and how soon each gets its first event.
 */
export async function measureH2Sse({ smoke, progress, workDir }: H2SseOptions): Promise<LabReport> {
  const streamCounts = smoke ? [0, 8] : [0, 1, 2, 4, 5, 6, 7, 8];
  const probe = {
    calls: smoke ? 5 : 9,
    stallMs: smoke ? 2_000 : 3_000,
    eventsWindowMs: smoke ? 1_000 : 2_000,
    connectWaitMs: smoke ? 1_500 : 2_500,
  };

  progress('starting the API (HTTP/2 listener + HTTP/1.1-only listener)');
  const api = await startApi({ workDir: workDir ?? mkdtempSync(join(tmpdir(), 'tandem-lab-h2-sse-')) });
  const admin = createLabAdmin(api.origin, api.adminToken);
  const browser = await launchChromium();
  const results: Record<LabMode, ProbeResult[]> = { naive: [], tuned: [] };
  try {
    await admin.setGenerator(EVENTS_PER_SECOND, 64);
    for (const mode of ['naive', 'tuned'] as const) {
      await admin.setMode('h2-sse', mode);
      const origin = mode === 'naive' ? api.h1Origin : api.origin;
      for (const streams of streamCounts) {
        progress(`${mode}: ${streams} EventSource stream(s) open on ${origin}`);
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        const page = await context.newPage();
        await page.goto(`${origin}/healthz`);
        const result = (await page.evaluate(
          `(${BROWSER_PROBE})(${JSON.stringify({ streams, ...probe })})`,
        )) as ProbeResult;
        await context.close();
        results[mode].push(result);
      }
    }
    await admin.setGenerator(0);
  } finally {
    await browser.close();
    await api.stop();
  }

  return buildReport(results, { ...probe, smoke });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The median latency of the calls that answered, or null when any call stalled. */
export function callLatency(result: ProbeResult): number | null {
  if (result.latencies.some((latency) => latency === null)) return null;
  return median(result.latencies as number[]);
}

/** Median time to first event of the streams that got one; stalled when none did. */
function firstEvent(result: ProbeResult, stallMs: number): string {
  if (result.streams === 0) return '—';
  const stalled = result.streams - result.firstEventMs.length;
  const value = showMs(median(result.firstEventMs), stallMs);
  return stalled > 0 && result.firstEventMs.length > 0 ? `${value} (${stalled} stalled)` : value;
}

function showMs(value: number | null, stallMs: number): string {
  return value === null ? `stalled (>${stallMs / 1000} s)` : value.toFixed(1);
}

function buildReport(
  results: Record<LabMode, ProbeResult[]>,
  probe: { calls: number; stallMs: number; eventsWindowMs: number; smoke: boolean },
): LabReport {
  const rows = results.tuned.map((tuned, index) => {
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
  });

  const tunedIdle = callLatency(results.tuned[0] as ProbeResult);
  const tunedBusy = callLatency(results.tuned.at(-1) as ProbeResult);
  const naiveBusy = results.naive.at(-1) as ProbeResult;
  const verdicts = [
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

  const stalledAs = probe.stallMs;
  const series = (mode: LabMode, name: string, color: string) => ({
    name,
    color,
    points: results[mode].map((result) => ({ x: result.streams, y: callLatency(result) ?? stalledAs })),
  });
  const chart = renderLineChart({
    title: 'API call latency (median) while EventSource streams are open',
    xLabel: 'EventSource streams open in the tab',
    yLabel: `ms (a stalled call is drawn at ${stalledAs} ms)`,
    series: [series('naive', 'naive: HTTP/1.1', '#dc2626'), series('tuned', 'tuned: HTTP/2', '#059669')],
  });

  return {
    labId: 'h2-sse',
    method: `Chromium, one fresh context per point; generator ${EVENTS_PER_SECOND} events/s; ${probe.calls} API calls per point, median; a call pending after ${probe.stallMs / 1000} s counts as stalled${probe.smoke ? ' (smoke mode)' : ''}.`,
    table: {
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
      rows,
    },
    verdicts,
    raw: results,
    chart,
  };
}
