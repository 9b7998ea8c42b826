import { describe, expect, it } from 'vitest';
import { runSideBySide } from './side-by-side.mjs';

/** A job that ends when its `release` is called, recording how many ran at once. */
function controlledJobs() {
  let running = 0;
  let mostAtOnce = 0;
  /** @type {Map<number, () => void>} */
  const releases = new Map();
  /** @type {number[]} */
  const started = [];
  const job = (/** @type {string} */ item, /** @type {number} */ index) =>
    new Promise((resolve) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      started.push(index);
      releases.set(index, () => {
        running--;
        resolve(`${item} done`);
      });
    });
  return { job, releases, started, mostAtOnce: () => mostAtOnce };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runSideBySide', () => {
  it('runs at most `limit` jobs at once, in order, and hands each result over as it ends', async () => {
    const { job, releases, started, mostAtOnce } = controlledJobs();
    /** @type {string[]} */
    const ended = [];
    const all = runSideBySide(['a', 'b', 'c', 'd'], 2, job, (result, _item, index) => ended.push(`${index}:${result}`));
    await tick();
    expect(started).toEqual([0, 1]);
    releases.get(1)?.();
    await tick();
    expect(ended).toEqual(['1:b done']);
    expect(started).toEqual([0, 1, 2]);
    releases.get(0)?.();
    await tick();
    releases.get(3)?.();
    await tick();
    releases.get(2)?.();
    await all;
    expect(ended).toEqual(['1:b done', '0:a done', '3:d done', '2:c done']);
    expect(mostAtOnce()).toBe(2);
  });

  it('runs one at a time with a limit of 1, and refuses a limit below 1', async () => {
    /** @type {number[]} */
    const order = [];
    await runSideBySide(
      [1, 2, 3],
      1,
      async (item) => item * 10,
      (result) => order.push(result),
    );
    expect(order).toEqual([10, 20, 30]);
    await expect(
      runSideBySide(
        [1],
        0,
        async () => 0,
        () => {},
      ),
    ).rejects.toThrow('limit must be a whole number');
  });
});
