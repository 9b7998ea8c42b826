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
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: SHARED_STATE },
    // Flipping a lab or cutting the network changes things for every tab: these specs
    // run after the rest, one test at a time.
    {
      name: 'shared API state',
      use: { browserName: 'chromium' },
      testMatch: SHARED_STATE,
      dependencies: ['chromium'],
      workers: 1,
    },
  ],
});
