import { expect, test } from '@playwright/test';

interface Entry {
  name: string;
  initiatorType: string;
  nextHopProtocol: string;
}

test('the document, its scripts and the API calls all travel over HTTP/2', async ({ page, baseURL }) => {
  const apiUrl = process.env.TANDEM_E2E_API_URL;
  expect(apiUrl, 'set by the global setup').toBeTruthy();

  await page.goto('/orders');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);

  const { navigation, resources } = await page.evaluate(() => {
    const pick = (entry: PerformanceEntry) => {
      const timing = entry as PerformanceResourceTiming;
      return { name: timing.name, initiatorType: timing.initiatorType, nextHopProtocol: timing.nextHopProtocol };
    };
    return {
      navigation: performance.getEntriesByType('navigation').map(pick),
      resources: performance.getEntriesByType('resource').map(pick),
    };
  });

  expect(navigation).toHaveLength(1);
  expect(navigation[0]).toMatchObject({ name: `${baseURL}/orders`, nextHopProtocol: 'h2' });

  const scripts = resources.filter(
    (entry: Entry) => entry.name.startsWith(`${baseURL}/assets/`) && entry.name.endsWith('.js'),
  );
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script, script.name).toMatchObject({ nextHopProtocol: 'h2' });

  // Cross-origin entries carry the protocol only because the API sends Timing-Allow-Origin.
  const apiCalls = resources.filter((entry: Entry) => entry.name.startsWith(`${apiUrl}/api/v1/orders`));
  expect(apiCalls.length).toBeGreaterThan(0);
  for (const call of apiCalls) expect(call, call.name).toMatchObject({ nextHopProtocol: 'h2' });
});
