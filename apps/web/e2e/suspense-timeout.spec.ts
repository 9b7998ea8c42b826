import { expect, type Route, test } from '@playwright/test';
import { DEADLINES, REQUEST_TIMEOUT_HEADER } from '@tandem/contract';
import { createOrder } from './support/api';

// The browser's own deadline: the API is real, and page.route only holds the order's
// answer back until the SPA has given up on it.
test('the order page loads through Suspense, shows a timeout state past the deadline, and loads on "Try again"', async ({
  page,
  request,
}) => {
  // The deadline itself is waited out, on a machine that may be busy.
  test.setTimeout(DEADLINES.clientTimeoutMs + 40_000);
  const order = await createOrder(request, `Suspense Customer ${Date.now()}`);
  let holding = true;
  const held: { deadline: string | null; route: Route }[] = [];
  await page.route(`**/api/v1/orders/${order.id}`, async (route) => {
    if (route.request().method() !== 'GET' || !holding) return route.continue();
    held.push({ deadline: await route.request().headerValue(REQUEST_TIMEOUT_HEADER), route });
  });

  await page.goto(`/orders/${order.id}`);
  // The <Suspense> fallback, while the async setup awaits the order.
  await expect(page.getByText('Loading the order…')).toBeVisible();

  const timeout = page.locator('[data-state="timeout"]');
  await expect(timeout).toBeVisible({ timeout: DEADLINES.clientTimeoutMs + 5_000 });
  await expect(timeout).toHaveAttribute('role', 'alert');
  await expect(timeout).toContainText('The order did not load in time.');
  await expect(timeout).toContainText('TIMEOUT');
  await expect(page.getByText('Loading the order…')).toHaveCount(0);

  // One request; a timeout leaves no time for a retry. The GET is kept simple (no CORS
  // preflight, src/api/request-shaping.ts), so it sends no X-Request-Timeout: the API gives it
  // DEADLINES.serverDefaultMs, and the browser still gives up at DEADLINES.clientTimeoutMs.
  expect(held).toHaveLength(1);
  expect(held[0]?.deadline).toBeNull();

  holding = false;
  await Promise.all(held.map(({ route }) => route.abort().catch(() => undefined)));
  await timeout.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: `Order for ${order.customer}` })).toBeVisible();
  await expect(timeout).toHaveCount(0);
});
