import type { Endpoint } from './endpoint.js';

/**
 * Whether an overloaded API refuses this endpoint with a 503 `OVERLOADED` (and
 * `Retry-After`) instead of serving it: every `/api/` operation but the admin routes (an
 * operator must be able to act while the API is overloaded). The probes and `/metrics`
 * are never shed: liveness stays 200, readiness says 503 itself, the scrape goes on.
 * The OpenAPI document lists the 503 on exactly these operations.
 */
export function shedWhenOverloaded(endpoint: Pick<Endpoint, 'path' | 'auth'>): boolean {
  return endpoint.path.startsWith('/api/') && endpoint.auth !== 'admin';
}
