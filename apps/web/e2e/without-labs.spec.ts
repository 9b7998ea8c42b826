import { expect, type Page, test } from '@playwright/test';
import { productWebUrl } from './support/api';

/** The path of every request the page sends from now on, in order (its documents, scripts and API calls). */
function recordRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

const mainNavigation = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link');

test('the product without the lab layer loads none of it and asks nothing about labs', async ({ page }) => {
  const requests = recordRequests(page);
  await page.goto(`${productWebUrl()}/orders`);
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);
  await expect(page.getByRole('region', { name: 'Live activity' }).getByRole('status')).toHaveText('Live');

  await expect(mainNavigation(page)).toHaveText(['Orders', 'New order', 'Customers']);
  expect(requests.filter((path) => path.startsWith('/api/v1/labs'))).toEqual([]);
  expect(requests.filter((path) => /\/assets\/(?:install-labs|LabsPage|open-connections)-/.test(path))).toEqual([]);
  expect(await page.evaluate(() => '__tandemOpenConnections' in window)).toBe(false);

  // No Lab console either: its address is an unknown page.
  await page.goto(`${productWebUrl()}/labs`);
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
});
