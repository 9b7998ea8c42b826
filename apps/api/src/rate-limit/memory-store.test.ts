import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './memory-store.js';

const limit = { unitsPerSecond: 2, burst: 4 };

describe('MemoryRateLimitStore', () => {
  let clock = 0;
  let store: MemoryRateLimitStore;
  const make = () => {
    store = new MemoryRateLimitStore({ now: () => clock });
    return store;
  };
  afterEach(async () => {
    clock = 0;
    await store?.close();
  });

  it('answers whole numbers: remaining units, ms to full, ms to retry', async () => {
    make();
    expect(await store.consume('api', 'a', 3, limit)).toEqual({
      allowed: true,
      limit: 4,
      remaining: 1,
      resetMs: 1500,
      retryAfterMs: 0,
    });
    clock = 0.4;
    expect(await store.consume('api', 'a', 2, limit)).toEqual({
      allowed: false,
      limit: 4,
      remaining: 1,
      resetMs: 1500,
      // 1 unit missing = 500 ms, less the 0.4 ms passed, rounded up.
      retryAfterMs: 500,
    });
  });

  it('keeps clients and buckets apart', async () => {
    make();
    expect((await store.consume('api', 'a', 4, limit)).allowed).toBe(true);
    expect((await store.consume('api', 'a', 1, limit)).allowed).toBe(false);
    expect((await store.consume('api', 'b', 4, limit)).allowed).toBe(true);
    expect((await store.consume('rum', 'a', 4, limit)).allowed).toBe(true);
  });

  it('admits again after the retry-after it gave', async () => {
    make();
    await store.consume('api', 'a', 4, limit);
    const refused = await store.consume('api', 'a', 3, limit);
    expect(refused.retryAfterMs).toBe(1500);
    clock += (refused.retryAfterMs ?? 0) - 1;
    expect((await store.consume('api', 'a', 3, limit)).allowed).toBe(false);
    clock += 1;
    expect((await store.consume('api', 'a', 3, limit)).allowed).toBe(true);
  });

  it('forgets buckets that are full again', async () => {
    make();
    await store.consume('api', 'a', 1, limit);
    await store.consume('api', 'b', 4, limit);
    clock = 600;
    store.sweep();
    expect(store.size).toBe(1);
    clock = 2000;
    store.sweep();
    expect(store.size).toBe(0);
  });
});
