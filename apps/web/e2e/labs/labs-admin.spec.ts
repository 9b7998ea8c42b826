import { expect, type Page, test } from '@playwright/test';
import { LAB_IDS } from '@tandem/contract/labs';
import { adminToken, apiUrl } from '../support/api';
import { apiH1Url, setLabMode } from './lab-support';

// These flip labs on the shared API, so they run in their own project, after every other
// spec (playwright.config.ts), one at a time, and each puts every lab back to tuned.
test.afterEach(async ({ request }) => {
  for (const id of LAB_IDS) await setLabMode(request, id, 'tuned');
});

const labPanel = (page: Page, id: string) => page.locator(`article[data-lab="${id}"]`);

/** The protocol of every API call the page made after `since` (Resource Timing). */
function apiCallProtocolsSince(page: Page, since: number, origin: string) {
  return page.evaluate(
    ({ since, origin }) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.startTime >= since && entry.name.startsWith(`${origin}/api/`))
        .filter((entry) => entry.initiatorType === 'xmlhttprequest' || entry.initiatorType === 'fetch')
        // A call cancelled before any answer (a query superseded while the page starts) has
        // no protocol to report: only calls that were answered say which one they used.
        .filter((entry) => entry.nextHopProtocol !== '')
        .map((entry) => entry.nextHopProtocol),
    { since, origin },
  );
}

async function enterToken(page: Page, token: string) {
  await page.getByLabel('Admin token').fill(token);
}

test('the Lab console lists every lab with its setting', async ({ page }) => {
  await page.goto('/labs');
  await expect(page.getByRole('article')).toHaveCount(LAB_IDS.length);
  for (const id of LAB_IDS) {
    const panel = labPanel(page, id);
    await expect(panel.getByRole('heading', { level: 2 })).not.toBeEmpty();
    await expect(panel.locator('[data-figure="mode"]')).toHaveText('tuned');
    await expect(panel.getByRole('button', { name: 'Switch to naive' })).toBeVisible();
    await expect(panel).toContainText(`docs/labs/${id}.md`);
  }
  await expect(labPanel(page, 'heartbeat').locator('[data-figure="socket-state"]')).toHaveText('open');
});

test('a wrong token is refused and said so', async ({ page }) => {
  await page.goto('/labs');
  await enterToken(page, 'not-the-token');
  await labPanel(page, 'leaks').getByRole('button', { name: 'Switch to naive' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Wrong token');
  await expect(alert).toContainText('HTTP 401');
  await expect(labPanel(page, 'leaks').locator('[data-figure="mode"]')).toHaveText('tuned');
});

test('an API without lab administration is said so', async ({ page }) => {
  // This API runs with ADMIN_TOKEN. Its real refusal of a wrong token (headers, CORS,
  // envelope) is turned into the 403 an API without one sends, as the catalogue says.
  await page.route('**/api/v1/admin/labs/*', async (route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    const response = await route.fetch();
    const envelope = (await response.json()) as { code: number; message: string; data: { error: string } };
    expect(response.status()).toBe(401);
    envelope.code = 40301;
    envelope.message = 'Lab administration is off: set ADMIN_TOKEN to turn it on.';
    envelope.data.error = 'ADMIN_DISABLED';
    await route.fulfill({ response, status: 403, json: envelope });
  });
  await page.goto('/labs');
  await enterToken(page, 'anything');
  await labPanel(page, 'leaks').getByRole('button', { name: 'Switch to naive' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Lab administration is off: start the API with ADMIN_TOKEN=');
  await expect(alert).toContainText('HTTP 403');
});

test('h2-sse: naive moves the API calls to HTTP/1.1, tuned brings them back to h2', async ({ page }) => {
  await page.goto('/labs');
  await enterToken(page, adminToken());
  const panel = labPanel(page, 'h2-sse');
  await expect(panel.locator('[data-figure="api-origin"]')).toHaveText(apiUrl());

  let since = await page.evaluate(() => performance.now());
  await panel.getByRole('button', { name: 'Switch to naive' }).click();
  await expect(panel.locator('[data-figure="mode"]')).toHaveText('naive');
  await expect(panel.locator('[data-figure="api-origin"]')).toHaveText(apiH1Url());
  await panel.getByRole('button', { name: 'Call the API now' }).click();
  await expect(panel.locator('[data-figure="next-hop-protocol"]')).toContainText('http/1.1');
  const h1Calls = await apiCallProtocolsSince(page, since, apiH1Url());
  expect(h1Calls.length).toBeGreaterThan(0);
  expect(new Set(h1Calls)).toEqual(new Set(['http/1.1']));

  // A page loaded now starts on the HTTP/1.1 listener too.
  await page.goto('/orders');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);
  expect(new Set(await apiCallProtocolsSince(page, 0, apiH1Url()))).toEqual(new Set(['http/1.1']));
  await page.goto('/labs');

  since = await page.evaluate(() => performance.now());
  await panel.getByRole('button', { name: 'Switch to tuned' }).click();
  await expect(panel.locator('[data-figure="mode"]')).toHaveText('tuned');
  await expect(panel.locator('[data-figure="api-origin"]')).toHaveText(apiUrl());
  await panel.getByRole('button', { name: 'Call the API now' }).click();
  await expect(panel.locator('[data-figure="next-hop-protocol"]')).toContainText('h2');
  const h2Calls = await apiCallProtocolsSince(page, since, apiUrl());
  expect(h2Calls.length).toBeGreaterThan(0);
  expect(new Set(h2Calls)).toEqual(new Set(['h2']));
});

test('leaks: naive components leave their streams open after navigation, tuned ones do not', async ({ page }) => {
  const eventSources = () => page.evaluate(() => window.__tandemOpenConnections?.eventSources ?? -1);
  const roundTrips = async (count: number) => {
    for (let round = 0; round < count; round++) {
      await page.getByRole('link', { name: 'Orders', exact: true }).click();
      await expect(page.getByRole('region', { name: 'Live activity' }).getByRole('status')).toHaveText('Live');
      await page.getByRole('link', { name: 'Labs', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Lab console' })).toBeVisible();
    }
  };

  await page.goto('/labs');
  await enterToken(page, adminToken());
  await labPanel(page, 'leaks').getByRole('button', { name: 'Switch to naive' }).click();
  await expect(labPanel(page, 'leaks').locator('[data-figure="mode"]')).toHaveText('naive');
  expect(await eventSources()).toBe(0);

  await roundTrips(3);
  await expect.poll(eventSources).toBe(3);
  await expect(labPanel(page, 'leaks').locator('[data-figure="leaks-event-sources"]')).toHaveText('3');

  await labPanel(page, 'leaks').getByRole('button', { name: 'Switch to tuned' }).click();
  await expect(labPanel(page, 'leaks').locator('[data-figure="mode"]')).toHaveText('tuned');
  await roundTrips(3);
  // The three leaked streams stay (nothing closes them now); no new ones are left behind.
  await expect.poll(eventSources).toBe(3);
});
