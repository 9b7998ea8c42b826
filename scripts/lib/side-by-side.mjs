// Runs jobs with at most a given number at once, and hands each result over as it ends.

/**
 * Runs `job` on every item, at most `limit` at a time, taking them in order; `onEnd` gets
 * each item's result as soon as that job ends (so its output can be shown whole).
 * @template Item, Result
 * @param {readonly Item[]} items
 * @param {number} limit at least 1
 * @param {(item: Item, index: number) => Promise<Result>} job
 * @param {(result: Result, item: Item, index: number) => void} onEnd
 * @returns {Promise<void>}
 */
export async function runSideBySide(items, limit, job, onEnd) {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a whole number ≥ 1, not ${limit}`);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      const item = /** @type {Item} */ (items[index]);
      onEnd(await job(item, index), item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
