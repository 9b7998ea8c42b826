import { describe, expect, it } from 'vitest';
import { gcraStep } from './gcra.js';

// 10 units/s (one every 100 ms), 5 at once.
const limit = { unitsPerSecond: 10, burst: 5 };

/** Runs requests of the given costs at the given times (ms) through one bucket. */
function run(requests: [atMs: number, cost: number][]) {
  let tat: number | undefined;
  return requests.map(([at, cost]) => {
    const step = gcraStep(tat, at, cost, limit);
    if (step.allowed) tat = step.tatMs;
    return step;
  });
}

describe('gcraStep', () => {
  it('admits a full burst at once, then refuses, saying exactly when one unit is back', () => {
    const steps = run([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(steps.map((step) => step.allowed)).toEqual([true, true, true, true, true, false]);
    expect(steps.map((step) => step.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(steps[5]?.retryAfterMs).toBeCloseTo(100, 9);
    expect(steps[4]?.resetMs).toBeCloseTo(500, 9);
  });

  it('charges weights: a cost of N takes N units, and a refused one waits for all N', () => {
    const steps = run([
      [0, 3],
      [0, 3],
    ]);
    expect(steps[0]).toMatchObject({ allowed: true, remaining: 2 });
    expect(steps[1]?.allowed).toBe(false);
    // 1 unit is missing: back after one interval.
    expect(steps[1]?.retryAfterMs).toBeCloseTo(100, 9);
    expect(steps[1]?.remaining).toBe(2);
  });

  it('admits the refused request once its retry-after has passed, not a moment before', () => {
    const [, refused] = run([
      [0, 5],
      [0, 2],
    ]);
    const wait = refused?.retryAfterMs ?? Number.NaN;
    expect(wait).toBeCloseTo(200, 9);
    expect(
      run([
        [0, 5],
        [wait - 1, 2],
      ])[1]?.allowed,
    ).toBe(false);
    expect(
      run([
        [0, 5],
        [wait, 2],
      ])[1]?.allowed,
    ).toBe(true);
  });

  it('refills at the configured rate and never above the burst', () => {
    const steps = run([
      [0, 5],
      [250, 2],
      [250, 1],
      [10_000, 5],
      [10_000, 1],
    ]);
    expect(steps.map((step) => step.allowed)).toEqual([true, true, false, true, false]);
  });

  it('never admits a cost above the burst, and says so with no retry-after', () => {
    const step = gcraStep(undefined, 0, 6, limit);
    expect(step).toMatchObject({ allowed: false, retryAfterMs: undefined, remaining: 5 });
  });

  it('keeps whole units exact at fractional intervals (3 units/s)', () => {
    const thirds = { unitsPerSecond: 3, burst: 3 };
    let tat: number | undefined;
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const step = gcraStep(tat, 1_000_000, 1, thirds);
      tat = step.tatMs;
      remaining.push(step.remaining);
    }
    expect(remaining).toEqual([2, 1, 0]);
  });
});
