import type { BucketLimit, RateLimitBucket, RateLimits, RateLimitWeighting } from '@tandem/contract';
import type { RateLimitDecision, RateLimitStore } from './rate-limit-store.js';

/** The bucket limits the API starts with (config.ts). */
export interface RateLimitSettings {
  buckets: Readonly<Record<RateLimitBucket, BucketLimit>>;
}

export interface RateLimiterOptions {
  settings: RateLimitSettings;
  /** The weighting at start (default `weighted`); `setWeighting` changes it at run time. */
  weighting?: RateLimitWeighting;
  store: RateLimitStore;
  /** A store that could not answer (Redis down or slow): the request was admitted. */
  onStoreError?: (error: unknown) => void;
}

/**
 * Charges requests to per-client buckets. What a request costs is declared by its
 * endpoint; `weighting` decides whether that cost is charged (`weighted`, the default: a
 * batch of N ids costs N) or every request counts 1 (`per-request`: a batch of N ids
 * costs what a single read does, though it does N times the work).
 *
 * When the store fails, the request is admitted (fail open) and `onStoreError` is told:
 * the limiter protects the API from overload, and refusing every call because Redis is
 * away would turn a Redis outage into an API outage.
 */
export class RateLimiter {
  private currentWeighting: RateLimitWeighting;
  private readonly buckets: Readonly<Record<RateLimitBucket, BucketLimit>>;
  private readonly store: RateLimitStore;
  private readonly onStoreError: (error: unknown) => void;

  constructor(options: RateLimiterOptions) {
    this.currentWeighting = options.weighting ?? 'weighted';
    this.buckets = options.settings.buckets;
    this.store = options.store;
    this.onStoreError = options.onStoreError ?? (() => {});
  }

  get weighting(): RateLimitWeighting {
    return this.currentWeighting;
  }

  /** Applies to the next request; `GET /api/v1/limits` publishes it. */
  setWeighting(weighting: RateLimitWeighting): void {
    this.currentWeighting = weighting;
  }

  get storeKind(): RateLimitStore['kind'] {
    return this.store.kind;
  }

  /** The active limits, as `GET /api/v1/limits` publishes them. */
  limits(): RateLimits {
    return { weighting: this.currentWeighting, key: 'client-ip', buckets: { ...this.buckets } };
  }

  /** The units a request of this declared cost is charged under the current weighting. */
  costOf(declaredCost: number): number {
    return this.currentWeighting === 'weighted' ? declaredCost : 1;
  }

  /**
   * Charges one request: at once from a store in this process, with a promise from Redis.
   * Undefined when the store could not answer (the request is admitted and `onStoreError`
   * was called).
   */
  consume(
    bucket: RateLimitBucket,
    client: string,
    declaredCost: number,
  ): RateLimitDecision | undefined | Promise<RateLimitDecision | undefined> {
    let answer: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      answer = this.store.consume(bucket, client, this.costOf(declaredCost), this.buckets[bucket]);
    } catch (error) {
      return this.storeFailed(error);
    }
    return answer instanceof Promise ? answer.catch((error: unknown) => this.storeFailed(error)) : answer;
  }

  private storeFailed(error: unknown): undefined {
    this.onStoreError(error);
    return undefined;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
