import { z } from 'zod';
import { successEnvelope } from './envelope.js';

/**
 * The API's versions and the canary that moves clients from v1 to v2 (docs/versioning.md).
 * One process serves both from one repository layer; which one a client uses is decided
 * by `GET /api/version` and stays the same until the rollout moves it.
 */
export const API_VERSIONS = ['v1', 'v2'] as const;
export const ApiVersion = z.enum(API_VERSIONS).meta({ id: 'ApiVersion' });
export type ApiVersion = z.output<typeof ApiVersion>;

/** Response header of every `/api/v1/*`, `/api/v2/*` and `/api/version` answer: the version that served it (or was assigned). */
export const API_VERSION_HEADER = 'api-version';

/** Request header: `v2` asks for v2, `v1` for v1; honoured unless v2 is rolled back (then always v1). */
export const CANARY_HEADER = 'x-api-canary';

/**
 * Request cookie with the same meaning as CANARY_HEADER (`v2` | `v1`), for opting a whole
 * browser in or out without touching the app (set it once, e.g. from the devtools or a
 * team's login page, `Path=/api`). The header wins when both are sent. Another value is a
 * 400 naming `cookies.tandem_api_canary`, not a silent v1.
 */
export const CANARY_COOKIE = 'tandem_api_canary';

/**
 * The sticky bucket of a client, 0–99, set by the server on its first `/api/version` call.
 * A client is on v2 when `bucket < v2Share`, so raising the share never moves a v2 client
 * back, and a rollback moves everyone to v1 at their next check.
 */
export const CANARY_BUCKET_COOKIE = 'tandem_canary_bucket';
export const CANARY_BUCKETS = 100;
export const CANARY_BUCKET_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export const CanaryBucket = z
  .int()
  .min(0)
  .max(CANARY_BUCKETS - 1)
  .meta({ id: 'CanaryBucket', description: 'The client’s sticky bucket (cookie `tandem_canary_bucket`).' });

/** Percent of buckets on v2: 0 (nobody) to 100 (everybody). */
export const V2Share = z.int().min(0).max(100).meta({ id: 'V2Share', description: 'Percent of clients on v2, 0–100.' });

/** Why a client got its version: the canary header or cookie, its bucket against the share, or a rollback. */
export const ASSIGNMENT_REASONS = ['header', 'cookie', 'share', 'rolled-back'] as const;
export const AssignmentReason = z.enum(ASSIGNMENT_REASONS).meta({ id: 'AssignmentReason' });
export type AssignmentReason = z.output<typeof AssignmentReason>;

export const VersionAssignment = z
  .object({
    version: ApiVersion,
    reason: AssignmentReason,
    bucket: CanaryBucket,
    v2Share: V2Share,
  })
  .meta({ id: 'VersionAssignment', description: 'The API version this client should use, and why.' });
export type VersionAssignment = z.output<typeof VersionAssignment>;

/** Optional request header of `GET /api/version`: an explicit opt-in to v2 or opt-out to v1. */
export const VersionHeaders = z
  .object({
    [CANARY_HEADER]: ApiVersion.optional().meta({
      description: 'Ask for a version (`v2` opt-in, `v1` opt-out); ignored (v1) while v2 is rolled back.',
    }),
  })
  .meta({ id: 'VersionHeaders' });

export const RolloutState = z
  .object({
    v2Enabled: z.boolean().meta({ description: 'false rolls every client back to v1 (the one switch).' }),
    v2Share: V2Share,
    v2FaultRate: z
      .number()
      .min(0)
      .max(1)
      .meta({ description: 'Share of v2 orders calls failed on purpose with V2_INJECTED_FAULT (versioning lab).' }),
  })
  .meta({ id: 'RolloutState' });
export type RolloutState = z.output<typeof RolloutState>;

/** A change of the rollout: any of its fields, at least one. */
export const SetRolloutBody = RolloutState.partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one of v2Enabled, v2Share, v2FaultRate.' })
  .meta({ id: 'SetRolloutBody' });
export type SetRolloutBody = z.output<typeof SetRolloutBody>;

export const VersionAssignmentEnvelope = successEnvelope('VersionAssignmentEnvelope', 200, VersionAssignment);
export const RolloutStateEnvelope = successEnvelope('RolloutStateEnvelope', 200, RolloutState);

const VERSION_PREFIXES = API_VERSIONS.map((version) => [version, `/api/${version}`] as const);
const SLASH = '/'.charCodeAt(0);
const QUESTION_MARK = '?'.charCodeAt(0);

/**
 * The version a request was served by, from its route pattern or its URL, query and all
 * (`/api/v2/orders` → v2, `/api/v1/orders?limit=20` → v1); undefined outside both groups.
 */
export function apiVersionOfPath(path: string): ApiVersion | undefined {
  // Read on every API request: prefix checks, no regular expression or match array.
  for (const [version, prefix] of VERSION_PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const next = path.charCodeAt(prefix.length);
    if (Number.isNaN(next) || next === SLASH || next === QUESTION_MARK) return version;
  }
  return undefined;
}
