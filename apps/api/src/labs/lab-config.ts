import { type LAB_IDS, type LabId, LabMode } from '@tandem/contract/labs';
import { z } from 'zod';
import { ConfigError, type Environment } from '../config.js';

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const labMode = z.preprocess(blankAsUnset, LabMode.default('tuned'));

/**
 * The lab layer's variables (read only when LABS_ENABLED=true; `.env.example`'s labs block
 * documents them): each lab's mode at start, and the timeout lab's slow report.
 */
const LabEnvSchema = z.object({
  LAB_MODE_H2_SSE: labMode,
  LAB_MODE_HEARTBEAT: labMode,
  LAB_MODE_CORS_PREFLIGHT: labMode,
  LAB_MODE_LEAKS: labMode,
  LAB_MODE_SERIALIZATION: labMode,
  LAB_MODE_DATE_CODEC: labMode,
  /** The rate limiter's weighting and the batch read (labs/batch-weight.ts). */
  LAB_MODE_BATCH_WEIGHT: labMode,
  LAB_MODE_REQUEST_ID: labMode,
  /** Client-side only: the SPA's retry policy. */
  LAB_MODE_RETRY_429: labMode,
  LAB_MODE_TIMEOUT: labMode,
  /** The server only holds it: the release plan (contract labs/versioning-rollout-plan.ts) the lab script follows. */
  LAB_MODE_VERSIONING: labMode,
  /** The customers report's name comparator (labs/profiling.ts); the SPA's customers list follows it. */
  LAB_MODE_PROFILING: labMode,
  /** The password hasher (scrypt on the event loop) and the session lookups cache (off) (labs/auth-cost.ts). */
  LAB_MODE_AUTH_COST: labMode,
  /** What replicas share (REDIS_URL) kept in each process; read at start only (labs/scale-out.ts says why). */
  LAB_MODE_SCALE_OUT: labMode,
  /** The timeout lab's slow path: GET /api/v1/reports/orders first sleeps this long in the database; 0 = off. */
  LAB_SLOW_QUERY_MS: z.preprocess(blankAsUnset, z.coerce.number<string>().int().min(0).max(600_000).default(0)),
});

export interface LabConfig {
  /** Each lab's mode at start (LAB_MODE_*); PUT /api/v1/admin/labs/:id flips them at run time. */
  modes: Readonly<Record<LabId, LabMode>>;
  /** LAB_SLOW_QUERY_MS: database time added before the orders report (labs/timeout.ts); 0 = off. */
  slowQueryMs: number;
}

/**
 * Parses the lab layer's variables from the environment the composition root hands over
 * (app.ts: the one the API's config came from). Throws a `ConfigError` naming every bad
 * variable, as the API's own config does.
 */
export function loadLabConfig(env: Environment): Readonly<LabConfig> {
  const parsed = LabEnvSchema.safeParse(env);
  if (!parsed.success) throw ConfigError.of(parsed.error, env);
  const e = parsed.data;
  const modes = {
    'h2-sse': e.LAB_MODE_H2_SSE,
    heartbeat: e.LAB_MODE_HEARTBEAT,
    'cors-preflight': e.LAB_MODE_CORS_PREFLIGHT,
    leaks: e.LAB_MODE_LEAKS,
    serialization: e.LAB_MODE_SERIALIZATION,
    'date-codec': e.LAB_MODE_DATE_CODEC,
    'batch-weight': e.LAB_MODE_BATCH_WEIGHT,
    'request-id': e.LAB_MODE_REQUEST_ID,
    'retry-429': e.LAB_MODE_RETRY_429,
    timeout: e.LAB_MODE_TIMEOUT,
    versioning: e.LAB_MODE_VERSIONING,
    profiling: e.LAB_MODE_PROFILING,
    'auth-cost': e.LAB_MODE_AUTH_COST,
    'scale-out': e.LAB_MODE_SCALE_OUT,
  } satisfies Record<(typeof LAB_IDS)[number], LabMode>;
  return Object.freeze({ modes: Object.freeze(modes), slowQueryMs: e.LAB_SLOW_QUERY_MS });
}
