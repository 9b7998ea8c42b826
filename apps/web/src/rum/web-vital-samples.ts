import type { RumPage, WebVitalSample } from '@tandem/contract';
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';

/** The contract's ceiling for a vital's value. */
const MAX_VALUE = 120_000;

/** The fields of a web-vitals report a sample is made from. */
export type VitalReport = Pick<Metric, 'name' | 'value' | 'rating' | 'entries'>;

/**
 * One web-vitals report as a sample of the page its entries happened on (TTFB's and FCP's
 * on the page the tab was opened on, LCP's on the page that painted it, INP's on the page
 * of the slow interaction); `undefined` for a page RUM does not name or a value outside
 * the contract's range (a tab left in the background for minutes).
 */
export function webVitalSample(
  report: VitalReport,
  pageAt: (time: number) => RumPage | undefined,
  now: () => number = () => performance.now(),
): WebVitalSample | undefined {
  // CLS with no layout shift has no entry: it belongs to the page on screen now.
  const page = pageAt(report.entries.at(-1)?.startTime ?? now());
  if (!page || !(report.value >= 0 && report.value <= MAX_VALUE)) return undefined;
  return { type: 'web-vital', name: report.name, value: report.value, rating: report.rating, page };
}

/**
 * Reports LCP, INP, CLS, FCP and TTFB of this page load through the `web-vitals` package:
 * FCP and TTFB soon after load; LCP after the first input or when the tab is hidden; CLS
 * and INP when it is hidden.
 */
export function observeWebVitals(onReport: (report: VitalReport) => void): void {
  onTTFB(onReport);
  onFCP(onReport);
  onLCP(onReport);
  onINP(onReport);
  onCLS(onReport);
}
