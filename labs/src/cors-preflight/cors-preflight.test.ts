import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import { type CorsPreflightRun, corsPreflightLab, nonSimpleHeadersOf } from './measure.js';

describe('lab cors-preflight (smoke)', () => {
  it('tuned sends at most one preflight per kind of non-simple call; naive one for most calls', async () => {
    const report = await corsPreflightLab.run({
      smoke: true,
      progress: createProgress('cors-preflight'),
      workDir: labWorkDir(),
    });
    const { naive, tuned } = report.raw as Record<'naive' | 'tuned', CorsPreflightRun>;

    // The same walk through the SPA in both settings, a few creates included.
    expect(naive.calls).toBeGreaterThanOrEqual(30);
    expect(tuned.calls).toBeGreaterThanOrEqual(30);
    expect(tuned.creates).toBeGreaterThan(0);

    // The mechanism: tuned GETs carry no custom header, so only the creates are non-simple,
    // all with one header set; naive GETs carry X-Request-ID and X-Request-Timeout.
    expect(tuned.nonSimpleKinds).toEqual(['POST content-type,idempotency-key,x-request-id,x-request-timeout']);
    expect(naive.nonSimpleKinds).toContain('GET x-request-id,x-request-timeout');

    // Wide margins: the walk visits ~20 order URLs again and again, so naive preflights
    // most calls (each URL's entry lasts 5 s); tuned one per kind per 2 h window.
    expect(tuned.preflights).toBeLessThanOrEqual(tuned.nonSimpleKinds.length);
    expect(naive.preflightsPer100Calls).toBeGreaterThanOrEqual(40);
    expect(naive.preflights).toBeGreaterThanOrEqual(10 * Math.max(1, tuned.preflights));
  });

  it('tells simple request headers from those that need a preflight', () => {
    expect(nonSimpleHeadersOf({ accept: 'application/json', 'user-agent': 'x', referer: 'y' })).toEqual([]);
    expect(nonSimpleHeadersOf({ 'content-type': 'text/plain;charset=UTF-8' })).toEqual([]);
    expect(nonSimpleHeadersOf({ 'Content-Type': 'application/json', 'X-Request-ID': 'a' })).toEqual([
      'content-type',
      'x-request-id',
    ]);
  });
});
