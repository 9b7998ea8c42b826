import { readMetrics } from '@tandem/local-stack';
import type { Page } from 'playwright-core';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { modeTable } from '../lib/measurement/mode-table.js';

const SERVER_GAUGES = ['tandem_sse_streams_open', 'tandem_ws_connections_open', 'tandem_active_handles'] as const;

interface Counts {
  eventSources: number;
  webSockets: number;
  timers: number;
  serverStreams: number;
  serverSockets: number;
  serverHandles: number;
}

export interface LeaksRun {
  navigations: number;
  before: Counts;
  after: Counts;
  /** Browser EventSources and server streams after each round trip (Orders → New order → Orders). */
  trail: { navigations: number; eventSources: number; serverStreams: number }[];
}

/**
 * leaks: the production SPA in Chromium, navigating between the orders list (which mounts
 * the live activity feed: an EventSource and its timers) and the new-order form, N times.
 * What the tab and the server hold is read before and after, in each setting.
 */
export const leaksLab = defineLab({
  id: 'leaks',
  settings: (smoke) => ({ rounds: 1, navigations: smoke ? 10 : 50 }),
  servers: { api: {}, spa: true, chromium: true },
  measure: async ({ stack, settings: { navigations }, progress }): Promise<LeaksRun> => {
    const { api, web } = stack;
    progress(`${navigations} navigations between Orders and New order`);
    const context = await stack.signedInContext('user');
    const page = await context.newPage();
    await page.goto(`${web.origin}/orders`);
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    await waitForCount(page, 'eventSources', 1);
    // The page the tab opens on mounts before the lab layer has applied this setting (the
    // app paints without waiting for the lab state), so it closes its feed as the product
    // does: one round trip first, and every feed counted is mounted under the setting.
    await navigate(page, 'New order');
    await navigate(page, 'Orders');
    await waitForCount(page, 'eventSources', 1);
    const before = await readCounts(page, api.origin);
    const trail: LeaksRun['trail'] = [];
    for (let n = 0; n < navigations; n += 2) {
      await navigate(page, 'New order');
      await navigate(page, 'Orders');
      await waitForCount(page, 'eventSources', 1);
      if ((n + 2) % 10 === 0 || n + 2 >= navigations) {
        const now = await readCounts(page, api.origin);
        trail.push({ navigations: n + 2, eventSources: now.eventSources, serverStreams: now.serverStreams });
      }
    }
    await page.waitForTimeout(500);
    const after = await readCounts(page, api.origin);
    await context.close();
    // Closing the tab closes everything it held; wait until the server has seen it.
    await waitForServer(api.origin, before.serverStreams - before.eventSources);
    return { navigations, before, after, trail };
  },
  summarise: (rows) => perMode(rows),
  method: ({ tuned }) =>
    `The production SPA in Chromium; ${tuned.navigations} client-side navigations between Orders (mounts the live feed) and New order; browser counts from window.__tandemOpenConnections, server counts from /metrics`,
  table: (results) =>
    modeTable(
      [
        'EventSources in the tab',
        'timers in the tab',
        'SSE streams on the server',
        'WebSockets on the server',
        'active handles on the server',
      ],
      (mode) => {
        const { before, after } = results[mode];
        return [
          delta(before.eventSources, after.eventSources),
          delta(before.timers, after.timers),
          delta(before.serverStreams, after.serverStreams),
          delta(before.serverSockets, after.serverSockets),
          delta(before.serverHandles, after.serverHandles),
        ];
      },
    ),
  verdicts: ({ naive, tuned }) => {
    const navigations = tuned.navigations;
    const naiveGrew = naive.after.eventSources - naive.before.eventSources;
    return [
      {
        target: 'tuned returns to the baseline exactly (tab EventSources, timers, server streams)',
        met:
          tuned.after.eventSources === tuned.before.eventSources &&
          tuned.after.timers === tuned.before.timers &&
          tuned.after.serverStreams === tuned.before.serverStreams,
        detail: `EventSources ${delta(tuned.before.eventSources, tuned.after.eventSources)}, timers ${delta(tuned.before.timers, tuned.after.timers)}, server streams ${delta(tuned.before.serverStreams, tuned.after.serverStreams)}`,
      },
      {
        target: 'naive grows with every visit of the live page',
        met: naiveGrew >= navigations / 2,
        detail: `${naiveGrew} EventSources left open after ${navigations / 2} visits`,
      },
    ];
  },
  chart: (results) => ({
    title: 'EventSources the tab keeps open while navigating',
    xLabel: 'navigations',
    yLabel: 'open EventSources in the tab',
    points: (mode) => [
      { x: 0, y: results[mode].before.eventSources },
      ...results[mode].trail.map((p) => ({ x: p.navigations, y: p.eventSources })),
    ],
  }),
});

async function navigate(page: Page, link: 'Orders' | 'New order') {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { name: link, level: 1 }).waitFor();
}

async function browserCounts(page: Page) {
  return page.evaluate(() => {
    const counts = (window as unknown as { __tandemOpenConnections?: Record<string, number> }).__tandemOpenConnections;
    return {
      eventSources: counts?.eventSources ?? 0,
      webSockets: counts?.webSockets ?? 0,
      timers: counts?.timers ?? 0,
    };
  });
}

async function waitForCount(page: Page, kind: 'eventSources', atLeast: number) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await browserCounts(page))[kind] >= atLeast) return;
    await page.waitForTimeout(50);
  }
}

async function readCounts(page: Page, apiOrigin: string): Promise<Counts> {
  // Let the server register opens and closes that are in flight.
  await page.waitForTimeout(300);
  const browser = await browserCounts(page);
  const server = await readMetrics(apiOrigin, SERVER_GAUGES);
  return {
    ...browser,
    serverStreams: server.tandem_sse_streams_open ?? 0,
    serverSockets: server.tandem_ws_connections_open ?? 0,
    serverHandles: server.tandem_active_handles ?? 0,
  };
}

async function waitForServer(apiOrigin: string, streams: number) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const server = await readMetrics(apiOrigin, SERVER_GAUGES);
    if ((server.tandem_sse_streams_open ?? 0) <= Math.max(0, streams)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function delta(before: number, after: number): string {
  const change = after - before;
  return `${before} → ${after} (${change >= 0 ? '+' : ''}${change})`;
}
