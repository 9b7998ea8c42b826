import type { BucketLimit, RateLimitBucket, RateLimits, RateLimitWeighting } from '@tandem/contract';
import type { RateLimitDecision, RateLimitStore } from './rate-limit-store.js';

/** The bucket limits the API starts with (config.ts). */
export interface RateLimitSettings {
  buckets: Readonly<Record<RateLimitBucket, BucketLimit>>;
}

export interface RateLimiterOptions {
  settings: RateLimitSettings;
  /**
   * The weighting in force, read on every request: the API passes the batch-weight lab's
   * switch (labs/batch-weight-policy.ts), so flipping the lab flips the limiter.
   */
  weighting: () => RateLimitWeighting;
  store: RateLimitStore;
  /** A store that could not answer (Redis down or slow): the request was admitted. */
  onStoreError?: (error: unknown) => void;
}

/**
 * Charges requests to per-client buckets. What a request costs is declared by its
 * endpoint; `weighting` decides whether that cost is charged (`weighted`) or every
 * request counts 1 (`per-request`, the naive limiter of the batch-weight lab).
 *
 * When the store fails, the request is admitted (fail open) and `onStoreError` is told:
 * the limiter protects the API from overload, and refusing every call because Redis is
 * away would turn a Redis outage into an API outage.
 */
export class RateLimiter {
  private readonly currentWeighting: () => RateLimitWeighting;
  private readonly buckets: Readonly<Record<RateLimitBucket, BucketLimit>>;
  private readonly store: RateLimitStore;
  private readonly onStoreError: (error: unknown) => void;

  constructor(options: RateLimiterOptions) {
    this.currentWeighting = options.weighting;
    this.buckets = options.settings.buckets;
    this.store = options.store;
    this.onStoreError = options.onStoreError ?? (() => {});
  }

  get weighting(): RateLimitWeighting {
    return this.currentWeighting();
  }

  get storeKind(): RateLimitStore['kind'] {
    return this.store.kind;
  }

  /** The active limits, as `GET /api/v1/limits` publishes them. */
  limits(): RateLimits {
    return { weighting: this.currentWeighting(), key: 'client-ip', buckets: { ...this.buckets } };
  }

  /** The units a request of this declared cost is charged under the current weighting. */
  costOf(declaredCost: number): number {
    return this.currentWeighting() === 'weighted' ? declaredCost : 1;
  }

  /**
   * Charges one request. Undefined when the store could not answer (the request is
   * admitted and `onStoreError` was called).
   */
  async consume(bucket: RateLimitBucket, client: string, declaredCost: number): Promise<RateLimitDecision | undefined> {
    try {
      return await this.store.consume(bucket, client, this.costOf(declaredCost), this.buckets[bucket]);
    } catch (error) {
      this.onStoreError(error);
      return undefined;
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
