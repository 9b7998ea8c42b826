import type { Browser, Page } from 'playwright-core';
import type { CpuProfile } from './flame-graph.js';
import { InspectorProfiler } from './inspector-profiler.js';
import type { ChromeTrace } from './trace-long-tasks.js';

/**
 * What Chrome DevTools' Performance panel records (its `devtools.timeline` set), plus the
 * V8 sampler (`ProfileChunk` events: the JS functions inside each task) and user timings.
 */
export const BROWSER_TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'disabled-by-default-devtools.timeline.stack',
  'disabled-by-default-v8.cpu_profiler',
  'v8.execute',
  'blink.user_timing',
  'loading',
  'latencyInfo',
  'toplevel',
] as const;

export interface JointRecordingOptions {
  /** The API's inspector port (it was started with `--inspect=127.0.0.1:<port>`). */
  inspectPort: number;
  /** For a browser trace too: the Chromium and the page to trace. */
  browser?: { browser: Browser; page: Page };
  /** Microseconds between CPU samples of the API (default 200). */
  samplingIntervalUs?: number;
  /** What to record: runs while both recorders are on. */
  during: () => Promise<void>;
}

export interface JointRecording {
  /** The API's V8 CPU profile (`.cpuprofile`). */
  cpuProfile: CpuProfile;
  /** The browser's trace as Chromium wrote it (Perfetto / chrome://tracing JSON), when a browser was given. */
  traceJson?: Buffer;
  trace?: ChromeTrace;
  /** Wall clock of the window, ms since the epoch. */
  startedAt: number;
  endedAt: number;
}

/**
 * Records the API's CPU profile and the browser's performance trace over one window:
 * both recorders on, `during()` runs, both off (the trace stops first, so the server's
 * profile covers every request the browser made in it).
 */
export async function recordJointProfile(options: JointRecordingOptions): Promise<JointRecording> {
  const profiler = await InspectorProfiler.connect(options.inspectPort, options.samplingIntervalUs);
  try {
    await profiler.start();
    const tracing = options.browser;
    if (tracing) {
      await tracing.browser.startTracing(tracing.page, { categories: [...BROWSER_TRACE_CATEGORIES] });
    }
    const startedAt = Date.now();
    let traceJson: Buffer | undefined;
    try {
      await options.during();
    } finally {
      if (tracing) traceJson = await tracing.browser.stopTracing();
    }
    const endedAt = Date.now();
    const cpuProfile = await profiler.stop();
    return {
      cpuProfile,
      ...(traceJson ? { traceJson, trace: JSON.parse(traceJson.toString('utf8')) as ChromeTrace } : {}),
      startedAt,
      endedAt,
    };
  } finally {
    profiler.close();
  }
}
