import type { LabMode } from '@tandem/contract/labs';
import { fetchMetricsText, parseMetricSamples } from '@tandem/local-stack';
import type { Page, Request } from 'playwright-core';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { modeTable } from '../lib/measurement/mode-table.js';

/** One API call the SPA made, as Chromium sent it (preflights are not requests of the page). */
export interface SeenCall {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The request headers that make it non-simple (custom ones, a non-simple Content-Type), sorted. */
  nonSimpleHeaders: string[];
}

export interface CallTiming {
  path: string;
  /** Resource Timing `duration`: from the call's start to its last byte. */
  durationMs: number;
  /** `requestStart - startTime`: what happened before the request itself went out, a preflight included. */
  beforeRequestMs: number;
}

export interface CorsPreflightRun {
  mode: LabMode;
  calls: number;
  creates: number;
  orderPagesVisited: number;
  /** OPTIONS requests the API answered during the run (tandem_http_requests_total{method="OPTIONS"}). */
  preflights: number;
  preflightsPer100Calls: number;
  /** Distinct (method, non-simple header set) among the calls that needed a preflight. */
  nonSimpleKinds: string[];
  nonSimpleCalls: number;
  distinctUrls: number;
  timings: CallTiming[];
  meanDurationMs: number;
  meanBeforeRequestMs: number;
  /** Calls made and preflights so far, after each step. */
  trail: { calls: number; preflights: number }[];
}

/** Request headers a page may set and still send a simple request (the Fetch standard's safelist, in short). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language']);
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** What the browser adds itself; never a reason for a preflight. */
const BROWSER_SET = /^(user-agent|referer|origin|cookie|host|connection|sec-.*|:.*)$/;

export function nonSimpleHeadersOf(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name, value]) => {
      const lower = name.toLowerCase();
      if (SAFELISTED.has(lower) || BROWSER_SET.test(lower)) return false;
      if (lower === 'content-type') return !SIMPLE_CONTENT_TYPES.has(value.split(';')[0]?.trim().toLowerCase() ?? '');
      return true;
    })
    .map(([name]) => name.toLowerCase())
    .sort();
}

/** Every this-many steps of the walk, a create instead of an order's page. */
const CREATE_EVERY = 8;

/**
 * cors-preflight: the production SPA in Chromium, cross-origin to the real API, makes about
 * N API calls the way a person would (orders list → an order's page → back, a create now and
 * then), once per setting, each in a fresh browser context (an empty preflight cache). The
 * API counts the preflights it answers; Resource Timing gives each call's time.
 */
export const corsPreflightLab = defineLab({
  id: 'cors-preflight',
  settings: (smoke) => ({ rounds: 1, targetCalls: smoke ? 30 : 100 }),
  servers: { api: { rateLimit: 'lifted' }, spa: true, chromium: true },
  measure: async ({ stack, settings: { targetCalls }, mode, progress }) => {
    const { api, web } = stack;
    progress(`~${targetCalls} API calls through the SPA (list → order → back, a create every ${CREATE_EVERY})`);
    // Signed in (as the seeded orders' owner): every call is credentialed, as the product's are.
    const context = await stack.signedInContext('user');
    const page = await context.newPage();
    await page.addInitScript(() => performance.setResourceTimingBufferSize(5_000));
    const calls: SeenCall[] = [];
    page.on('request', (request: Request) => {
      if (!request.url().startsWith(`${api.origin}/`) || request.method() === 'OPTIONS') return;
      if (request.resourceType() !== 'xhr' && request.resourceType() !== 'fetch') return;
      calls.push({
        method: request.method(),
        path: new URL(request.url()).pathname,
        nonSimpleHeaders: nonSimpleHeadersOf(request.headers()),
      });
    });
    const preflightsAtStart = await optionsAnswered(api.origin);
    const trail: CorsPreflightRun['trail'] = [{ calls: 0, preflights: 0 }];
    await page.goto(`${web.origin}/orders`);
    await listShown(page);
    let step = 0;
    let creates = 0;
    let orderPagesVisited = 0;
    while (calls.length < targetCalls) {
      step++;
      if (step % CREATE_EVERY === 0) {
        await createOrder(page, `cors-preflight lab ${mode} ${step}`);
        creates++;
      } else {
        // Rows 1…20 of the first page in turn: many distinct URLs, each revisited a while later.
        await openOrder(page, 1 + ((step - 1) % 20));
        orderPagesVisited++;
      }
      await page.getByRole('link', { name: '← Back to orders' }).click();
      await listShown(page);
      trail.push({ calls: calls.length, preflights: (await optionsAnswered(api.origin)) - preflightsAtStart });
    }
    // Let the last answers land in Resource Timing and the server's counters.
    await page.waitForTimeout(300);
    const preflights = (await optionsAnswered(api.origin)) - preflightsAtStart;
    const timings = await callTimings(page, api.origin);
    await context.close();
    progress(`${calls.length} calls, ${preflights} preflights`);
    return summariseWalk(mode, calls, preflights, timings, trail, creates, orderPagesVisited);
  },
  summarise: (rows) => perMode(rows),
  method: (_, { targetCalls }) =>
    `The production SPA in Chromium, cross-origin to the real API (HTTP/2, loopback); one fresh browser context per setting; orders list → an order's page → back (rows 1–20 in turn), a create every ${CREATE_EVERY}th step, until at least ${targetCalls} API calls per setting; preflights counted by the API (tandem_http_requests_total{method="OPTIONS"}), call times from Resource Timing`,
  table: (runs) =>
    modeTable(
      [
        'API calls',
        'non-simple calls',
        'preflights (OPTIONS)',
        'preflights / 100 calls',
        'kinds of non-simple call',
        'mean call time (ms)',
        'mean time before the request went out (ms)',
      ],
      (mode) => {
        const run = runs[mode];
        return [
          String(run.calls),
          String(run.nonSimpleCalls),
          String(run.preflights),
          run.preflightsPer100Calls.toFixed(1),
          String(run.nonSimpleKinds.length),
          run.meanDurationMs.toFixed(1),
          run.meanBeforeRequestMs.toFixed(1),
        ];
      },
    ),
  verdicts: ({ naive, tuned }) => {
    const addedMs = naive.meanDurationMs - tuned.meanDurationMs;
    return [
      {
        target: 'tuned: ≤ 1 preflight per distinct (method, header set) per max-age window',
        met: tuned.preflights <= Math.max(1, tuned.nonSimpleKinds.length),
        detail: `${tuned.preflights} preflights for ${tuned.nonSimpleKinds.length} kind(s) of non-simple call (${tuned.nonSimpleKinds.join('; ') || 'none'}) in ${tuned.calls} calls`,
      },
      {
        target: 'naive: most calls wait for a preflight',
        met: naive.preflightsPer100Calls >= 50,
        detail: `${naive.preflightsPer100Calls.toFixed(1)} preflights per 100 calls (${naive.distinctUrls} distinct URLs)`,
      },
      {
        target: 'added latency per call (naive − tuned, mean)',
        met: addedMs > 0,
        detail: `${addedMs.toFixed(1)} ms (${naive.meanDurationMs.toFixed(1)} → ${tuned.meanDurationMs.toFixed(1)} ms)`,
      },
    ];
  },
  chart: (runs) => ({
    title: 'CORS preflights while the SPA makes API calls (Chromium)',
    xLabel: 'API calls made',
    yLabel: 'preflights (OPTIONS) so far',
    points: (mode) => runs[mode].trail.map((point) => ({ x: point.calls, y: point.preflights })),
  }),
});

async function listShown(page: Page) {
  await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
  await page.getByRole('table').getByRole('row').nth(20).waitFor();
}

async function openOrder(page: Page, row: number) {
  await page.getByRole('table').getByRole('row').nth(row).getByRole('link').click();
  await page.getByRole('heading', { name: /^Order for / }).waitFor();
}

async function createOrder(page: Page, customer: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New order', exact: true }).click();
  await page.getByLabel('Customer').fill(customer);
  const item = page.getByRole('group', { name: 'Item 1' });
  await item.getByLabel('SKU').fill('LAB-CORS-PREFLIGHT');
  await item.getByLabel('Qty').fill('1');
  await item.getByLabel('Price').fill('1.00');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('heading', { name: `Order for ${customer}` }).waitFor();
}

/** The API calls' Resource Timing entries (the API sends Timing-Allow-Origin, so the phases are visible). */
async function callTimings(page: Page, apiOrigin: string): Promise<CallTiming[]> {
  return page.evaluate((origin) => {
    return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter(
        (entry) =>
          entry.name.startsWith(`${origin}/`) &&
          (entry.initiatorType === 'xmlhttprequest' || entry.initiatorType === 'fetch') &&
          entry.requestStart > 0,
      )
      .map((entry) => ({
        path: new URL(entry.name).pathname,
        durationMs: entry.duration,
        beforeRequestMs: entry.requestStart - entry.startTime,
      }));
  }, apiOrigin);
}

/** OPTIONS requests the API has answered so far, from its /metrics. */
async function optionsAnswered(origin: string): Promise<number> {
  return parseMetricSamples(await fetchMetricsText(origin))
    .filter((sample) => sample.name === 'tandem_http_requests_total' && sample.labels.method === 'OPTIONS')
    .reduce((total, sample) => total + sample.value, 0);
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0);

function summariseWalk(
  mode: LabMode,
  calls: SeenCall[],
  preflights: number,
  timings: CallTiming[],
  trail: CorsPreflightRun['trail'],
  creates: number,
  orderPagesVisited: number,
): CorsPreflightRun {
  const nonSimple = calls.filter((call) => call.nonSimpleHeaders.length > 0);
  return {
    mode,
    calls: calls.length,
    creates,
    orderPagesVisited,
    preflights,
    preflightsPer100Calls: calls.length ? (100 * preflights) / calls.length : 0,
    nonSimpleKinds: [...new Set(nonSimple.map((call) => `${call.method} ${call.nonSimpleHeaders.join(',')}`))],
    nonSimpleCalls: nonSimple.length,
    distinctUrls: new Set(calls.map((call) => `${call.method} ${call.path}`)).size,
    timings,
    meanDurationMs: mean(timings.map((timing) => timing.durationMs)),
    meanBeforeRequestMs: mean(timings.map((timing) => timing.beforeRequestMs)),
    trail,
  };
}
