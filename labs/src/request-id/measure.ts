import { readFileSync, statSync } from 'node:fs';
import { REQUEST_ID_HEADER } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import { type BrowserRecord, collectBrowserRecords, collectRequestTrace, parseServerTiming } from '@tandem/local-stack';
import type { Page } from 'playwright-core';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { modeTable } from '../lib/measurement/mode-table.js';

/** One browser record (a `rum api-call` line) and what the API's log says under its id. */
export interface JoinedCall {
  route: string;
  requestId: string;
  /** The HTTP status the browser got; 0: no answer (cancelled, failed), so no Server-Timing to find. */
  status: number;
  /** A line of the API's own (not the RUM beacon's) carries this id. */
  serverLine: boolean;
  /** That request's completion line names the Server-Timing it was sent with. */
  serverTiming: boolean;
  /** The Server-Timing the browser read back equals the one the server logged. */
  readBackMatches: boolean;
}

export interface RequestIdModeRun {
  /** API calls Chromium made (OPTIONS preflights and RUM beacons not counted). */
  callsMade: number;
  /** Of those, the calls that carried X-Request-ID. */
  callsWithId: number;
  /** Of those, the answers that named an X-Request-ID. */
  answersWithId: number;
  /** Browser records the API logged (`rum api-call` lines of this run). */
  records: number;
  /** Records of calls that got an answer (status > 0): the ones a server line can be found for. */
  answered: number;
  joined: JoinedCall[];
  /** Answered records whose server line and Server-Timing were found by their id. */
  found: number;
  /** `found / answered`, 0…1. */
  share: number;
}

export interface RequestIdRun {
  loadMoreClicks: number;
  modes: Record<LabMode, RequestIdModeRun>;
}

/** The orders list's smallest page size, so there are pages enough to load one by one. */
const PAGE_SIZE = '10';

/**
 * request-id: the production SPA in Chromium against the real API writing its pino log to a
 * file. In each setting the tab opens the orders list and loads N more pages (one API call
 * each), then leaves, so RUM beacons its records (pagehide). Every browser record the API
 * logged (`rum api-call`) is looked up by its id in the same log with the trace module
 * (`pnpm trace`'s reader, @tandem/local-stack): is there a server line, and its Server-Timing?
 */
export const requestIdLab = defineLab({
  id: 'request-id',
  settings: (smoke) => ({ rounds: 1, loadMoreClicks: smoke ? 15 : 60 }),
  servers: {
    // A folder of its own inside the shared one: labs that run at the same time would
    // otherwise open its database and write to its log.
    ownFolder: true,
    api: {
      note: 'LOG_LEVEL=info, pino lines to a file',
      logFile: 'api.ndjson',
      env: { LOG_LEVEL: 'info' },
      rateLimit: 'lifted',
    },
    spa: true,
    // The beacons of a page being left are sent after the page is gone, on a connection of
    // their own, which Playwright's ignoreHTTPSErrors does not reach, so against the
    // self-signed API certificate they would be lost now and then (as in apps/web/e2e/rum.spec.ts).
    chromium: { args: ['--ignore-certificate-errors'] },
  },
  measure: async ({ stack, settings: { loadMoreClicks }, progress }) => {
    const { api, web, apiLogFile } = stack;
    progress(`the orders list, then ${loadMoreClicks} × "Load more", then leave (RUM beacons)`);
    const logStart = statSync(apiLogFile).size;
    const context = await stack.signedInContext('user');
    const page = await context.newPage();
    const calls = watchApiCalls(page, api.origin);
    await page.goto(`${web.origin}/orders`);
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    // The first page first: changing the page size while it loads would cancel it.
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    await nextListAnswer(page, () => page.getByLabel('Page size').selectOption(PAGE_SIZE));
    for (let n = 0; n < loadMoreClicks; n++) {
      await nextListAnswer(page, () => page.getByRole('button', { name: 'Load more' }).click());
    }
    // Leaving fires pagehide: RUM sends what it holds with sendBeacon.
    await page.goto('about:blank');
    const lines = await waitForRecords(apiLogFile, logStart, calls.made.length);
    await context.close();
    const result = await joinRecords(lines, calls);
    progress(`${result.records} browser records, ${result.found} found on the server with their Server-Timing`);
    return result;
  },
  summarise: (rows, { settings }): RequestIdRun => ({
    loadMoreClicks: settings.loadMoreClicks,
    modes: perMode(rows),
  }),
  method: (run) =>
    `The production SPA in Chromium: the orders list, page size ${PAGE_SIZE}, ${run.loadMoreClicks} × "Load more" (one API call each, plus the calls of the first load), then leaving the page so RUM beacons its records. Each browser record (a \`rum api-call\` line of the API's pino log) is looked up by its id in the same log with pnpm trace's reader`,
  table: (run) =>
    modeTable(
      [
        'API calls made',
        'sent X-Request-ID',
        'answer named an id',
        'browser records',
        'no answer',
        'server log line found',
        'Server-Timing found',
        'read-back = logged',
        'share found',
      ],
      (mode) => {
        const result = run.modes[mode];
        const count = (pick: (call: JoinedCall) => boolean) => result.joined.filter(pick).length;
        return [
          String(result.callsMade),
          String(result.callsWithId),
          String(result.answersWithId),
          String(result.records),
          String(result.records - result.answered),
          String(count((call) => call.serverLine)),
          String(count((call) => call.serverTiming)),
          String(count((call) => call.readBackMatches)),
          percent(result.share),
        ];
      },
    ),
  verdicts: ({ modes: { naive, tuned } }) => [
    {
      target: 'tuned: 100% of answered browser records found on the server, with their Server-Timing',
      met: tuned.answered >= tuned.callsMade && tuned.found === tuned.answered && tuned.answered > 0,
      detail: `${tuned.found} of ${tuned.answered} answered records (${tuned.callsMade} calls made, ${tuned.callsWithId} sent an id, ${tuned.answersWithId} answers named one)`,
    },
    {
      target: 'naive: at most 10% found (each side names the call with an id of its own)',
      met: naive.answered >= naive.callsMade && naive.share <= 0.1,
      detail: `${naive.found} of ${naive.answered} answered records (${naive.callsWithId} calls sent an id: made before the tab had read the lab state)`,
    },
  ],
  chart: (run) => ({
    title: 'Browser API-call records found in the server log by id',
    xLabel: 'browser records (in the order RUM sent them)',
    yLabel: 'found so far (%)',
    points: (mode) => cumulativeShare(run.modes[mode].joined),
  }),
});

interface ApiCalls {
  made: { withId: boolean; answeredWithId: boolean }[];
}

/**
 * Counts the product's API calls the tab makes: not CORS preflights, not the RUM beacons,
 * and not the lab layer's own reads of the lab state (RUM records the product's routes only).
 */
function watchApiCalls(page: Page, apiOrigin: string): ApiCalls {
  const calls: ApiCalls = { made: [] };
  page.on('requestfinished', async (request) => {
    const url = request.url();
    if (!url.startsWith(`${apiOrigin}/api/`) || request.method() === 'OPTIONS') return;
    const path = new URL(url).pathname;
    if (path === '/api/v1/rum' || path === '/api/v1/labs' || path.startsWith('/api/v1/admin/')) return;
    const response = await request.response();
    calls.made.push({
      withId: (await request.allHeaders())[REQUEST_ID_HEADER] !== undefined,
      answeredWithId: (await response?.allHeaders())?.[REQUEST_ID_HEADER] !== undefined,
    });
  });
  return calls;
}

/** Does `action` and waits for the orders list's answer it causes. */
async function nextListAnswer(page: Page, action: () => Promise<unknown>): Promise<void> {
  const answer = page.waitForResponse(
    (response) => response.request().method() === 'GET' && new URL(response.url()).pathname === '/api/v1/orders',
  );
  await action();
  await answer;
  // The next "Load more" is there once the page has rendered the answer.
  await page.waitForTimeout(20);
}

/** The log lines written since `from`, once the `rum api-call` lines number `expected` (or 15 s have passed). */
async function waitForRecords(logFile: string, from: number, expected: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lines = readFileSync(logFile).subarray(from).toString('utf8').split('\n');
    const records = await collectBrowserRecords(lines);
    if (records.length >= expected || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Each browser record, looked up by its id in the API's log the way `pnpm trace <id>` does. */
async function joinRecords(lines: string[], calls: ApiCalls): Promise<RequestIdModeRun> {
  const records = await collectBrowserRecords(lines);
  const joined: JoinedCall[] = [];
  for (const record of records) joined.push(await joinRecord(lines, record));
  const answered = joined.filter((call) => call.status > 0).length;
  const found = joined.filter(isFound).length;
  return {
    callsMade: calls.made.length,
    callsWithId: calls.made.filter((call) => call.withId).length,
    answersWithId: calls.made.filter((call) => call.answeredWithId).length,
    records: records.length,
    answered,
    joined,
    found,
    share: answered ? found / answered : 0,
  };
}

async function joinRecord(lines: string[], { sample }: BrowserRecord): Promise<JoinedCall> {
  const trace = await collectRequestTrace(lines, sample.requestId);
  const logged = trace.server.find((line) => line.serverTiming !== undefined)?.serverTiming;
  const server = logged ? parseServerTiming(logged) : undefined;
  return {
    route: `${sample.method} ${sample.route}`,
    requestId: sample.requestId,
    status: sample.status,
    serverLine: trace.server.length > 0,
    serverTiming: logged !== undefined,
    readBackMatches:
      server !== undefined &&
      sample.server !== undefined &&
      server.appMs === sample.server.appMs &&
      server.dbMs === sample.server.dbMs,
  };
}

const isFound = (call: JoinedCall) => call.status > 0 && call.serverLine && call.serverTiming;

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function cumulativeShare(joined: JoinedCall[]): { x: number; y: number }[] {
  let found = 0;
  return joined.map((call, index) => {
    if (isFound(call)) found++;
    return { x: index + 1, y: Math.round((1000 * found) / (index + 1)) / 10 };
  });
}
