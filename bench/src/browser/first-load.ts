import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  chromiumLaunchOptions,
  DEMO_USER_EMAIL,
  freePorts,
  h2RequestOnce,
  median,
  type RunningApi,
  type RunningWeb,
  repoRoot,
  signedInStorageState,
  startApi,
  startWeb,
} from '@tandem/local-stack';
import { INITIAL_JS_BUDGET_KB } from '@tandem/web/initial-js-budget';
import { type Browser, chromium } from 'playwright-core';
import type { BenchLog, BenchOptions } from '../bench-options.js';
import type { BenchReport } from '../bench-report.js';
import { initialScriptsOf, type PageLoadTiming, readPageLoadTiming } from './page-load-timing.js';

/** Issue #13: the orders page's Largest Contentful Paint, median of cold loads on loopback. */
const LCP_TARGET_MS = 400;
export const DEFAULT_RUNS = 7;
const PAGE = '/orders';
/** A rendered orders row: what the page is for. */
const ORDERS_ROW = 'table tbody tr';

interface Variant {
  name: string;
  label: string;
  // #region labs
  /** Serves the one build with its lab layer on (WEB_LABS_ENABLED=true). */
  labs?: boolean;
  // #endregion labs
}

const VARIANTS: Variant[] = [
  { name: 'product', label: 'without the lab layer (the product)' },
  { name: 'labs', label: 'with the lab layer (WEB_LABS_ENABLED=true)', labs: true }, // #labs
];

/** The figures of the table, each read from one load. */
const FIGURES: { label: string; of: (timing: PageLoadTiming) => number; target?: string }[] = [
  { label: 'LCP (Largest Contentful Paint)', of: (t) => t.lcpMs, target: `≤ ${LCP_TARGET_MS} ms` },
  { label: 'FCP (First Contentful Paint)', of: (t) => t.fcpMs },
  { label: 'document: TLS handshake', of: (t) => t.documentTlsMs },
  { label: 'document: last byte', of: (t) => t.documentMs },
  { label: 'scripts index.html loads: last byte', of: (t) => t.scriptsMs },
  { label: 'first API call: sent', of: (t) => t.firstApiCall.startMs },
  { label: 'first API call: last byte', of: (t) => t.firstApiCall.endMs },
  { label: 'orders list call: last byte', of: (t) => t.ordersListMs },
];

/**
 * A page with no network, script or style (a heading and the LCP element's sentence): its
 * FCP is how long this machine's Chromium takes to paint anything at all, the floor under
 * every figure of the table.
 */
const STATIC_PAGE =
  'data:text/html,<!doctype html><title>floor</title><h1>Orders</h1><p>Order activity appears here as it happens.</p>';

/**
 * Where a load starts. A visit comes from a page of another site, read for a while (a search
 * result, a link, a bookmark in a tab already open): each measured load first shows the static
 * page above for `PREVIOUS_PAGE_MS`, then navigates. A new tab's about:blank, where Playwright
 * opens a page and a person never starts, is measured too, as a row of its own: from there the
 * page's Cross-Origin-Opener-Policy (decision 0011) makes Chromium start a renderer process
 * for it during the navigation, which a load from another site's page does not wait for
 * (decision 0014's follow-up).
 */
type Start = 'another site' | 'new tab';
const PREVIOUS_PAGE_MS = 1_000;

const ms = (value: number) => `${Math.round(value)} ms`;
const KB = 1024;

/**
 * What the document loads or modulepreloads, each file gzipped on its own, as the build's
 * budget counts it (apps/web/build/initial-js.ts), read from the server the browser loads.
 */
async function initialJsGzipBytes(origin: string): Promise<number> {
  const html = (await h2RequestOnce(origin, { path: '/' })).body.toString();
  let total = 0;
  for (const path of initialScriptsOf(html)) {
    const script = await h2RequestOnce(origin, { path });
    if (script.status !== 200) throw new Error(`${origin}${path} answered ${script.status}`);
    total += gzipSync(script.body).byteLength;
  }
  return total;
}
const spread = (values: readonly number[]) => `${ms(Math.min(...values))} – ${ms(Math.max(...values))}`;

/** The value seen most often (the first of them on a tie). */
function mostFrequent(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '—';
}

/**
 * `pnpm bench first-load`: the orders page's first load in Chromium, cold (a fresh browser
 * context each run: empty cache, new connections), against the real API and the production
 * build served by startWeb(), on loopback; served without and with the lab layer, the runs
 * interleaved. Prints the median and spread of LCP, FCP and where the time went (Navigation,
 * Resource and Paint Timing of the page itself).
 */
export async function benchFirstLoad(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const runs = options.quick ? 1 : (options.runs ?? DEFAULT_RUNS);
  const workDir = join(repoRoot, '.data', 'bench', options.quick ? 'first-load-quick' : 'first-load');
  mkdirSync(workDir, { recursive: true });
  const ports = await freePorts(VARIANTS.length);
  const webOrigins = ports.map((port) => `https://localhost:${port}`);

  let api: RunningApi | undefined;
  const webs: RunningWeb[] = [];
  let browser: Browser | undefined;
  try {
    log('starting the API (lab layer registered, every lab tuned)');
    api = await startApi({
      workDir,
      corsOrigins: webOrigins,
      env: { LOG_LEVEL: 'warn' },
      labs: true, // #labs
    });
    for (const [index, variant] of VARIANTS.entries()) {
      log(`serving the SPA ${variant.label}`);
      const dir = join(workDir, variant.name);
      mkdirSync(dir, { recursive: true });
      webs.push(
        await startWeb({
          workDir: dir,
          apiOrigin: api.origin,
          h1Origin: api.h1Origin,
          port: ports[index] as number,
          labs: variant.labs, // #labs
        }),
      );
    }
    const initialJs = await Promise.all(webs.map((web) => initialJsGzipBytes(web.origin)));
    browser = await chromium.launch(chromiumLaunchOptions);
    const running = api;
    const launched = browser;
    // The orders page needs a session: signed in once, before any load; each load's new
    // context starts from that cookie, so signing in is no part of what is measured.
    const storageState = await signedInStorageState(launched, running.origin, DEMO_USER_EMAIL, running.demoPassword);

    /**
     * One cold load: a new context (its own cache and connections, the session's cookie), the
     * page reached from `start`, its timing.
     */
    const load = async (web: RunningWeb, start: Start) => {
      const context = await launched.newContext({ ignoreHTTPSErrors: true, storageState });
      try {
        const page = await context.newPage();
        if (start === 'another site') {
          await page.goto(STATIC_PAGE);
          await page.waitForTimeout(PREVIOUS_PAGE_MS);
        }
        const response = await page.goto(`${web.origin}${PAGE}`);
        if (!response?.ok()) throw new Error(`${web.origin}${PAGE} answered ${response?.status()}`);
        const initialScripts = initialScriptsOf(await response.text());
        await page.locator(ORDERS_ROW).first().waitFor({ timeout: 30_000 });
        return await readPageLoadTiming(page, { apiOrigin: running.origin, initialScripts });
      } finally {
        await context.close();
      }
    };

    /** The static page's FCP in a fresh context, as the loads above are made. */
    const paintFloor = async () => {
      const context = await launched.newContext();
      try {
        const page = await context.newPage();
        await page.goto(STATIC_PAGE);
        return await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) => {
                const fcp = list.getEntriesByName('first-contentful-paint')[0];
                if (fcp) resolve(fcp.startTime);
              }).observe({ type: 'paint', buffered: true });
            }),
        );
      } finally {
        await context.close();
      }
    };

    // One unmeasured load each first: the servers' first answers (JIT, the API's caches).
    for (const web of webs) await load(web, 'another site');
    const timings = VARIANTS.map((): PageLoadTiming[] => []);
    const fromNewTab = VARIANTS.map((): PageLoadTiming[] => []);
    const floors: number[] = [];
    for (let run = 0; run < runs; run++) {
      floors.push(await paintFloor());
      // Interleaved, the order alternating each run, so drift on a shared machine hits both alike.
      const order = run % 2 === 0 ? [...VARIANTS.keys()] : [...VARIANTS.keys()].reverse();
      for (const index of order) {
        const web = webs[index] as RunningWeb;
        const timing = await load(web, 'another site');
        timings[index]?.push(timing);
        const newTab = await load(web, 'new tab');
        fromNewTab[index]?.push(newTab);
        log(
          `run ${run + 1}/${runs} ${VARIANTS[index]?.name}: LCP ${ms(timing.lcpMs)}, FCP ${ms(timing.fcpMs)}; ` +
            `from a new tab LCP ${ms(newTab.lcpMs)}`,
        );
      }
    }

    const columns = ['figure', ...VARIANTS.flatMap((v) => [`${v.name}: median`, `${v.name}: min – max`]), 'target'];
    const medianAndSpread = (values: number[]) => [ms(median(values)), spread(values)];
    const rows: string[][] = FIGURES.map(({ label, of, target }) => [
      label,
      ...timings.flatMap((series) => medianAndSpread(series.map(of))),
      target ?? '—',
    ]);
    rows.splice(2, 0, [
      'LCP, the load started from a new tab (about:blank) instead',
      ...fromNewTab.flatMap((series) => medianAndSpread(series.map((t) => t.lcpMs))),
      '—',
    ]);
    rows.push([
      "a static page's FCP (no network, no script: the machine's floor)",
      ...VARIANTS.flatMap(() => [ms(median(floors)), spread(floors)]),
      '—',
    ]);
    rows.push([
      'initial JS, gzip (what index.html loads)',
      ...initialJs.flatMap((bytes) => [`${(bytes / KB).toFixed(1)} KB`, '']),
      `≤ ${INITIAL_JS_BUDGET_KB} KB`,
    ]);
    rows.push([
      'first API call (path)',
      ...timings.flatMap((series) => [mostFrequent(series.map((t) => t.firstApiCall.path)), '']),
      '—',
    ]);
    rows.push([
      'LCP element (most often)',
      ...timings.flatMap((series) => [mostFrequent(series.map((t) => t.lcpElement)), '']),
      '—',
    ]);

    const command = `pnpm bench first-load${options.quick ? ' --quick' : runs === DEFAULT_RUNS ? '' : ` --runs ${runs}`}`;
    return {
      name: 'first-load',
      method:
        `The orders page (${PAGE}) loaded cold in Debian's Chromium (headless, Playwright; a fresh browser context per load: empty HTTP cache, new TLS connections) from the production build served by startWeb() over HTTP/2 + TLS, against the real API (PGlite, 1000 seeded orders) on loopback; ` +
        `the SPA built ${VARIANTS.map((v) => v.label).join(' and ')}, ${runs} load(s) of each, interleaved, after one unmeasured load each. ` +
        `Each load starts as a visit does, from a page of another site (a static data: page shown for ${PREVIOUS_PAGE_MS / 1000} s, then the navigation); each run also loads each build from a new tab's about:blank, where Playwright opens pages (its own row: from there the page's Cross-Origin-Opener-Policy makes Chromium start a renderer process during the navigation). ` +
        `Initial JS: the scripts the served index.html loads or modulepreloads, each gzipped on its own (1 KB = 1,024 bytes). A load ends when the first orders row is in the page; LCP is the last candidate reported two frames later. Times are from the navigation's start, read in the page from Navigation, Resource and Paint Timing. ` +
        `Each run also paints a static page (a heading and a sentence, from a data: URL, in a fresh context): its FCP is the floor this machine's Chromium puts under every figure. ` +
        `Nothing is pinned: the browser, the API and the web server share the machine's cores. Reproduce: \`${command}\`.`,
      table: { columns, rows },
      verdicts: VARIANTS.flatMap((variant, index) => [
        {
          target: `LCP ≤ ${LCP_TARGET_MS} ms (median), ${variant.label}`,
          met: median((timings[index] ?? []).map((t) => t.lcpMs)) <= LCP_TARGET_MS,
        },
        {
          target: `initial JS ≤ ${INITIAL_JS_BUDGET_KB} KB gzip, ${variant.label}`,
          met: (initialJs[index] ?? Number.POSITIVE_INFINITY) <= INITIAL_JS_BUDGET_KB * KB,
        },
      ]),
      raw: {
        runs,
        variants: VARIANTS.map((variant, index) => ({
          ...variant,
          initialJsGzipBytes: initialJs[index],
          loads: timings[index],
          loadsFromNewTab: fromNewTab[index],
        })),
        staticPageFcpMs: floors,
      },
    };
  } finally {
    await browser?.close().catch(() => {});
    for (const web of webs) await web.stop();
    await api?.stop();
  }
}
