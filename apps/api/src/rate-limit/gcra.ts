import type { BucketLimit } from '@tandem/contract';

/**
 * The Generic Cell Rate Algorithm: a token bucket kept as one number per client, the
 * "theoretical arrival time" (TAT) — when the bucket would be full again. A request of
 * `cost` units moves it `cost × interval` later; it is admitted while the TAT stays
 * within `burst × interval` of now. Exact for any weight, and the refusal says exactly
 * when the same request would pass. The Redis store runs the same steps in Lua
 * (redis-store.ts); a change here is a change there.
 */
export interface GcraStep {
  allowed: boolean;
  /** The TAT to store when admitted (ms, same clock as `nowMs`); unchanged when refused. */
  tatMs: number;
  /** Whole units left after this request (before it, when refused). */
  remaining: number;
  /** Ms until the bucket is full again. */
  resetMs: number;
  /** Ms until this same request would be admitted; undefined when it never can (cost > burst). */
  retryAfterMs: number | undefined;
}

/** Float noise guard: 199.99999999 units left is 200. */
const EPSILON = 1e-9;

export function msPerUnit(limit: BucketLimit): number {
  return 1000 / limit.unitsPerSecond;
}

export function gcraStep(storedTatMs: number | undefined, nowMs: number, cost: number, limit: BucketLimit): GcraStep {
  const interval = msPerUnit(limit);
  const capacityMs = limit.burst * interval;
  const tat = storedTatMs === undefined || storedTatMs < nowMs ? nowMs : storedTatMs;
  const next = tat + cost * interval;
  if (next - nowMs > capacityMs + EPSILON) {
    return {
      allowed: false,
      tatMs: tat,
      remaining: unitsLeft(capacityMs, tat - nowMs, interval),
      resetMs: tat - nowMs,
      retryAfterMs: cost > limit.burst ? undefined : next - capacityMs - nowMs,
    };
  }
  return {
    allowed: true,
    tatMs: next,
    remaining: unitsLeft(capacityMs, next - nowMs, interval),
    resetMs: next - nowMs,
    retryAfterMs: 0,
  };
}

/** Whole units left in a bucket of `capacityMs` whose TAT is `aheadMs` after now. */
function unitsLeft(capacityMs: number, aheadMs: number, interval: number): number {
  return Math.max(0, Math.floor((capacityMs - aheadMs) / interval + EPSILON));
}
