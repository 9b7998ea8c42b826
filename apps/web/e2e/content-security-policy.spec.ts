import { expect, type Page, test } from '@playwright/test';
import { productWebUrl } from './support/api';

declare global {
  interface Window {
    /** Every CSP violation the page reported, recorded by the test before the app loads. */
    __cspViolations?: string[];
  }
}

/**
 * Records every `securitypolicyviolation` of the page (and Chromium's console line for
 * one, which also covers what no event reaches), from before the app's first script.
 */
async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const consoleLines: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleLines.push(message.text());
  });
  await page.addInitScript(() => {
    const violations: string[] = [];
    window.__cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return async () => [...((await page.evaluate(() => window.__cspViolations)) ?? []), ...consoleLines];
}

const live = (page: Page) => page.getByRole('banner').getByRole('status');

for (const [name, origin] of [
  ['with the lab layer', () => ''],
  ['the product alone', () => productWebUrl()],
] as const) {
  test(`the strict CSP holds on every main page, live features on (${name})`, async ({ page }) => {
    const violations = await watchCspViolations(page);

    const response = await page.goto(`${origin()}/orders`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    await expect(page.getByRole('table').getByRole('row')).toHaveCount(21);
    // The SSE feed and the WebSocket presence badge are connected (connect-src: https: and wss: of the API).
    await expect(page.getByRole('region', { name: 'Live activity' }).getByRole('status')).toHaveText('Live');
    await expect(live(page)).toHaveText(/^\s*[1-9]\d* online$/);

    await page.getByRole('table').getByRole('row').nth(1).getByRole('link').click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: /^Order for / })).toBeVisible();

    await page.goto(`${origin()}/orders/new`);
    await expect(page.getByRole('button', { name: 'Create order' })).toBeVisible();

    // The demo user is not an admin: the report is refused, and the page says so.
    await page.goto(`${origin()}/customers`);
    await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('The customers report is for administrators.');
    await expect(live(page)).toHaveText(/^\s*[1-9]\d* online$/);

    expect(await violations()).toEqual([]);
  });
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const [name, origin] of [
    ['with the lab layer', () => ''],
    ['the product alone', () => productWebUrl()],
  ] as const) {
    test(`the sign-in and sign-up pages: the strict CSP holds and the console has no error (${name})`, async ({
      page,
    }) => {
      const violations = await watchCspViolations(page);
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));

      await page.goto(`${origin()}/sign-in`);
      await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
      // Checked in the page with the contract's schema: no request, no error.
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');

      await page.getByRole('link', { name: 'Create one' }).click();
      await expect(page.getByRole('heading', { name: 'Create an account', level: 1 })).toBeVisible();
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');

      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});
