import type { LabMode } from './catalogue.js';

/**
 * The release plan of API v2: the v2 shares (percent of clients, by their sticky bucket)
 * a release moves through, in order, each set with `PUT /api/v1/admin/rollout`. Which plan
 * a release follows is the versioning lab's switch (`GET /api/v1/labs`); `pnpm lab
 * versioning` and the k6 scenario carry it out, holding each step until the alert
 * TandemV2ErrorRateAboveV1 has had time to evaluate (docs/versioning.md).
 */
export const VERSIONING_ROLLOUT_PLANS = {
  // lab versioning: naive — big bang, every client on v2 at once.
  naive: [100],
  // lab versioning: tuned — canary, 10 → 50 → 100 % of clients.
  tuned: [10, 50, 100],
} as const satisfies Record<LabMode, readonly number[]>;

/** The v2 shares a release walks through under the versioning lab's `mode`. */
export function rolloutPlanOf(mode: LabMode): readonly number[] {
  return VERSIONING_ROLLOUT_PLANS[mode];
}
