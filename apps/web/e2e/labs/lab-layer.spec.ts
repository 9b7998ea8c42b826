import { expect, type Page, test } from '@playwright/test';

/** The path of every request the page sends from now on, in order (its documents, scripts and API calls). */
function recordRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

const mainNavigation = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link');

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
  // The live socket opens on its own schedule after the mount (and again after a drop): poll.
  await expect.poll(() => page.evaluate(() => window.__tandemOpenConnections?.webSockets)).toBe(1);
});
