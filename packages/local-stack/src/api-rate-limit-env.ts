/** The API's `api` bucket (RATE_LIMIT_API_* in .env.example): units added per second, and the most it holds. */
export interface ApiRateLimit {
  unitsPerSecond: number;
  burst: number;
}

/**
 * A limit no load from one loopback address reaches, for a run that measures something
 * other than the limiter: all its requests share one client key, and would otherwise be
 * refused long before they reach what is measured.
 */
export const LIFTED_API_RATE_LIMIT: ApiRateLimit = { unitsPerSecond: 1_000_000, burst: 1_000_000 };

/** `limit` as the API's environment, for startApi's `env`. */
export function apiRateLimitEnv(limit: ApiRateLimit): Record<string, string> {
  return {
    RATE_LIMIT_API_UNITS_PER_SECOND: String(limit.unitsPerSecond),
    RATE_LIMIT_API_BURST: String(limit.burst),
  };
}
