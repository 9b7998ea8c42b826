import type { ApiVersion, RolloutState, VersionAssignment } from '@tandem/contract';

/**
 * Percent of canary buckets on v2 right now: the configured share, or 0 while v2 is
 * rolled back. What `tandem_api_rollout_v2_share` shows and assignments report.
 */
export function effectiveV2Share(rollout: RolloutState): number {
  return rollout.v2Enabled ? rollout.v2Share : 0;
}

/**
 * The canary rule. A rollback wins over everything (one switch sends every client to v1);
 * then an explicit `x-api-canary` header, else the `tandem_api_canary` cookie; then the client's sticky bucket against the share.
 * Because a client is on v2 exactly when `bucket < share`, raising the share only ever
 * adds clients to v2 and lowering it only ever removes them.
 */
export function assignVersion(
  rollout: RolloutState,
  bucket: number,
  requested: { version: ApiVersion; by: 'header' | 'cookie' } | undefined,
): VersionAssignment {
  const v2Share = effectiveV2Share(rollout);
  if (!rollout.v2Enabled) return { version: 'v1', reason: 'rolled-back', bucket, v2Share };
  if (requested) return { version: requested.version, reason: requested.by, bucket, v2Share };
  return { version: bucket < v2Share ? 'v2' : 'v1', reason: 'share', bucket, v2Share };
}
