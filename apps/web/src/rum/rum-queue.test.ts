import { RUM_MAX_SAMPLES_PER_BATCH, RumBatch, type RumSample } from '@tandem/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUM_FLUSH_EVERY_MS, RumQueue } from './rum-queue';

const vital = (value: number): RumSample => ({ type: 'web-vital', name: 'FCP', value, rating: 'good', page: 'orders' });

let sent: RumBatch[];
let queue: RumQueue;

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  queue = new RumQueue({
    app: '@tandem/web@test',
    send: (body) => sent.push(RumBatch.parse(JSON.parse(body))),
    report: (message) => {
      throw new Error(message);
    },
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RumQueue', () => {
  it(`sends a batch as soon as it holds ${RUM_MAX_SAMPLES_PER_BATCH} samples`, () => {
    for (let index = 0; index < RUM_MAX_SAMPLES_PER_BATCH - 1; index += 1) queue.add(vital(index));
    expect(sent).toEqual([]);
    queue.add(vital(999));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.samples).toHaveLength(RUM_MAX_SAMPLES_PER_BATCH);
    expect(queue.size).toBe(0);
  });

  it(`sends what waits ${RUM_FLUSH_EVERY_MS / 1000} s after the first sample arrived`, () => {
    queue.add(vital(1));
    vi.advanceTimersByTime(RUM_FLUSH_EVERY_MS / 2);
    queue.add(vital(2));
    vi.advanceTimersByTime(RUM_FLUSH_EVERY_MS / 2 - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent.map((batch) => batch.samples.length)).toEqual([2]);
  });

  it('sends everything at once on flush, and keeps no timer while empty', () => {
    queue.add(vital(1));
    queue.flush();
    expect(sent).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    queue.flush();
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(RUM_FLUSH_EVERY_MS * 3);
    expect(sent).toHaveLength(1);
  });

  it('starts a new wait after a flush', () => {
    queue.add(vital(1));
    queue.flush();
    queue.add(vital(2));
    vi.advanceTimersByTime(RUM_FLUSH_EVERY_MS);
    expect(sent.map((batch) => batch.samples.map((sample) => (sample as { value: number }).value))).toEqual([[1], [2]]);
  });
});
