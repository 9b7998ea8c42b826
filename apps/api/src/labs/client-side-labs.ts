import { defineClientSideLab } from './define-lab.js';

// Labs whose naive and tuned sides live outside the API: the server only holds their mode,
// which the SPA (apps/web/src/labs/) and the lab scripts (labs/src/<id>/) read from
// GET /api/v1/labs. Their pages in docs/labs/ link the code of both sides.

/**
 * h2-sse: both listeners always run (API_PORT: h2 and http/1.1; API_H1_PORT: http/1.1
 * only, plugins/app/h1-listener.ts); the SPA picks which origin it talks to by the mode.
 */
export const h2SseLab = defineClientSideLab('h2-sse');

/**
 * leaks: the SPA's components close (tuned) or keep (naive) their streams and timers; the
 * server's part is to show it, in tandem_sse_streams_open, tandem_ws_connections_open and
 * tandem_active_handles.
 */
export const leaksLab = defineClientSideLab('leaks');

/**
 * retry-429: the limiter answers 429 with Retry-After in both modes
 * (plugins/app/rate-limit.ts); the SPA retries with vue-query's defaults (naive) or its
 * aligned policy (tuned).
 */
export const retry429Lab = defineClientSideLab('retry-429');

/**
 * versioning: which release plan of API v2 to follow (@tandem/contract/labs
 * versioning-rollout-plan.ts: naive = big bang to 100 %, tuned = canary 10 → 50 → 100 %).
 * Whoever releases (`pnpm lab versioning`, the k6 scenario, a person with curl) moves the
 * share with PUT /api/v1/admin/rollout (plugins/app/api-rollout.ts).
 */
export const versioningLab = defineClientSideLab('versioning');
