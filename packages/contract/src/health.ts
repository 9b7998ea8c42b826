import { z } from 'zod';
import { successEnvelope } from './envelope.js';

export const Health = z
  .object({
    status: z.literal('ok'),
    uptimeSeconds: z.number().nonnegative(),
  })
  .meta({ id: 'Health' });

export const Readiness = z
  .object({
    status: z.literal('ready'),
    database: z.enum(['pglite', 'postgres']),
  })
  .meta({ id: 'Readiness' });

export const HealthEnvelope = successEnvelope('HealthEnvelope', 200, Health);
export const ReadinessEnvelope = successEnvelope('ReadinessEnvelope', 200, Readiness);
