import { expect, type Page, type Response, test } from '@playwright/test';
import { apiDirectUrl } from './support/api';

/**
 * The SPA learns its API version at start (GET /api/version), then loads that version's
 * module with import(): a v1 client never downloads v2's chunk nor calls /api/v2, and a
 * canary client (?canary=v2) shows the same orders through v2's shape (money in minor units).
 */

interface MoneyV2Wire {
  amountMinor: number;
  currency: string;
}
interface OrderV2Wire {
  id: string;
  customerName: string;
  total: MoneyV2Wire;
}
interface OrderV1Wire {
  id: string;
  customer: string;
  total: number;
}
interface AssignmentWire {
  version: string;
  reason: string;
  bucket: number;
  v2Share: number;
}

const V1_CHUNK = /\/assets\/api-v1-[^/]+\.js$/;
const V2_CHUNK = /\/assets\/api-v2-[^/]+\.js$/;

/** Every URL the page requests from now on. */
function requestedUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

function answerOf(page: Page, method: string, pathname: string): Promise<Response> {
  return page.waitForResponse(
    (response) => response.request().method() === method && new URL(response.url()).pathname === pathname,
  );
}

const pathsOf = (urls: readonly string[]) => urls.map((url) => new URL(url).pathname);
const dataOf = async <T>(response: Response) => ((await response.json()) as { data: T }).data;

test('a v1 visit loads only the v1 module, calls only /api/v1 and renders the orders', async ({ page }) => {
  const urls = requestedUrls(page);
  const version = answerOf(page, 'GET', '/api/version');
  const list = answerOf(page, 'GET', '/api/v1/orders');
  await page.goto('/orders');

  const versionAnswer = await version;
  const assignment = await dataOf<AssignmentWire>(versionAnswer);
  // The API starts with v2's share at 0, so a client that asks for nothing is on v1.
  expect(assignment).toMatchObject({ version: 'v1', reason: 'share', v2Share: 0 });
  expect(await versionAnswer.headerValue('api-version')).toBe('v1');
  expect(await (await list).headerValue('api-version')).toBe('v1');

  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(21);
  await expect(page.locator('.api-version')).toHaveText('API v1');

  expect(urls.filter((url) => V1_CHUNK.test(url))).toHaveLength(1);
  expect(urls.filter((url) => V2_CHUNK.test(url))).toEqual([]);
  expect(pathsOf(urls).filter((path) => path.startsWith('/api/v2/'))).toEqual([]);

  // The version check is sent with credentials (every call is): the bucket cookie comes back, and
  // the client keeps its bucket.
  const again = answerOf(page, 'GET', '/api/version');
  await page.reload();
  const againAnswer = await again;
  expect(await againAnswer.request().headerValue('cookie')).toMatch(/(^|;\s*)tandem_canary_bucket=\d+/);
  expect((await dataOf<AssignmentWire>(againAnswer)).bucket).toBe(assignment.bucket);
  expect(urls.filter((url) => V2_CHUNK.test(url))).toEqual([]);
});

test('?canary=v2 loads the v2 module, calls /api/v2 and renders the same orders with exact money', async ({
  page,
  request,
}) => {
  const urls = requestedUrls(page);
  const version = answerOf(page, 'GET', '/api/version');
  const list = answerOf(page, 'GET', '/api/v2/orders');
  await page.goto('/orders?canary=v2');

  const versionAnswer = await version;
  expect(await versionAnswer.request().headerValue('x-api-canary')).toBe('v2');
  expect(await dataOf<AssignmentWire>(versionAnswer)).toMatchObject({ version: 'v2', reason: 'header' });
  expect(await versionAnswer.headerValue('api-version')).toBe('v2');

  const listAnswer = await list;
  expect(await listAnswer.headerValue('api-version')).toBe('v2');
  const { items } = await dataOf<{ items: OrderV2Wire[] }>(listAnswer);
  expect(items).toHaveLength(20);

  // Rows are found by order id, not position: other specs create orders on the same API,
  // and the live updates put them on top of the list while this test reads it.
  const rowOf = (id: string) =>
    page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.locator(`a[href$="/orders/${id}"]`) });
  await expect(rowOf(items.at(-1)?.id ?? '')).toHaveCount(1);
  await expect(page.locator('.api-version')).toHaveText('API v2 (canary)');
  expect(urls.filter((url) => V2_CHUNK.test(url))).toHaveLength(1);
  expect(urls.filter((url) => V1_CHUNK.test(url))).toEqual([]);
  expect(pathsOf(urls).filter((path) => path.startsWith('/api/v1/orders'))).toEqual([]);

  // The same orders as v1 answers them: names renamed, totals the same cents.
  const v1Answer = await request.get(`${apiDirectUrl()}/api/v1/orders/batch?ids=${items.map((o) => o.id).join(',')}`, {
    ignoreHTTPSErrors: true,
  });
  expect(v1Answer.status()).toBe(200);
  const v1Orders = (await v1Answer.json()).data.items as OrderV1Wire[];
  expect(v1Orders.map((order) => [order.id, order.customer, Math.round(order.total * 100)])).toEqual(
    items.map((order) => [order.id, order.customerName, order.total.amountMinor]),
  );

  // Each row shows its v2 total to the cent: the expected text is formatted in the page
  // from the decimal string of the minor units, never through a float.
  const expected = await page.evaluate(
    (cents) =>
      cents.map((minor) =>
        new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
          `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}` as `${number}`,
        ),
      ),
    items.map((order) => order.total.amountMinor),
  );
  for (const [index, order] of items.entries()) {
    const row = rowOf(order.id);
    await expect(row.getByRole('link')).toHaveText(order.customerName);
    await expect(row.locator('td.num')).toHaveText(expected[index] ?? '');
  }

  // An order's page reads it through v2 too.
  const first = items[0] as OrderV2Wire;
  const detail = answerOf(page, 'GET', `/api/v2/orders/${first.id}`);
  await rowOf(first.id).getByRole('link').click();
  expect(await (await detail).headerValue('api-version')).toBe('v2');
  await expect(page.getByRole('heading', { name: `Order for ${first.customerName}` })).toBeVisible();
  await expect(page.locator('.facts')).toContainText(expected[0] ?? '');
});

test('a failed version check starts the app on v1 and says so in the footer', async ({ page }) => {
  await page.route('**/api/version', (route) => route.abort('connectionrefused'));
  const urls = requestedUrls(page);
  await page.goto('/orders?canary=v2');

  await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);
  await expect(page.locator('.api-version')).toHaveText('API v1 (fallback)');
  await expect(page.locator('.site-footer')).toContainText('running API v1: the version check failed');
  expect(urls.filter((url) => V2_CHUNK.test(url))).toEqual([]);
  expect(pathsOf(urls).filter((path) => path.startsWith('/api/v2/'))).toEqual([]);
});
