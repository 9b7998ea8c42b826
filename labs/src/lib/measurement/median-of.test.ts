import { describe, expect, it } from 'vitest';
import { medianOf } from './median-of.js';

describe('medianOf', () => {
  it('takes the median of each named figure with local-stack’s median', () => {
    const rounds = [
      { rps: 10, cpu: 3, label: 'a' },
      { rps: 30, cpu: 1, label: 'b' },
      { rps: 20, cpu: 2, label: 'c' },
    ];
    expect(medianOf(rounds, ['rps', 'cpu'])).toEqual({ rps: 20, cpu: 2 });
  });
});
