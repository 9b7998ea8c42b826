import { WebVitalSample } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { PageTimeline } from './page-timeline';
import { type VitalReport, webVitalSample } from './web-vital-samples';

/** Opened on the orders list, an order opened at 2 s, the customers page at 5 s. */
const timeline = new PageTimeline();
timeline.enter('orders', 0);
timeline.enter('order', 2_000);
timeline.enter(undefined, 4_000);
timeline.enter('customers', 5_000);
const pageAt = (time: number) => timeline.at(time);

function report(name: VitalReport['name'], value: number, entryTimes: number[]): VitalReport {
  return { name, value, rating: 'good', entries: entryTimes.map((startTime) => ({ startTime }) as PerformanceEntry) };
}

describe('webVitalSample', () => {
  it('places a vital reported after the person moved on on the page its entries happened on', () => {
    // LCP painted on the orders list, reported when the tab was hidden on the order's page.
    expect(webVitalSample(report('LCP', 900, [400, 900]), pageAt, () => 3_000)).toEqual({
      type: 'web-vital',
      name: 'LCP',
      value: 900,
      rating: 'good',
      page: 'orders',
    });
    expect(webVitalSample(report('TTFB', 120, [0]), pageAt, () => 6_000)?.page).toBe('orders');
    expect(webVitalSample(report('INP', 240, [2_500]), pageAt, () => 6_000)?.page).toBe('order');
  });

  it('places a vital without entries (CLS of a page that never shifted) on the page on screen now', () => {
    expect(webVitalSample(report('CLS', 0, []), pageAt, () => 5_500)?.page).toBe('customers');
  });

  it('skips pages RUM does not name and values the contract refuses', () => {
    expect(webVitalSample(report('INP', 80, [4_500]), pageAt)).toBeUndefined();
    expect(webVitalSample(report('LCP', 130_000, [100]), pageAt)).toBeUndefined();
    expect(webVitalSample(report('FCP', Number.NaN, [100]), pageAt)).toBeUndefined();
  });

  it('makes samples the contract accepts, CLS as a score', () => {
    const cls = webVitalSample({ ...report('CLS', 0.12, [300]), rating: 'needs-improvement' }, pageAt);
    expect(cls).toMatchObject({ name: 'CLS', value: 0.12, rating: 'needs-improvement', page: 'orders' });
    expect(WebVitalSample.safeParse(cls).success).toBe(true);
  });
});
