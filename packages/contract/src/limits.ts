import { z } from 'zod';
import { DeadlineLimits } from './deadlines.js';
import { successEnvelope } from './envelope.js';
import { RateLimits } from './rate-limits.js';

/**
 * What `GET /api/v1/limits` publishes: the limits the running API enforces, so a client
 * paces itself by the server's numbers instead of guessing. One object per concern, so a
 * new concern is one more property.
 */
export const Limits = z
  .object({
    rateLimits: RateLimits,
    deadlines: DeadlineLimits,
  })
  .meta({ id: 'Limits' });
export type Limits = z.output<typeof Limits>;

export const LimitsEnvelope = successEnvelope('LimitsEnvelope', 200, Limits);
