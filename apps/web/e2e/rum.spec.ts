import { readFileSync } from 'node:fs';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { REQUEST_ID_HEADER } from '@tandem/contract';
import { chromiumLaunchOptions } from '@tandem/local-stack';
import { apiDirectUrl, apiLogFile } from './support/api';
import { sumOf } from './support/prometheus-text';

/** The RUM series this visit must move, each as [metric, labels]. */
const EXPECTED = {
  ordersList: ['tandem_rum_api_call_duration_seconds_count', { route: '/api/v1/orders', protocol: 'h2' }],
  orderDetail: ['tandem_rum_api_call_duration_seconds_count', { route: '/api/v1/orders/:id' }],
  detailPhases: ['tandem_rum_api_call_phase_seconds_count', { route: '/api/v1/orders/:id', phase: 'request' }],
  detailAppTime: ['tandem_rum_server_timing_seconds_count', { route: '/api/v1/orders/:id', metric: 'app' }],
  fcp: ['tandem_rum_web_vital_seconds_count', { name: 'FCP', page: 'orders' }],
  ttfb: ['tandem_rum_web_vital_seconds_count', { name: 'TTFB', page: 'orders' }],
  lcp: ['tandem_rum_web_vital_seconds_count', { name: 'LCP', page: 'orders' }],
} as const satisfies Record<string, readonly [string, Record<string, string>]>;
type Counts = Record<keyof typeof EXPECTED, number>;

async function rumCounts(request: APIRequestContext): Promise<Counts> {
  const response = await request.get(`${apiDirectUrl()}/metrics`);
  expect(response.status()).toBe(200);
  const text = await response.text();
  return Object.fromEntries(
    Object.entries(EXPECTED).map(([key, [name, labels]]) => [key, sumOf(text, name, labels)]),
  ) as Counts;
}

/** The `rum api-call` log lines of the API (pino JSON), each with the sample it recorded. */
function rumLogLines(): { rum: Record<string, unknown> }[] {
  return readFileSync(apiLogFile(), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"rum api-call"'))
    .map((line) => JSON.parse(line) as { rum: Record<string, unknown> });
}

// The beacons of a page being left are sent by the browser after the page is gone, on a
// connection of their own (sendBeacon always sends credentials; axios calls do not), so
// they need a TLS handshake with the self-signed API certificate. Playwright's
// ignoreHTTPSErrors does not reach requests detached from their page: without this
// switch those beacons fail now and then. A person who trusted the certificate (README,
// "TLS certificate") has no such problem.
test.use({
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--ignore-certificate-errors'] },
});

test("a visit's web vitals and API calls reach the API's metrics and log by beacon", async ({ page, request }) => {
  // Polls the metrics until the beacons are in: more than the default 30 s on a busy machine.
  test.setTimeout(60_000);
  // Other specs' tabs beacon to the same API: this visit must move the counts, not just find them.
  const before = await rumCounts(request);

  const detailIds: string[] = [];
  page.on('response', async (response) => {
    if (
      /\/api\/v1\/orders\/[0-9a-f-]{36}$/.test(new URL(response.url()).pathname) &&
      response.request().method() === 'GET'
    ) {
      const id = (await response.allHeaders())[REQUEST_ID_HEADER];
      if (id) detailIds.push(id);
    }
  });
  await page.goto('/orders');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(21);
  const firstOrder = rows.nth(1).getByRole('link');
  const customer = (await firstOrder.textContent())?.trim() ?? '';
  await firstOrder.click();
  await expect(page.getByRole('heading', { name: `Order for ${customer}` })).toBeVisible();
  await expect.poll(() => detailIds.length).toBeGreaterThan(0);

  // Leaving the page (pagehide, visibilitychange → hidden) sends what is still queued, LCP included.
  await page.goto('about:blank');

  await expect
    .poll(
      async () => {
        const after = await rumCounts(request);
        return Object.fromEntries(
          Object.entries(after).map(([key, count]) => [key, count > before[key as keyof Counts]]),
        );
      },
      { timeout: 20_000, message: 'every expected tandem_rum_* series grew' },
    )
    .toEqual(Object.fromEntries(Object.keys(EXPECTED).map((key) => [key, true])));

  // The browser's record of the detail call joins the server's log by its request id.
  const [detailId] = detailIds;
  await expect.poll(() => rumLogLines().filter((line) => line.rum.requestId === detailId).length).toBe(1);
  const [line] = rumLogLines().filter((entry) => entry.rum.requestId === detailId);
  expect(line?.rum).toMatchObject({
    type: 'api-call',
    route: '/api/v1/orders/:id',
    method: 'GET',
    status: 200,
    protocol: 'h2',
    page: 'order',
    attempt: 1,
    phases: expect.objectContaining({ requestMs: expect.any(Number), responseMs: expect.any(Number) }),
    server: expect.objectContaining({ appMs: expect.any(Number) }),
  });
});
