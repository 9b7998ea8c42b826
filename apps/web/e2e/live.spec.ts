import { expect, type Page, test } from '@playwright/test';
import { createOrder, setOrderStatus } from './support/api';

/** The activity feed of the page, once its stream is open (so no event can slip by before it). */
async function liveFeed(page: Page) {
  const feed = page.getByRole('region', { name: 'Live activity' });
  await expect(feed.getByRole('status')).toHaveText('Live');
  return feed;
}

test('the activity feed shows an order created elsewhere, and the list takes it, without a reload', async ({
  page,
  request,
}) => {
  await page.goto('/orders');
  const feed = await liveFeed(page);
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);

  const customer = `Feed Customer ${Date.now()}`;
  await createOrder(request, customer);

  // Other specs run in parallel and create orders too: look for this one, not the first.
  await expect(feed.getByRole('listitem').filter({ hasText: `Order for ${customer} created — 33.98` })).toHaveCount(1);
  await expect(
    page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: customer }) }),
  ).toHaveCount(1);
});

test('the presence badge says how many clients are online', async ({ page }) => {
  await page.goto('/orders');
  const badge = page.getByRole('banner').getByRole('status');
  await expect(badge).toHaveText(/^\s*[1-9]\d* online$/);
});

test("an order's status is advanced from its detail page; the page and the feed follow", async ({ page, request }) => {
  const order = await createOrder(request, `Status Customer ${Date.now()}`);
  await page.goto(`/orders/${order.id}`);
  const feed = await liveFeed(page);
  const header = page.locator('.order .page__header');
  await expect(header).toContainText('pending');

  await page.getByRole('button', { name: 'Mark as paid' }).click();
  await expect(header).toContainText('paid');
  await expect(
    feed.getByRole('listitem').filter({ hasText: new RegExp(`^Order ${order.id.slice(0, 4)}… pending → paid`) }),
  ).toHaveCount(1);

  // Moved by someone else: the page follows the live event, and offers the next steps.
  await setOrderStatus(request, order.id, 'shipped');
  await expect(header).toContainText('shipped');
  await expect(page.getByRole('button', { name: 'Mark as delivered' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
});

test('a status change that lost the race is explained, and the order is shown as it is now', async ({
  page,
  request,
}) => {
  const order = await createOrder(request, `Race Customer ${Date.now()}`);
  await page.goto(`/orders/${order.id}`);
  await expect(page.getByRole('button', { name: 'Mark as paid' })).toBeVisible();
  await page.route('**/api/v1/orders/*', async (route) => {
    // Someone else cancels the order just before the page's PATCH reaches the API.
    if (route.request().method() === 'PATCH') await setOrderStatus(request, order.id, 'cancelled');
    await route.continue();
  });

  await page.getByRole('button', { name: 'Mark as paid' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The order could not become paid');
  await expect(alert).toContainText('INVALID_STATUS_TRANSITION');
  await expect(alert).toContainText('HTTP 409');
  await expect(page.locator('.order .page__header')).toContainText('cancelled');
  await expect(page.getByText('This order is cancelled: its status is final.')).toBeVisible();
});
