import { describe, expect, it } from 'vitest';
import { LIVE_RECONNECT, reconnectDelay } from './reconnect-delay';

const policy = { baseMs: 500, capMs: 30_000, stableMs: 60_000 };

describe('reconnectDelay', () => {
  it('doubles each attempt, between half and all of the step', () => {
    const low = [0, 1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, policy, () => 0));
    const high = [0, 1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, policy, () => 1));
    expect(low).toEqual([250, 500, 1000, 2000, 4000]);
    expect(high).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(reconnectDelay(6, policy, () => 1)).toBe(30_000);
    expect(reconnectDelay(60, policy, () => 1)).toBe(30_000);
    expect(reconnectDelay(10_000, policy, () => 0.5)).toBe(22_500);
  });

  it('never retries at once, and spreads clients out', () => {
    const delays = Array.from({ length: 200 }, () => reconnectDelay(3, LIVE_RECONNECT));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
