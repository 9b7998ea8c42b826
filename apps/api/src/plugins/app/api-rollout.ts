import { randomInt } from 'node:crypto';
import {
  API_VERSION_HEADER,
  API_VERSIONS,
  ApiVersion,
  ASSIGNMENT_REASONS,
  apiVersionOfPath,
  CANARY_BUCKET_COOKIE,
  CANARY_BUCKET_MAX_AGE_SECONDS,
  CANARY_BUCKETS,
  CANARY_COOKIE,
  CANARY_HEADER,
  type RolloutState,
  type SetRolloutBody,
  toValidationIssues,
  type VersionAssignment,
} from '@tandem/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { readCookie } from '../../cookie-header.js';
import { AppError } from '../../errors.js';
import { assignVersion, effectiveV2Share } from '../../version-assignment.js';

declare module 'fastify' {
  interface FastifyInstance {
    rollout: ApiRollout;
  }
}

/**
 * The v2 rollout at run time (docs/versioning.md): whether v2 is enabled, the share of
 * canary buckets on it, and the injected v2 fault rate (a drill for the alert and the rollback).
 */
export interface ApiRollout {
  state(): RolloutState;
  /** Applies a change (PUT /api/v1/admin/rollout) and answers the new state. */
  set(change: SetRolloutBody): RolloutState;
  /**
   * The version this client should use: reads its bucket cookie (a new random bucket,
   * sent back as a cookie, when it has none) and `x-api-canary`, then the canary rule
   * (version-assignment.ts). Counts the assignment and names it in `api-version`.
   */
  assign(request: FastifyRequest, reply: FastifyReply): VersionAssignment;
}

export interface ApiRolloutOptions {
  /** API_V2_ENABLED and API_V2_SHARE; the fault rate always starts at 0. */
  initial: { enabled: boolean; share: number };
}

/** Exactly how the server writes a bucket: `0`…`99`, no sign, no leading zero. */
const BUCKET_PATTERN = /^(?:0|[1-9][0-9]?)$/;

/**
 * The client's sticky bucket, or undefined when it sent none we could have written.
 * A malformed cookie (`abc`, `150`, `-1`, `07`) is treated as absent and replaced by a
 * fresh bucket, never answered 400 or 500: the cookie is ours, the client cannot fix it,
 * and refusing /api/version would leave the SPA without a version at all.
 */
export function bucketOfCookie(cookieHeader: string | readonly string[] | undefined): number | undefined {
  const value = readCookie(cookieHeader, CANARY_BUCKET_COOKIE);
  return value !== undefined && BUCKET_PATTERN.test(value) ? Number(value) : undefined;
}

/** `Path=/api` so the cookie reaches /api/version and nothing outside the API; HttpOnly: scripts never need it. */
export function bucketCookie(bucket: number): string {
  return `${CANARY_BUCKET_COOKIE}=${bucket}; Max-Age=${CANARY_BUCKET_MAX_AGE_SECONDS}; Path=/api; SameSite=Lax; Secure; HttpOnly`;
}

const CanaryCookie = z.object({ [CANARY_COOKIE]: ApiVersion });

/**
 * An explicit choice of version: the `x-api-canary` header (validated by the route's
 * header schema, a bad value is a 400 there), else the `tandem_api_canary` cookie.
 */
function requestedVersion(request: FastifyRequest): { version: ApiVersion; by: 'header' | 'cookie' } | undefined {
  const header = ApiVersion.safeParse(request.headers[CANARY_HEADER]);
  if (header.success) return { version: header.data, by: 'header' };
  const cookie = readCookie(request.headers.cookie, CANARY_COOKIE);
  if (cookie === undefined) return undefined;
  const parsed = CanaryCookie.safeParse({ [CANARY_COOKIE]: cookie });
  if (parsed.success) return { version: parsed.data[CANARY_COOKIE], by: 'cookie' };
  const issues = toValidationIssues(parsed.error, 'cookies');
  throw new AppError('VALIDATION_FAILED', {
    issues,
    message: `Invalid cookies.${CANARY_COOKIE}: ${issues[0]?.message ?? 'not v1 or v2'}`,
  });
}

export default fp<ApiRolloutOptions>(
  async (app, { initial }) => {
    const { rolloutV2Share, versionAssignments } = app.metrics;
    let state: RolloutState = { v2Enabled: initial.enabled, v2Share: initial.share, v2FaultRate: 0 };
    rolloutV2Share.set(effectiveV2Share(state));
    for (const version of API_VERSIONS) {
      for (const reason of ASSIGNMENT_REASONS) versionAssignments.inc({ version, reason }, 0);
    }

    app.decorate('rollout', {
      state: () => ({ ...state }),
      set(change) {
        state = { ...state, ...change };
        rolloutV2Share.set(effectiveV2Share(state));
        return { ...state };
      },
      assign(request, reply) {
        let bucket = bucketOfCookie(request.headers.cookie);
        if (bucket === undefined) {
          bucket = randomInt(CANARY_BUCKETS);
          reply.header('set-cookie', bucketCookie(bucket));
        }
        const assignment = assignVersion(state, bucket, requestedVersion(request));
        versionAssignments.inc({ version: assignment.version, reason: assignment.reason });
        reply.header(API_VERSION_HEADER, assignment.version);
        return assignment;
      },
    } satisfies ApiRollout);

    // Every answer under /api/v1 and /api/v2 names its version, early ones (429, 404, preflight) too.
    app.addHook('onRequest', (request, reply, done) => {
      const version = apiVersionOfPath(request.url);
      if (version) reply.header(API_VERSION_HEADER, version);
      done();
    });
  },
  { name: 'api-rollout', dependencies: ['metrics'] },
);
