import { expect, test } from '@playwright/test';

test('the orders list loads, newest first, one page at a time', async ({ page }) => {
  await page.goto('/orders');

  await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  // A header row plus one page of the default size (20); the API seeded 60 orders.
  await expect(rows).toHaveCount(21);
  await expect(rows.nth(1).getByRole('link')).toHaveText(/\S/);
  await expect(rows.nth(1).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);

  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(41);
});

test('an order is created and appears in the list', async ({ page }) => {
  const customer = `E2E Customer ${Date.now()}`;
  await page.goto('/orders/new');

  await page.getByLabel('Customer').fill(customer);
  const item = page.getByRole('group', { name: 'Item 1' });
  await item.getByLabel('SKU').fill('TEA-OOLONG-250');
  await item.getByLabel('Qty').fill('2');
  await item.getByLabel('Price').fill('12.50');
  await page.getByRole('button', { name: 'Create order' }).click();

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole('heading', { name: `Order for ${customer}` })).toBeVisible();
  await expect(page.getByText('Order created.')).toBeVisible();
  // The server computed the total: 2 × 12.50.
  await expect(page.locator('.facts')).toContainText('25.00');

  await page.getByRole('link', { name: '← Back to orders' }).click();
  // Among the newest (other specs running in parallel may create orders at the same time,
  // so it need not be the very first row).
  const row = page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: customer }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('pending');
});

test("the server's validation errors are shown beside their fields", async ({ page }) => {
  await page.goto('/orders/new');
  await page.getByLabel('Customer').fill('   ');
  const item = page.getByRole('group', { name: 'Item 1' });
  await item.getByLabel('SKU').fill('not a sku');
  await item.getByLabel('Qty').fill('1');
  await item.getByLabel('Price').fill('3.20');

  const answer = page.waitForResponse(
    (response) => response.request().method() === 'POST' && response.url().endsWith('/api/v1/orders'),
  );
  await page.getByRole('button', { name: 'Create order' }).click();
  const response = await answer;
  expect(response.status()).toBe(400);
  const { data } = (await response.json()) as { data: { error: string; issues: { path: string; message: string }[] } };
  expect(data.error).toBe('VALIDATION_FAILED');
  const messageOf = (path: string) => data.issues.find((issue) => issue.path === path)?.message ?? '';

  // Each message is the server's own, read out with the field it belongs to.
  const sku = item.getByLabel('SKU');
  await expect(sku).toHaveAttribute('aria-invalid', 'true');
  await expect(sku).toHaveAccessibleDescription(messageOf('body.items.0.sku'));
  expect(messageOf('body.items.0.sku')).not.toBe('');

  const customer = page.getByLabel('Customer');
  await expect(customer).toHaveAttribute('aria-invalid', 'true');
  await expect(customer).toHaveAccessibleDescription(messageOf('body.customer'));
  expect(messageOf('body.customer')).not.toBe('');

  await expect(item.getByLabel('Qty')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/orders\/new$/);
});

test('an unknown order is shown as not found', async ({ page }) => {
  await page.goto('/orders/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('heading', { name: 'Order not found' })).toBeVisible();
});
