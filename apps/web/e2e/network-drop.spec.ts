import { expect, test } from '@playwright/test';
import { createOrder, setNetwork } from './support/api';
import { openConnections, trackOpenConnections } from './support/open-connections';

// Cutting the network cuts it for every tab: this runs in the shared-state project
// (playwright.config.ts), alone, after the specs that run in parallel.
test.afterEach(() => setNetwork('up'));

test('after a network drop the feed resumes without losing an event, and the badge comes back', async ({
  page,
  request,
}) => {
  await trackOpenConnections(page);
  await page.goto('/orders');
  const feed = page.getByRole('region', { name: 'Live activity' });
  const badge = page.getByRole('banner').getByRole('status');
  await expect(feed.getByRole('status')).toHaveText('Live');
  await expect(badge).toHaveText(/online$/);
  // One event first, so the stream has an id to resume from.
  const before = `Before Drop ${Date.now()}`;
  await createOrder(request, before);
  await expect(feed.getByRole('listitem').first()).toContainText(`Order for ${before} created`);

  await setNetwork('down');
  await expect(feed.getByRole('status')).toHaveText('Reconnecting…');
  await expect(badge).toHaveText(/Connecting…/);

  // Created while this tab is cut off: it arrives through Last-Event-ID when the stream resumes.
  const customer = `While Offline ${Date.now()}`;
  await createOrder(request, customer);

  await setNetwork('up');
  await expect(feed.getByRole('status')).toHaveText('Live', { timeout: 15_000 });
  await expect(badge).toHaveText(/online$/, { timeout: 15_000 });
  await expect(feed.getByRole('listitem').first()).toContainText(`Order for ${customer} created`);
  await expect(page.getByRole('table').getByRole('row').nth(1).getByRole('link', { name: customer })).toBeVisible();

  // Still one stream and one socket: the reconnects replaced, not added.
  expect(await openConnections(page)).toEqual({ eventSources: 1, webSockets: 1 });
});
