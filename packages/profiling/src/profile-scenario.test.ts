import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromiumLaunchOptions } from '@tandem/local-stack';
import { type Browser, chromium } from 'playwright-core';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProfileSummary, profileScenario } from './profile-scenario.js';
import type { ChromeTrace } from './trace-long-tasks.js';

// Both runs share one folder: the second start reopens the first's embedded database (~2 s, not ~10 s).
const workDir = mkdtempSync(join(tmpdir(), 'tandem-profile-test-'));
const RUN_MS = 240_000;
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunchOptions);
});
afterAll(async () => {
  await browser?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const run = (scenario: 'orders-load' | 'orders-browse') =>
  profileScenario({
    scenario,
    seconds: 3,
    outDir: join(workDir, `out-${scenario}`),
    workDir,
    // Enough orders for two "Load more" pages, seeded faster than the default.
    apiEnv: { SEED_ORDERS: '100' },
  });

/** The pprof file decodes and holds the profile's samples. */
function expectPprof(summary: ProfileSummary): void {
  const pprof = Profile.decode(gunzipSync(readFileSync(summary.files.pprof)));
  const samples = pprof.sample.reduce((sum, sample) => sum + Number(sample.value[0]), 0);
  expect(samples).toBeGreaterThan(0);
  expect(samples).toBe(summary.cpuSamples.total);
  expect(summary.topServerFunctions.length).toBeGreaterThan(0);
}

/** Chromium's XML parser takes the flame graph as an SVG document. */
async function expectWellFormedSvg(path: string): Promise<void> {
  const page = await browser.newPage();
  try {
    const verdict = await page.evaluate(
      (text) => {
        // Runs in Chromium; this package's types have no DOM, so its parser is reached through globalThis.
        type Doc = {
          querySelector(selector: string): { textContent: string | null } | null;
          documentElement: { nodeName: string };
        };
        const { DOMParser } = globalThis as unknown as {
          DOMParser: new () => { parseFromString(text: string, type: string): Doc };
        };
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName };
      },
      readFileSync(path, 'utf8'),
    );
    expect(verdict).toEqual({ error: null, root: 'svg' });
  } finally {
    await page.close();
  }
}

describe('pnpm profile', () => {
  it(
    'orders-load: a CPU profile of the API under h2load, as pprof, .cpuprofile and flame graph, with the request ids',
    async () => {
      const summary = await run('orders-load');
      expectPprof(summary);
      expect(JSON.parse(readFileSync(summary.files.cpuProfile, 'utf8')).nodes.length).toBeGreaterThan(0);
      await expectWellFormedSvg(summary.files.flameGraph);
      expect(summary.files.trace).toBeUndefined();
      expect(summary.requestIds.server.length).toBeGreaterThan(0);
      expect(summary.requestIds.browser).toEqual([]);
      expect(JSON.parse(readFileSync(summary.files.summary, 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
    },
    RUN_MS,
  );

  it(
    'orders-browse: the API profile and the browser trace of the same window, joined by request ids',
    async () => {
      const summary = await run('orders-browse');
      expectPprof(summary);
      await expectWellFormedSvg(summary.files.flameGraph);
      const tracePath = summary.files.trace ?? '';
      const trace = JSON.parse(readFileSync(tracePath, 'utf8')) as ChromeTrace;
      expect('traceEvents' in trace && trace.traceEvents.length).toBeGreaterThan(0);
      expect(summary.rendererMainThreads).toBeGreaterThan(0);
      const { browser: fromBrowser, server, both } = summary.requestIds;
      expect(fromBrowser.length).toBeGreaterThan(0);
      expect(server.length).toBeGreaterThan(0);
      expect(both.length).toBeGreaterThan(0);
      for (const id of both) expect(fromBrowser.includes(id) && server.includes(id)).toBe(true);
    },
    RUN_MS,
  );
});
