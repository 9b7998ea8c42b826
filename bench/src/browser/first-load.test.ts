import { describe, expect, it } from 'vitest';
import { expectWellFormed, figuresOf, runQuick } from '../quick-run.js';
import { initialScriptsOf } from './page-load-timing.js';

describe('initialScriptsOf', () => {
  it('reads the scripts a document loads or modulepreloads, nothing else', () => {
    const html = [
      '<link rel="icon" href="/favicon.svg" type="image/svg+xml" />',
      '<script type="module" crossorigin src="/assets/index-a1.js"></script>',
      '<link rel="modulepreload" crossorigin href="/assets/vendor-b2.js">',
      '<link rel="stylesheet" crossorigin href="/assets/index-c3.css">',
      '<script>window.inline = true</script>',
    ].join('\n');
    expect(initialScriptsOf(html)).toEqual(['/assets/index-a1.js', '/assets/vendor-b2.js']);
  });
});

describe('pnpm bench first-load --quick (real API, production builds, Chromium; figures are not checked against targets)', () => {
  it('reports LCP, FCP and the breakdown for the build without and with the lab layer', async () => {
    const { report, stdout } = await runQuick('first-load');
    expectWellFormed(report, 'first-load', 13);
    expect(report.table.columns).toEqual([
      'figure',
      'product: median',
      'product: min – max',
      'labs: median',
      'labs: min – max',
      'target',
    ]);
    for (const row of report.table.rows.slice(0, 10)) {
      for (const cell of row.slice(1, 5)) {
        const figures = figuresOf(cell);
        expect(figures.length).toBeGreaterThan(0);
        for (const figure of figures) expect(Number.isFinite(figure) && figure >= 0).toBe(true);
      }
    }
    const [lcp, fcp, lcpFromNewTab] = report.table.rows;
    expect(lcp?.[0]).toMatch(/^LCP/);
    expect(fcp?.[0]).toMatch(/^FCP/);
    expect(lcpFromNewTab?.[0]).toMatch(/^LCP, the load started from a new tab/);
    expect(figuresOf(lcp?.[1] ?? '')[0]).toBeGreaterThan(0);
    expect(figuresOf(lcpFromNewTab?.[1] ?? '')[0]).toBeGreaterThan(0);
    expect(report.table.rows[9]?.[0]).toMatch(/^a static page's FCP/);
    const initialJs = report.table.rows[10];
    expect(initialJs?.[0]).toBe('initial JS, gzip (what index.html loads)');
    for (const cell of [initialJs?.[1], initialJs?.[3]]) expect(String(cell)).toMatch(/^\d+\.\d KB$/);
    expect(initialJs?.[5]).toBe('≤ 90 KB');
    // The product's first call is the version check; with the lab layer, the lab state comes first.
    expect(report.table.rows[11]?.slice(0, 4)).toEqual(['first API call (path)', '/api/version', '', '/api/v1/labs']);
    expect(report.method).toContain('from a page of another site');
    expect(report.verdicts.map((verdict) => verdict.target)).toEqual([
      'LCP ≤ 400 ms (median), without the lab layer (the product)',
      'initial JS ≤ 90 KB gzip, without the lab layer (the product)',
      'LCP ≤ 400 ms (median), with the lab layer (WEB_LABS_ENABLED=true)',
      'initial JS ≤ 90 KB gzip, with the lab layer (WEB_LABS_ENABLED=true)',
    ]);
    expect(report.method).toContain('pnpm bench first-load');
    expect(stdout).toContain('LCP (Largest Contentful Paint)');
  });
});
