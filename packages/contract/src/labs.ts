import { z } from 'zod';
import { successEnvelope } from './envelope.js';

/**
 * The performance labs this build ships (see docs/labs/). Each has one run-time switch
 * with two values: `naive` reproduces the mismatch, `tuned` is the fix, in the same code.
 */
export const LAB_CATALOGUE = {
  'h2-sse': {
    title: 'SSE and API calls over HTTP/1.1 vs HTTP/2',
    naive: 'The SPA talks to the HTTP/1.1-only listener: each EventSource holds one of the browser’s 6 connections.',
    tuned: 'The SPA talks to the HTTP/2 listener: one connection, many streams.',
  },
  heartbeat: {
    title: 'Heartbeats and keepalive vs silently dropped peers',
    naive: 'No WebSocket ping, no SSE heartbeat, no HTTP/2 ping, OS keepalive default (2 h).',
    tuned: 'WebSocket ping + pong deadline, SSE comment heartbeat, HTTP/2 ping, TCP keepalive 45 s.',
  },
  leaks: {
    title: 'Streams and timers left open after a component unmounts',
    naive: 'Live components never close their EventSource, WebSocket or timers.',
    tuned: 'Components close them in onScopeDispose.',
  },
} as const satisfies Record<string, { title: string; naive: string; tuned: string }>;

export type LabId = keyof typeof LAB_CATALOGUE;
export const LAB_IDS = Object.keys(LAB_CATALOGUE) as [LabId, ...LabId[]];

export const LabIdSchema = z.enum(LAB_IDS).meta({ id: 'LabId' });
export const LabMode = z.enum(['naive', 'tuned']).meta({ id: 'LabMode' });
export type LabMode = z.output<typeof LabMode>;

export const Lab = z
  .object({
    id: LabIdSchema,
    title: z.string(),
    mode: LabMode,
    naive: z.string().meta({ description: 'What the naive setting does.' }),
    tuned: z.string().meta({ description: 'What the tuned setting does.' }),
    docs: z.string().meta({ description: 'Path of the lab’s page in the repository.' }),
  })
  .meta({ id: 'Lab' });
export type Lab = z.output<typeof Lab>;

export const LabList = z.object({ items: z.array(Lab) }).meta({ id: 'LabList' });
export const LabIdParams = z.strictObject({ id: LabIdSchema }).meta({ id: 'LabIdParams' });
export const SetLabModeBody = z.strictObject({ mode: LabMode }).meta({ id: 'SetLabModeBody' });

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
    description: 'Synthetic `generator.tick` events for labs and benchmarks; 0 stops.',
  });

export const LabListEnvelope = successEnvelope('LabListEnvelope', 200, LabList);
export const LabEnvelope = successEnvelope('LabEnvelope', 200, Lab);
export const EventGeneratorEnvelope = successEnvelope('EventGeneratorEnvelope', 200, EventGeneratorSettings);
