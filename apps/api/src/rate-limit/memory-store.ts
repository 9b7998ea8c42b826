import type { BucketLimit, RateLimitBucket } from '@tandem/contract';
import { gcraStep } from './gcra.js';
import type { RateLimitDecision, RateLimitStore } from './rate-limit-store.js';

export interface MemoryStoreOptions {
  /** Milliseconds on any steady clock; tests pass one they move by hand. */
  now?: () => number;
  /** How often buckets that are full again are forgotten. */
  sweepIntervalMs?: number;
}

/**
 * The buckets in a Map in this process: the default, exact and free, but each replica
 * has its own budget (N replicas admit N times the limit — use Redis for that). A bucket
 * that is full again holds nothing worth keeping, so a timer drops it: memory grows with
 * the clients active in the last `burst / unitsPerSecond` seconds, not with all ever seen.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory';
  /** Per bucket, each client's TAT: the client's key as it is (no `bucket:client` string built per request). */
  private readonly tats = new Map<RateLimitBucket, Map<string, number>>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  /** Buckets currently held (full ones are dropped by the sweep). */
  get size(): number {
    let size = 0;
    for (const clients of this.tats.values()) size += clients.size;
    return size;
  }

  consume(bucket: RateLimitBucket, client: string, cost: number, limit: BucketLimit): RateLimitDecision {
    let clients = this.tats.get(bucket);
    if (!clients) {
      clients = new Map();
      this.tats.set(bucket, clients);
    }
    const step = gcraStep(clients.get(client), this.now(), cost, limit);
    if (step.allowed) clients.set(client, step.tatMs);
    return {
      allowed: step.allowed,
      limit: limit.burst,
      remaining: step.remaining,
      resetMs: Math.ceil(step.resetMs),
      retryAfterMs: step.retryAfterMs === undefined ? undefined : Math.ceil(step.retryAfterMs),
    };
  }

  /** Forgets every bucket that is full again (its TAT is in the past). */
  sweep(): void {
    const now = this.now();
    for (const clients of this.tats.values()) {
      for (const [client, tat] of clients) if (tat <= now) clients.delete(client);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.tats.clear();
  }
}
