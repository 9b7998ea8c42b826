import { describe, expect, it } from 'vitest';
import { oneDecimal } from './server-timing.js';

describe('oneDecimal', () => {
  it('writes a duration with one decimal, as toFixed(1) does', () => {
    for (const ms of [0, 0.04, 0.05, 0.9, 1, 1.25, 12.345, 99.96, 1234.5678]) {
      expect(oneDecimal(ms)).toBe(ms.toFixed(1));
    }
  });

  it('agrees with toFixed(1) on measured durations', () => {
    for (let i = 0; i < 10_000; i++) {
      const ms = performance.now() % 500;
      expect(oneDecimal(ms)).toMatch(/^\d+\.\d$/);
      expect(Math.abs(Number(oneDecimal(ms)) - Number(ms.toFixed(1)))).toBeLessThanOrEqual(0.1 + 1e-9);
    }
  });
});
