import { type HttpMethod, RATE_LIMIT_DEFAULTS } from '@tandem/contract';
import type { ApiError } from './api-error';

/**
 * Whether, and when, a failed API call is tried again: the one place the app decides it.
 *
 * Where retries happen: inside `call()` (client.ts), through `runWithRetries`
 * (run-with-retries.ts), never in vue-query (its `retry` is `false` for queries and
 * mutations, see query-client.ts). So one policy covers every call, vue-query or not;
 * every attempt goes through the axios instance with its 1-based number on the request
 * config (`config.attempt`, read by RUM); one deadline spans a call's attempts (the
 * remaining milliseconds are the axios timeout and the `X-Request-Timeout` header of
 * each attempt); and a write's retries reuse the `Idempotency-Key` of the person's action.
 *
 * The aligned rules (the app's setting):
 * - a 4xx is the same on every try: never retried, except 429 and 503, which wait for the
 *   server's `data.retryAfterMs` (or `Retry-After`), jittered upward only (never earlier
 *   than asked) and refused when the server asks for longer than `maxRetryAfterMs`;
 * - no answer (`NETWORK`, `TIMEOUT`) and a 5xx back off exponentially with full jitter
 *   (random between 0 and base·2^(attempt−1), capped); a 429/503 without a delay too;
 * - a 504 `DEADLINE_EXCEEDED` is not retried: the server already spent the whole deadline;
 * - a write (POST, PUT, PATCH, DELETE) is retried only when it carries an Idempotency-Key;
 * - at most `maxAttempts` attempts, none that would start after the call's deadline, and
 *   each retry spends a token of a budget that successes refill (`RetryBudget`): when the
 *   API is sick, retries dry up instead of multiplying its load.
 *
 * The policy is a value: `alignedRetryPolicy`, or `defaultRetryPolicy` (what vue-query and
 * axios do out of the box), swapped at run time with `setRetryPolicy` (to compare the two
 * against an overloaded API). Deciding is pure: the random source is passed in, so tests replay it.
 */

/** One failed attempt, as the policy sees it. */
export interface RetryFailure {
  error: ApiError;
  /** The 1-based number of the attempt that failed. */
  attempt: number;
  method: HttpMethod;
  hasIdempotencyKey: boolean;
  /** Milliseconds left of the call's deadline; `Infinity` when the call has none. */
  remainingMs: number;
}

export type RetryRefusal =
  | 'not-retryable'
  | 'write-without-key'
  | 'attempts-exhausted'
  | 'retry-after-too-long'
  | 'past-deadline'
  | 'budget-exhausted';

export type RetryDecision =
  | { retry: true; delayMs: number; wait: 'retry-after' | 'backoff' }
  | { retry: false; reason: RetryRefusal };

export interface RetryPolicy {
  readonly name: 'aligned' | 'default';
  /**
   * `true`: one deadline spans every attempt of a call. `false`: each attempt gets a fresh
   * one, as when vue-query re-runs a query function that sets its own axios timeout.
   */
  readonly deadlineSpansRetries: boolean;
  /** Whether each retry spends a token of the shared `RetryBudget`. */
  readonly usesBudget: boolean;
  /** Decides about one failed attempt; `random` returns a number in [0, 1). */
  decide(failure: RetryFailure, random: () => number): RetryDecision;
}

const WRITES: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The numbers behind `alignedRetryPolicy`. */
export const ALIGNED_RETRY = {
  /** The first attempt and two retries. */
  maxAttempts: 3,
  /** The backoff window of the first retry; it doubles with each one. */
  baseDelayMs: 250,
  maxBackoffMs: 4_000,
  /**
   * The longest wait the API's limiter can ask for with its default limits (the contract's
   * RATE_LIMIT_DEFAULTS, which the API's RATE_LIMIT_* variables start from): a request is
   * admitted at the latest once an empty bucket has refilled, burst ÷ unitsPerSecond
   * (200 ÷ 50 = 4 s). A longer ask means the API is shedding load harder than the
   * published limits: the error is shown instead of a long spinner.
   */
  maxRetryAfterMs: Math.ceil(
    (1_000 * RATE_LIMIT_DEFAULTS.buckets.api.burst) / RATE_LIMIT_DEFAULTS.buckets.api.unitsPerSecond,
  ),
  /** The upward spread added to the server's delay: this share of it, at least `minRetryAfterJitterMs`. */
  retryAfterJitterRatio: 0.2,
  minRetryAfterJitterMs: 100,
  /** An attempt with less time than this left of the deadline is not worth sending. */
  minAttemptMs: 250,
} as const;

function refuse(reason: RetryRefusal): RetryDecision {
  return { retry: false, reason };
}

/** The app's policy: see the rules at the top of this file. */
export const alignedRetryPolicy: RetryPolicy = {
  name: 'aligned',
  deadlineSpansRetries: true,
  usesBudget: true,
  decide({ error, attempt, method, hasIdempotencyKey, remainingMs }, random) {
    const asksToWait = error.status === 429 || error.status === 503;
    const mayPass =
      asksToWait || error.name === 'NETWORK' || error.name === 'TIMEOUT' || (error.status >= 500 && error.status < 600);
    if (!mayPass || error.name === 'DEADLINE_EXCEEDED') return refuse('not-retryable');
    if (WRITES.has(method) && !hasIdempotencyKey) return refuse('write-without-key');
    if (attempt >= ALIGNED_RETRY.maxAttempts) return refuse('attempts-exhausted');

    let decision: RetryDecision;
    if (asksToWait && error.retryAfterMs !== undefined) {
      const asked = error.retryAfterMs;
      if (asked > ALIGNED_RETRY.maxRetryAfterMs) return refuse('retry-after-too-long');
      const spread = Math.max(asked * ALIGNED_RETRY.retryAfterJitterRatio, ALIGNED_RETRY.minRetryAfterJitterMs);
      // Upward only, then capped, but the cap never cuts below what the server asked for.
      const delayMs = Math.max(asked, Math.min(asked + random() * spread, ALIGNED_RETRY.maxRetryAfterMs));
      decision = { retry: true, delayMs: Math.ceil(delayMs), wait: 'retry-after' };
    } else {
      const window = Math.min(ALIGNED_RETRY.maxBackoffMs, ALIGNED_RETRY.baseDelayMs * 2 ** (attempt - 1));
      decision = { retry: true, delayMs: Math.floor(random() * window), wait: 'backoff' };
    }
    if (remainingMs - decision.delayMs < ALIGNED_RETRY.minAttemptMs) return refuse('past-deadline');
    return decision;
  },
};

/** The numbers behind `defaultRetryPolicy`: vue-query's defaults for a query. */
export const DEFAULT_RETRY = {
  /** vue-query's `retry: 3`. */
  maxAttempts: 4,
  /** vue-query's `retryDelay`: min(1000 · 2^failureCount, 30 s). */
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
} as const;

/**
 * What an app gets from the libraries' defaults: a query is retried 3 times whatever the
 * failure (a 4xx and a 429 included) after 1 s, 2 s, 4 s, without jitter, without reading
 * `Retry-After`, without a budget, each attempt with a fresh timeout; a mutation is
 * never retried. Kept to compare against, never the app's setting.
 */
export const defaultRetryPolicy: RetryPolicy = {
  name: 'default',
  deadlineSpansRetries: false,
  usesBudget: false,
  decide({ error, attempt, method }) {
    if (error.name === 'CANCELLED') return refuse('not-retryable');
    if (method !== 'GET') return refuse('write-without-key');
    if (attempt >= DEFAULT_RETRY.maxAttempts) return refuse('attempts-exhausted');
    const delayMs = Math.min(DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1), DEFAULT_RETRY.maxDelayMs);
    return { retry: true, delayMs, wait: 'backoff' };
  },
};

/**
 * A retry budget (the token bucket of gRPC's retry throttling and the AWS SDKs): each
 * retry spends one token, each success puts back `refillPerSuccess`, up to `capacity`.
 * A healthy API keeps it full; an API where everything fails gets at most `capacity`
 * retries, then one per 1/`refillPerSuccess` successes, so retries add at most
 * `refillPerSuccess` (10%) to the load a sick API sees.
 */
export class RetryBudget {
  #tokens: number;

  constructor(
    readonly capacity = 10,
    readonly refillPerSuccess = 0.1,
  ) {
    this.#tokens = capacity;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Takes a token for one retry; false when none is left (the retry is not made). */
  trySpend(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  recordSuccess(): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + this.refillPerSuccess);
  }

  /** Full again, as after a page load. */
  refill(): void {
    this.#tokens = this.capacity;
  }
}

/** The budget every call of this tab shares. */
export const sharedRetryBudget = new RetryBudget();

let policyInUse: RetryPolicy = alignedRetryPolicy;

/** The policy the next calls use. */
export function retryPolicyInUse(): RetryPolicy {
  return policyInUse;
}

/** Swaps the policy at run time; calls in flight keep theirs. */
export function setRetryPolicy(policy: RetryPolicy): void {
  policyInUse = policy;
}
