import { endpoints } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { FUZZ_SHARDS, shardOf } from './fuzz-shards.js';

describe('the fuzz suite’s shards', () => {
  it('give every endpoint of the contract to one file, and every file some endpoints', () => {
    const shards = Object.values(endpoints).map((endpoint) => shardOf(endpoint));
    for (const shard of shards) expect(FUZZ_SHARDS).toContain(shard);
    for (const shard of FUZZ_SHARDS) expect(shards.filter((each) => each === shard).length, shard).toBeGreaterThan(0);
  });

  it('put the orders of every version together, the accounts together, and anything else last', () => {
    expect(shardOf({ path: '/api/v1/orders' })).toBe('orders');
    expect(shardOf({ path: '/api/v2/orders/:id' })).toBe('orders');
    expect(shardOf({ path: '/api/v1/auth/sign-in' })).toBe('accounts');
    expect(shardOf({ path: '/api/v1/ordersome-new-thing' })).toBe('operations');
    expect(shardOf({ path: '/api/v1/new-endpoint' })).toBe('operations');
  });
});
