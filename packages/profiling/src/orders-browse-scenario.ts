import type { Page } from 'playwright-core';
import type { Scenario } from './scenario.js';

const STEP_TIMEOUT_MS = 20_000;

/**
 * A person in the SPA: opens the orders list, pages through it ("Load more" twice),
 * opens an order, creates one (the first time round), and again, until the window ends.
 * The window is checked after each step, so a short window still sees the list.
 */
export const ordersBrowse: Scenario = {
  description: 'Chromium on the SPA: orders list → load more ×2 → open an order → create one (once), repeated',
  browser: true,
  async run({ page, webOrigin, seconds, progress }) {
    if (!page || !webOrigin) throw new Error('orders-browse needs the browser and the SPA');
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const deadline = Date.now() + seconds * 1000;
    let created = false;
    const steps: [string, () => Promise<void>][] = [
      ['orders list', () => openList(page, webOrigin)],
      ['load more', () => loadMore(page)],
      ['load more', () => loadMore(page)],
      ['open an order', () => openAnOrder(page)],
      [
        'create an order',
        async () => {
          if (created) return;
          await createOrder(page, webOrigin);
          created = true;
        },
      ],
    ];
    const done: string[] = [];
    for (let index = 0; index === 0 || Date.now() < deadline; index = (index + 1) % steps.length) {
      const step = steps[index];
      if (!step) break;
      await step[1]();
      done.push(step[0]);
    }
    progress(`browser: ${done.length} steps (${[...new Set(done)].join(', ')})`);
  },
};

const rowsOf = (page: Page) => page.getByRole('table').getByRole('row');

async function openList(page: Page, webOrigin: string): Promise<void> {
  await page.goto(`${webOrigin}/orders`);
  await page.getByRole('button', { name: 'Load more' }).waitFor();
}

async function loadMore(page: Page): Promise<void> {
  const rows = rowsOf(page);
  const before = await rows.count();
  await page.getByRole('button', { name: 'Load more' }).click();
  // The next page is in when a row past the old last one is.
  await rows.nth(before).waitFor();
}

async function openAnOrder(page: Page): Promise<void> {
  const rows = rowsOf(page);
  const count = await rows.count();
  await rows
    .nth(1 + Math.floor(Math.random() * Math.max(count - 1, 1)))
    .getByRole('link')
    .click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: /^Order for / }).waitFor();
}

async function createOrder(page: Page, webOrigin: string): Promise<void> {
  await page.goto(`${webOrigin}/orders/new`);
  await page.getByLabel('Customer').fill(`Profiled Customer ${Date.now()}`);
  const item = page.getByRole('group', { name: 'Item 1' });
  await item.getByLabel('SKU').fill('TEA-OOLONG-250');
  await item.getByLabel('Qty').fill('2');
  await item.getByLabel('Price').fill('12.50');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}\?created=1$/);
  await page.getByText('Order created.').waitFor();
}
