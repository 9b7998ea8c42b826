import { describe, expect, it } from 'vitest';
import { retryAfterMsOf } from './retry-after';

describe('retryAfterMsOf', () => {
  const now = Date.parse('2026-11-24T09:30:00.000Z');

  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMsOf('2', now)).toBe(2_000);
    expect(retryAfterMsOf(' 0 ', now)).toBe(0);
    expect(retryAfterMsOf('Tue, 24 Nov 2026 09:30:03 GMT', now)).toBe(3_000);
    // A date already past means "now", never a negative wait.
    expect(retryAfterMsOf('Tue, 24 Nov 2026 09:29:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMsOf(undefined, now)).toBeUndefined();
    expect(retryAfterMsOf('', now)).toBeUndefined();
    expect(retryAfterMsOf('-1', now)).toBeUndefined();
    expect(retryAfterMsOf('soon', now)).toBeUndefined();
    expect(retryAfterMsOf(['2'], now)).toBeUndefined();
  });
});
