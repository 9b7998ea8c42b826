import { randomUUID } from 'node:crypto';
import { RATE_LIMIT_DEFAULTS } from '@tandem/contract';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startRedisServer } from '../../test/redis-server.js';
import { MemoryRateLimitStore } from './memory-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { RateLimiter } from './rate-limiter.js';
import { RedisRateLimitStore } from './redis-store.js';

const redisUrl = inject('redisUrl');
const stores: RateLimitStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

/** A store on the project's Redis with keys of its own, so test files never share buckets. */
async function redisStore(options: { now?: () => number; keyPrefix?: string } = {}) {
  const store = await RedisRateLimitStore.connect({
    url: redisUrl,
    keyPrefix: options.keyPrefix ?? `test:${randomUUID()}:`,
    ...(options.now ? { now: options.now } : {}),
  });
  stores.push(store);
  expect(store.ready).toBe(true);
  return store;
}

describe('RedisRateLimitStore against a real redis-server', () => {
  it('decides exactly as the in-process store, step for step (same clock)', async () => {
    let clock = 1_700_000_000_000.25;
    const limit = { unitsPerSecond: 3, burst: 7 };
    const redis = await redisStore({ now: () => clock });
    const memory = new MemoryRateLimitStore({ now: () => clock });
    stores.push(memory);
    // Costs and gaps chosen to cross every branch: admitted, refused, cost > burst, refills.
    const script: [gapMs: number, cost: number][] = [
      [0, 3],
      [0, 3],
      [0, 3],
      [100, 1],
      [400, 2],
      [0, 8],
      [1, 1],
      [2500, 7],
      [333.4, 1],
      [0, 1],
      [10_000, 5],
    ];
    for (const [gapMs, cost] of script) {
      clock += gapMs;
      const fromRedis = await redis.consume('api', 'client', cost, limit);
      const fromMemory = await memory.consume('api', 'client', cost, limit);
      expect(fromRedis, `cost ${cost} at +${gapMs} ms`).toEqual(fromMemory);
    }
  });

  it('uses Redis time when no clock is given, and expires a bucket when it would be full', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const store = await redisStore({ keyPrefix });
    const limit = { unitsPerSecond: 0.001, burst: 3 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await store.consume('rum', '198.51.100.1', 1, limit));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]?.retryAfterMs).toBeGreaterThan(990_000);
    expect(decisions[3]?.retryAfterMs).toBeLessThanOrEqual(1_000_000);

    const inspector = new Redis(redisUrl);
    try {
      const ttl = await inspector.pttl(`${keyPrefix}rum:198.51.100.1`);
      // Three units at 1000 s each: the key lives until the bucket is full again.
      expect(ttl).toBeGreaterThan(2_900_000);
      expect(ttl).toBeLessThanOrEqual(3_000_000);
    } finally {
      inspector.disconnect();
    }
  });

  it('is atomic: two connections racing for one bucket admit exactly its burst', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const [first, second] = [await redisStore({ keyPrefix }), await redisStore({ keyPrefix })];
    const limit = { unitsPerSecond: 0.001, burst: 20 };
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? first : second).consume('api', 'shared', 1, limit)),
    );
    expect(results.filter((decision) => decision.allowed)).toHaveLength(20);
  });
});

describe('a Redis that goes away', () => {
  it('makes consume fail fast, and the limiter admits the request and reports the failure (fail open)', async () => {
    const server = await startRedisServer();
    const connectionErrors: Error[] = [];
    const store = await RedisRateLimitStore.connect({
      url: server.url,
      onConnectionError: (error) => connectionErrors.push(error),
    });
    stores.push(store);
    const storeErrors: unknown[] = [];
    const limiter = new RateLimiter({
      settings: { buckets: { ...RATE_LIMIT_DEFAULTS.buckets, api: { unitsPerSecond: 1, burst: 1 } } },
      store,
      onStoreError: (error) => storeErrors.push(error),
    });
    expect((await limiter.consume('api', 'x', 1))?.allowed).toBe(true);
    expect((await limiter.consume('api', 'x', 1))?.allowed).toBe(false);

    await server.stop();
    await expect.poll(() => store.ready, { timeout: 10_000 }).toBe(false);
    await expect(store.consume('api', 'x', 1, { unitsPerSecond: 1, burst: 1 })).rejects.toThrow();
    expect(await limiter.consume('api', 'x', 1)).toBeUndefined();
    expect(storeErrors.length).toBeGreaterThan(0);
    await expect.poll(() => connectionErrors.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('lets the store start while Redis is unreachable (it keeps reconnecting)', async () => {
    const server = await startRedisServer();
    await server.stop();
    const store = await RedisRateLimitStore.connect({ url: server.url, onConnectionError: () => {} });
    stores.push(store);
    expect(store.ready).toBe(false);
    await expect(store.consume('api', 'x', 1, { unitsPerSecond: 1, burst: 1 })).rejects.toThrow();
  });
});
