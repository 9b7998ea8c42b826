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
  expect(await page.evaluate(() => window.__tandemOpenConnections)).toBeUndefined();

  // No Lab console either: its address is an unknown page.
  await page.goto(`${productWebUrl()}/labs`);
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
});

test('with the lab layer the lab state is read before the first product call, and the Lab console is linked', async ({
  page,
}) => {
  const requests = recordRequests(page);
  await page.goto('/orders');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);

  await expect(mainNavigation(page)).toHaveText(['Orders', 'New order', 'Customers', 'Labs']);
  const api = requests.filter((path) => path.startsWith('/api/'));
  // The labs' settings (API origin, headers, retries) hold from the first call of the session.
  expect(api[0]).toBe('/api/v1/labs');
  expect(api).toContain('/api/version');
  expect(await page.evaluate(() => window.__tandemOpenConnections?.webSockets)).toBe(1);
});
