export interface ReconnectPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** No wait is ever longer than this. */
  capMs: number;
  /** A connection that stayed open this long was healthy: the next drop starts again at `baseMs`. */
  stableMs: number;
}

/** Live connections: 0.5 s, 1 s, 2 s … up to 30 s; a minute open counts as stable. */
export const LIVE_RECONNECT: ReconnectPolicy = { baseMs: 500, capMs: 30_000, stableMs: 60_000 };

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): exponential,
 * capped, with "equal jitter" — half the step is fixed, half is random — so clients that
 * lost the server together do not all come back in the same millisecond, and none
 * retries immediately. `random` is `Math.random` unless a test pins it.
 */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}
