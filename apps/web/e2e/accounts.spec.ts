import { randomBytes } from 'node:crypto';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { DEMO_USER_EMAIL } from '@tandem/local-stack';
import { apiDirectUrl } from './support/api';

// These tests start signed out: each signs up an account of its own, so signing out (and
// out everywhere) ends no session another spec runs on.
test.use({ storageState: { cookies: [], origins: [] } });
// Every sign-up and sign-in costs the API one scrypt hash (32 MiB, decision 0013): about a
// second on a quiet machine, several on a busy one. A test here makes up to five.
test.describe.configure({ timeout: 120_000 });
/** How long an answer that hashed a password may take to show. */
const HASHED = { timeout: 30_000 };

const PASSWORD = 'correct horse battery staple';
const newEmail = () => `e2e-${randomBytes(6).toString('hex')}@example.com`;

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
}

async function signIn(page: Page, email: string) {
  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs up through the API from `request`, a context of its own: its cookie is another session of the account. */
async function signUpThrough(request: APIRequestContext, email: string): Promise<void> {
  const response = await request.post(`${apiDirectUrl()}/api/v1/auth/sign-up`, {
    data: { email, password: PASSWORD },
    ignoreHTTPSErrors: true,
  });
  expect(response.status()).toBe(201);
}

test('sign up, sign in, create an order, sign out: the back button shows nothing private', async ({ page }) => {
  const email = newEmail();
  const customer = `Signed-in customer ${randomBytes(3).toString('hex')}`;

  // Signed out, the orders send to sign-in.
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole('link', { name: 'Create one' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);

  // The contract's schema speaks first, beside the field; then the server (an e-mail taken).
  await fillCredentials(page, email, 'short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#sign-up-password-error')).toHaveText('Use at least 10 characters.');
  await fillCredentials(page, DEMO_USER_EMAIL, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#sign-up-email-error')).toContainText('already exists', HASHED);

  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/orders$/, HASHED);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  // A new account has no orders: the demo user's are not listed.
  await expect(page.getByText('No orders yet')).toBeVisible();

  // Sign out, then back in with a wrong password, then the right one.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await fillCredentials(page, email, 'not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The e-mail or the password is wrong.', HASHED);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/orders$/, HASHED);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New order' }).click();
  await page.getByLabel('Customer').fill(customer);
  await page.getByLabel('SKU').fill('TEA-OOLONG-250');
  await page.getByLabel('Price').fill('16.99');
  await page.getByRole('button', { name: 'Create order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole('heading', { name: `Order for ${customer}` })).toBeVisible();
  const orderPath = new URL(page.url()).pathname;

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);

  // Back: the order's address, but the page is sent to sign-in (to come back to it) and
  // nothing of the order shows, not even from the cache.
  await page.goBack();
  await expect(page).toHaveURL(
    new RegExp(`/sign-in\\?next=${encodeURIComponent(orderPath).replace(/%2F/g, '(%2F|/)')}`),
  );
  await expect(page.getByText(customer)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Signing in again goes back to the order.
  await signIn(page, email);
  await expect(page).toHaveURL(new RegExp(`${orderPath}\\?created=1$`), HASHED);
  await expect(page.getByRole('heading', { name: `Order for ${customer}` })).toBeVisible();
});

test('a session revoked from another device: the next call sends to sign-in, and back after it', async ({
  page,
  request,
}) => {
  const email = newEmail();
  // The other device: its own session of the account.
  await signUpThrough(request, email);

  await page.goto('/sign-in?next=/orders/new');
  await signIn(page, email);
  await expect(page).toHaveURL(/\/orders\/new$/, HASHED);
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/online$/);

  const revoked = await request.post(`${apiDirectUrl()}/api/v1/auth/sign-out-everywhere`, { ignoreHTTPSErrors: true });
  expect(revoked.status()).toBe(200);
  expect(((await revoked.json()) as { data: { sessionsEnded: number } }).data.sessionsEnded).toBe(2);

  // The tab still thinks it is signed in; its next call learns otherwise (401).
  await page.getByLabel('Customer').fill('Never stored');
  await page.getByLabel('SKU').fill('TEA-OOLONG-250');
  await page.getByLabel('Price').fill('16.99');
  await page.getByRole('button', { name: 'Create order' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)orders(%2F|\/)new$/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/orders\/new$/, HASHED);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
});

test('a page that needs a session, opened signed out, comes back after sign-in; ?next= off this app is ignored', async ({
  page,
}) => {
  await page.goto('/orders/new');
  await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)orders(%2F|\/)new$/);

  await page.goto('/sign-in?next=//evil.example/orders');
  const email = newEmail();
  await page.getByRole('link', { name: 'Create one' }).click();
  // The sign-in page has an E-mail field too: fill only once the sign-up page has replaced it.
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/^https:\/\/localhost:\d+\/orders$/, HASHED);
});
