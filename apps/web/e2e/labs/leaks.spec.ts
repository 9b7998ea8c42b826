import { expect, type Page, test } from '@playwright/test';

/** The activity feed of the page, once its stream is open. */
async function liveFeed(page: Page) {
  const feed = page.getByRole('region', { name: 'Live activity' });
  await expect(feed.getByRole('status')).toHaveText('Live');
  return feed;
}

/** What the lab layer counts (apps/web/src/labs/open-connections.ts), read from the page. */
const openConnections = (page: Page) =>
  page.evaluate(() => ({ ...(window.__tandemOpenConnections ?? { eventSources: -1, webSockets: -1, timers: -1 }) }));

test('leaving a page closes its stream and timers (leaks lab, tuned)', async ({ page }) => {
  await page.goto('/labs');
  await expect(page.getByRole('heading', { name: 'Lab console' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/online$/);
  const baseline = await openConnections(page);
  expect(baseline).toMatchObject({ eventSources: 0, webSockets: 1 });

  for (let round = 0; round < 5; round++) {
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await liveFeed(page);
    expect((await openConnections(page)).eventSources).toBe(1);
    await page.getByRole('link', { name: 'Labs', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Lab console' })).toBeVisible();
  }
  await expect.poll(() => openConnections(page)).toEqual(baseline);
});
