import type { Page } from 'playwright-core';

/** What a scenario gets: the servers, the tab (browser scenarios), and how long to keep going. */
export interface ScenarioContext {
  apiOrigin: string;
  /** The SPA (browser scenarios only). */
  webOrigin?: string;
  /** A Chromium tab on the SPA's origin, traced (browser scenarios only). */
  page?: Page;
  /** The recording window: keep working until then, finishing the step in progress. */
  seconds: number;
  progress: (line: string) => void;
}

/** One workload `pnpm profile` records: server only, or a real browser driving the SPA. */
export interface Scenario {
  description: string;
  /** Drives Chromium (the SPA is built and served, the browser traced). */
  browser: boolean;
  run(context: ScenarioContext): Promise<void>;
}
