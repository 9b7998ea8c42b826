import { z } from 'zod';
import { successEnvelope } from './envelope.js';

export const EventGeneratorSettings = z
  .strictObject({
    eventsPerSecond: z.int().min(0).max(100_000),
    payloadBytes: z
      .int()
      .min(0)
      .max(64 * 1024)
      .default(0),
  })
  .meta({
    id: 'EventGeneratorSettings',
    description: 'Synthetic `generator.tick` events for benchmarks, load tests and labs; 0 stops.',
  });

export const EventGeneratorEnvelope = successEnvelope('EventGeneratorEnvelope', 200, EventGeneratorSettings);
