import { expect, test as setup } from '@playwright/test';
import { DEMO_USER_EMAIL } from '@tandem/local-stack';
import { demoPassword, storageStateFile } from './support/api';

// Once per run, through the page a person uses: the other projects start from the cookie
// this leaves in the browser (playwright.config.ts, storageState).
setup('sign in as the demo user', async ({ page }) => {
  // One scrypt hash on the API: seconds on a busy machine (decision 0013).
  setup.setTimeout(60_000);
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(DEMO_USER_EMAIL);
  await page.getByLabel('Password').fill(demoPassword());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/orders$/, { timeout: 30_000 });
  await expect(page.getByTestId('signed-in-as')).toHaveText(DEMO_USER_EMAIL);
  await page.context().storageState({ path: storageStateFile() });
});
