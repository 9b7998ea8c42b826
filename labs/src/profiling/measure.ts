import type { LabMode } from '@tandem/contract/labs';
import { median, runH2load } from '@tandem/local-stack';
import {
  BROWSER_TRACE_CATEGORIES,
  type ChromeTrace,
  type CpuProfile,
  type LongTaskFunction,
  longTasks,
  renderFlameGraph,
  shareOfSamples,
} from '@tandem/profiling';
import type { BrowserContext } from 'playwright-core';
import type { LabFile } from '../lib/lab-report.js';
import { defineLab } from '../lib/measurement/define-lab.js';
import { h2loadCpuRun } from '../lib/measurement/h2load-cpu-run.js';
import { medianOf } from '../lib/measurement/median-of.js';
import { modeTable } from '../lib/measurement/mode-table.js';
import { busySamples, recordCpuProfiles } from '../lib/measurement/record-cpu-profiles.js';
import { createCustomers, customerNames } from './create-customers.js';
import { mainThreadTime } from './main-thread-time.js';

const PATH = '/api/v1/reports/customers';
const CONNECTIONS = 2;
const STREAMS = 2;
/** The server's hot function: in both settings, it is where the report sorts by name. */
export const HOT_FUNCTION = 'sortByCustomerName';
/** The Long Tasks API's threshold. */
const LONG_TASK_MS = 50;

export interface ServerRound {
  mode: LabMode;
  round: number;
  succeeded: number;
  non2xx: number;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
}

export interface ServerProfile {
  mode: LabMode;
  /** Share of the busy samples with sortByCustomerName on the stack. */
  hotShare: number;
  samples: number;
}

export interface BrowserView {
  mode: LabMode;
  round: number;
  /** Customers the page lists (the table's aria-rowcount, header excluded). */
  customersListed: number;
  /** Rows the customers table put in the DOM. */
  rowsRendered: number;
  longTasks: number;
  longTasksTotalMs: number;
  longestTaskMs: number;
  scriptingMs: number;
  renderingMs: number;
  /** What the sampler saw inside the longest task (minified names: the production build). */
  longestTaskTop: LongTaskFunction[];
}

export interface ProfilingRun {
  customers: number;
  pinned: boolean;
  rounds: ServerRound[];
  profiles: ServerProfile[];
  views: BrowserView[];
  median: Record<
    LabMode,
    {
      cpuMicrosPerRequest: number;
      requestsPerSecond: number;
      longestTaskMs: number;
      longTasksTotalMs: number;
      longTasks: number;
      scriptingMs: number;
    }
  >;
}

/**
 * profiling: the same view profiled from both ends. The API (on a real PostgreSQL, with
 * its inspector open) holds N customers; h2load asks it for the customers report while
 * the V8 profiler records, and the share of samples in the report's name sort is read
 * from the profile. Then Chromium opens the production SPA's Customers page while a
 * performance trace records, and the trace's long tasks and scripting time are read.
 * Naive and tuned alternate so drift on the machine hits both.
 */
export const profilingLab = defineLab({
  id: 'profiling',
  settings: (smoke) => ({
    rounds: smoke ? 2 : 4,
    customers: smoke ? 1_200 : 3_000,
    // Counted runs (the same requests in both settings), which end when the last answer is in:
    // nghttp2's timed mode can end a run with no answer when a naive request is slower than it.
    requestsPerRun: smoke ? 24 : 120,
  }),
  servers: {
    database: 'postgres',
    splitCpus: true,
    api: { inspector: true, rateLimit: 'lifted' },
    spa: true,
    chromium: true,
  },
  prepare: async ({ stack, settings, progress }) => {
    progress(`creating ${settings.customers} customers`);
    // The customers report aggregates every order: an admin's to read.
    await createCustomers(stack.api.origin, stack.api.sessions.admin, customerNames(settings.customers));
    return {
      load: (requests: number) =>
        runH2load({
          url: `${stack.api.origin}${PATH}`,
          requests,
          expectedSeconds: 10,
          shape: { protocol: 'h2', connections: CONNECTIONS, streams: STREAMS },
          headers: { cookie: stack.api.sessions.admin },
          ...stack.loadCpu,
        }),
    };
  },
  warmUp: ({ ctx, progress }) => {
    progress('warming up (JIT), 8 requests');
    return ctx.load(8);
  },
  measure: async ({ stack, settings, ctx, mode, round, progress }): Promise<ServerRound> => {
    progress(`${settings.requestsPerRun} × GET ${PATH}`);
    const result = await h2loadCpuRun(stack.api.origin, mode, () => ctx.load(settings.requestsPerRun));
    return {
      mode,
      round,
      succeeded: result.succeeded,
      non2xx: result.non2xx,
      requestsPerSecond: result.requestsPerSecond,
      cpuMicrosPerRequest: result.cpuMicrosPerRequest,
    };
  },
  afterRounds: async (run) => {
    const { stack, settings, ctx } = run;
    const recorded = await recordCpuProfiles(run, `${settings.requestsPerRun} requests`, () =>
      ctx.load(settings.requestsPerRun),
    );
    const profiles = (['naive', 'tuned'] as const).map((mode) => summarizeProfile(mode, recorded[mode]));
    const files: LabFile[] = profiles.map((summary) => ({
      name: `flame-${summary.mode}.svg`,
      caption: `API flame graph, ${summary.mode}`,
      content: renderFlameGraph(recorded[summary.mode], {
        title: `profiling lab, ${summary.mode}: API CPU while serving GET ${PATH} (${settings.customers} customers)`,
        subtitle: `${summary.samples} busy samples; ${HOT_FUNCTION} on the stack in ${(100 * summary.hotShare).toFixed(1)} %`,
      }),
    }));
    const views = await run.interleave(settings.rounds, (mode, round, progress) => {
      progress('opening the Customers page under a performance trace');
      // As the admin: the customers report is an admin's (a user gets 403).
      const context = stack.signedInContext('admin', { viewport: { width: 1280, height: 900 } });
      return traceCustomersView(context, stack.web.origin, mode, round, settings.customers);
    });
    return { profiles, files, views: views.map((view) => view.value) };
  },
  summarise: (rows, { stack, settings, extra: { profiles, views } }): ProfilingRun => {
    const rounds = rows.map((row) => row.value);
    const of = <T extends { mode: LabMode }>(items: T[], mode: LabMode) => items.filter((item) => item.mode === mode);
    const summary = (mode: LabMode) => ({
      ...medianOf(of(rounds, mode), ['cpuMicrosPerRequest', 'requestsPerSecond']),
      ...medianOf(of(views, mode), ['longestTaskMs', 'longTasksTotalMs', 'longTasks', 'scriptingMs']),
    });
    return {
      customers: settings.customers,
      pinned: stack.pinned,
      rounds,
      profiles,
      views,
      median: { naive: summary('naive'), tuned: summary('tuned') },
    };
  },
  method: (run, { requestsPerRun }) =>
    `${run.customers} customers on a real PostgreSQL. Server: h2load over HTTP/2 on loopback, ${CONNECTIONS} connections × ${STREAMS} streams, GET ${PATH}, ${run.rounds.length / 2} interleaved runs of ${requestsPerRun} requests per setting (CPU per request from process_cpu_seconds_total, medians), then one run per setting under the V8 profiler (inspector); ${run.pinned ? 'API pinned to CPU 0, h2load and PostgreSQL to CPU 1 (taskset)' : 'no CPU pinning'}. Browser: Chromium opens the production SPA's Customers page ${run.views.length / 2} times per setting, interleaved, under a performance trace (click → table on screen + 500 ms); long tasks > ${LONG_TASK_MS} ms on the renderer main thread, medians`,
  table: (run) =>
    modeTable(
      [
        `${HOT_FUNCTION} share of API CPU`,
        'API CPU per request',
        'req/s',
        'rows in the DOM',
        'long tasks',
        'long tasks total',
        'longest task',
        'scripting',
      ],
      (mode) => {
        const m = run.median[mode];
        return [
          percent(hotShare(run, mode)),
          `${m.cpuMicrosPerRequest.toFixed(0)} µs`,
          m.requestsPerSecond.toFixed(1),
          String(median(run.views.filter((v) => v.mode === mode).map((v) => v.rowsRendered))),
          String(m.longTasks),
          ms(m.longTasksTotalMs),
          ms(m.longestTaskMs),
          ms(m.scriptingMs),
        ];
      },
    ),
  verdicts: (run) => {
    const { median: m } = run;
    const shareGap = (hotShare(run, 'naive') ?? 0) - (hotShare(run, 'tuned') ?? 1);
    const taskRatio = m.naive.longestTaskMs / Math.max(m.tuned.longestTaskMs, 1e-9);
    return [
      {
        target: `the server hot spot shows in naive's profile and goes away in tuned's`,
        met: shareGap >= SMOKE_MIN_HOT_SHARE_GAP,
        detail: `${HOT_FUNCTION} on the stack in ${percent(hotShare(run, 'naive'))} of naive's busy samples, ${percent(hotShare(run, 'tuned'))} of tuned's (the smoke asserts a gap ≥ ${100 * SMOKE_MIN_HOT_SHARE_GAP} points)`,
      },
      {
        target: 'tuned spends less API CPU per request',
        met: m.naive.cpuMicrosPerRequest > m.tuned.cpuMicrosPerRequest,
        detail: `naive ${m.naive.cpuMicrosPerRequest.toFixed(0)} µs vs tuned ${m.tuned.cpuMicrosPerRequest.toFixed(0)} µs per request: ${(m.naive.cpuMicrosPerRequest / m.tuned.cpuMicrosPerRequest).toFixed(1)}×`,
      },
      {
        target: 'the browser hot spot (one long task mounting every row) goes away in tuned',
        met: taskRatio >= SMOKE_MIN_LONGEST_TASK_RATIO,
        detail: `longest main-thread task naive ${ms(m.naive.longestTaskMs)} vs tuned ${ms(m.tuned.longestTaskMs)}: ${taskRatio.toFixed(1)}× (the smoke asserts ≥ ${SMOKE_MIN_LONGEST_TASK_RATIO}×)`,
      },
    ];
  },
  chart: (run) => ({
    title: `Longest main-thread task opening Customers (${run.customers} rows)`,
    xLabel: 'visit (naive and tuned interleaved)',
    yLabel: 'longest task, ms',
    points: (mode) => run.views.filter((v) => v.mode === mode).map((v) => ({ x: v.round, y: v.longestTaskMs })),
  }),
  files: (_, extra) => extra.files,
});

/**
 * One visit: the Orders page loads (and reads the lab settings), then a trace records
 * the click on Customers until its table is on screen and the main thread has settled.
 */
async function traceCustomersView(
  signedInContext: Promise<BrowserContext>,
  webOrigin: string,
  mode: LabMode,
  round: number,
  customers: number,
): Promise<BrowserView> {
  const context = await signedInContext;
  const browser = context.browser();
  try {
    if (!browser) throw new Error('the signed-in context belongs to no browser');
    const page = await context.newPage();
    const labsRead = page.waitForResponse((response) => response.url().includes('/api/v1/labs'));
    await page.goto(`${webOrigin}/orders`);
    await labsRead;
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    // Without the V8 sampler: on a busy machine its overhead stretches every task, the short ones too.
    await browser.startTracing(page, {
      categories: BROWSER_TRACE_CATEGORIES.filter((c) => !c.includes('cpu_profiler')),
    });
    let traceJson: Buffer;
    try {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Customers', exact: true })
        .click();
      await page.locator('.customers-table__row').first().waitFor({ timeout: 60_000 });
      // Let the task that mounted the rows, and the layout and paint after it, finish inside the trace.
      await page.waitForTimeout(500);
    } finally {
      traceJson = await browser.stopTracing();
    }
    const table = page.locator('table.customers-table');
    // The lab layer maps naive → every row, tuned → the virtual list (apps/web/src/labs/lab-seams.ts).
    const expected = mode === 'naive' ? 'all-rows' : 'virtual';
    const rendering = await table.getAttribute('data-rendering');
    if (rendering !== expected)
      throw new Error(`the SPA rendered the customers as ${rendering}, the lab (${mode}) wants ${expected}`);
    const listed = Number(await table.getAttribute('aria-rowcount')) - 1;
    if (listed < customers) throw new Error(`the Customers page lists ${listed} customers, ${customers} were created`);
    const rowsRendered = await page.locator('.customers-table__row').count();

    const trace = JSON.parse(traceJson.toString('utf8')) as ChromeTrace;
    const tasks = longTasks(trace, 0);
    const long = tasks.filter((task) => task.durationMs > LONG_TASK_MS);
    const time = mainThreadTime(trace);
    return {
      mode,
      round,
      customersListed: listed,
      rowsRendered,
      longTasks: long.length,
      longTasksTotalMs: long.reduce((sum, task) => sum + task.durationMs, 0),
      longestTaskMs: tasks[0]?.durationMs ?? 0,
      scriptingMs: time.scriptingMs,
      renderingMs: time.renderingMs,
      longestTaskTop: tasks[0]?.topFunctions ?? [],
    };
  } finally {
    await context.close();
  }
}

function summarizeProfile(mode: LabMode, profile: CpuProfile): ServerProfile {
  return {
    mode,
    hotShare: shareOfSamples(profile, (frame) => frame.functionName === HOT_FUNCTION),
    samples: busySamples(profile),
  };
}

/**
 * The smoke test's margins. The name sort is most of naive's API CPU (one collator per
 * comparison, ~5 µs each) and a small part of tuned's; the gap asserted is far below what
 * the sort costs, so a busy machine cannot close it.
 */
export const SMOKE_MIN_HOT_SHARE_GAP = 0.2;
/** naive's longest browser task ÷ tuned's (medians): mounting every row vs the rows in view. */
export const SMOKE_MIN_LONGEST_TASK_RATIO = 1.5;

const hotShare = (run: ProfilingRun, mode: LabMode) => run.profiles.find((p) => p.mode === mode)?.hotShare;
const percent = (value: number | undefined) => (value === undefined ? '—' : `${(100 * value).toFixed(1)} %`);
const ms = (value: number) => `${value.toFixed(0)} ms`;
