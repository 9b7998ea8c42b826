import { expect, type Page, test } from '@playwright/test';
import { productWebUrl } from './support/api';

const ORDER_PATH = '/orders/0a1b2c3d-0000-4000-8000-000000000000';

/** Every console error or warning of the page from now on (a hydration or Vue warning is one). */
function recordConsoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

test.describe('the first screen, in the HTML before any script runs', () => {
  test.use({ javaScriptEnabled: false });

  for (const [name, origin] of [
    ['the product', productWebUrl],
    ['with the lab layer', () => ''],
  ] as const) {
    test(`the orders page shows its heading, the activity hint and its loading state (${name})`, async ({ page }) => {
      await page.goto(`${origin()}/orders`);
      await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeVisible();
      await expect(page.getByText('Order activity appears here as it happens.')).toBeVisible();
      await expect(page.getByText('Loading orders…')).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([
        'Orders',
        'New order',
        'Customers',
      ]);
    });
  }

  test('the customers page has its own; the new-order form and an order’s page get the plain shell', async ({
    page,
  }) => {
    await page.goto('/customers');
    await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
    for (const path of ['/orders/new', ORDER_PATH]) {
      await page.goto(path);
      await expect(page.locator('#app')).toBeEmpty();
    }
  });
});

test('the app takes the pre-rendered page over without a console error or warning, and shows it once', async ({
  page,
}) => {
  const problems = recordConsoleProblems(page);
  await page.goto(`${productWebUrl()}/orders`);
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toHaveCount(1);
  await expect(page.getByText('Order activity appears here as it happens.')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(3);
  // A link of the pre-rendered page works like the app's own.
  await page.getByRole('link', { name: 'New order' }).first().click();
  await expect(page.getByRole('heading', { name: 'New order', level: 1 })).toBeVisible();
  expect(problems).toEqual([]);
});
