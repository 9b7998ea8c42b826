import type { BucketLimit, RateLimitBucket } from '@tandem/contract';

/** What the limiter learns from one request: admitted or not, and the client's budget. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket size (burst), for `RateLimit-Limit`. */
  limit: number;
  /** Whole units left. */
  remaining: number;
  /** Whole ms until the bucket is full again (rounded up). */
  resetMs: number;
  /** Whole ms until this request would pass (rounded up); 0 when admitted; undefined when it never can. */
  retryAfterMs: number | undefined;
}

/**
 * Where the buckets live: in this process (memory-store.ts) or in Redis, shared by every
 * replica (redis-store.ts). Both run the same GCRA step (gcra.ts) atomically per client.
 * A store may throw (or reject) when it cannot answer; the limiter decides what that means.
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Charges `cost` units. A store in this process answers at once, one across the network
   * with a promise: the limiter (and the request's hook) stays synchronous when it can.
   */
  consume(
    bucket: RateLimitBucket,
    client: string,
    cost: number,
    limit: BucketLimit,
  ): RateLimitDecision | Promise<RateLimitDecision>;
  close(): Promise<void>;
}
