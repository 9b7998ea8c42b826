import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '@tandem/local-stack';

/**
 * The browser suite runs against the real API and the production build, both started by
 * e2e/global-setup.ts on free ports. Chromium is Debian's (no browser download).
 */
/**
 * Specs that change what the API or the network does for every tab, or that compare a
 * rendered list with an API answer (api-versions: another spec's new order would refresh it).
 */
const SHARED_STATE = /(labs-admin|network-drop|api-versions)\.spec\.ts$/;
/** The demo user's signed-in state (e2e/sign-in.setup.ts writes it; set by the global setup, as baseURL). */
const SIGNED_IN = process.env.TANDEM_E2E_STORAGE_STATE;

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 2,
  forbidOnly: true,
  reporter: 'list',
  use: {
    // Set by the global setup, before the workers that read this start.
    baseURL: process.env.TANDEM_E2E_WEB_URL,
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    // Signs in once, as the seeded demo user, through the sign-in page, and saves the
    // browser's state: every other project starts from it, signed in.
    { name: 'sign in', use: { browserName: 'chromium' }, testMatch: /\.setup\.ts$/ },
    {
      name: 'chromium',
      use: { browserName: 'chromium', storageState: SIGNED_IN },
      testIgnore: SHARED_STATE,
      dependencies: ['sign in'],
    },
    // Flipping a lab or cutting the network changes things for every tab: these specs
    // run after the rest, one test at a time.
    {
      name: 'shared API state',
      use: { browserName: 'chromium', storageState: SIGNED_IN },
      testMatch: SHARED_STATE,
      dependencies: ['chromium'],
      workers: 1,
    },
  ],
});
