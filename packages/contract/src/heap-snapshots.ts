import { z } from 'zod';
import { successEnvelope } from './envelope.js';

/** A heap snapshot the API wrote (POST /api/v1/admin/heap-snapshot, or SIGUSR2). */
export const HeapSnapshotFile = z
  .object({
    /** Absolute path on the API's machine; open it in Chrome DevTools → Memory → Load. */
    path: z.string().min(1),
    sizeBytes: z.number().int().nonnegative(),
    /** How long the API took to take and write it (its event loop is paused while V8 takes it). */
    durationMs: z.number().nonnegative(),
  })
  .meta({ id: 'HeapSnapshotFile' });

export const HeapSnapshotFileEnvelope = successEnvelope('HeapSnapshotFileEnvelope', 200, HeapSnapshotFile);
