import { z } from 'zod';

/** The header that makes a write safe to retry: the same key returns the first result. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** One key per user action (the SPA sends a UUID); bounded and log-safe. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Send 8–128 letters, digits or . _ : -, e.g. a UUID.')
  .meta({ id: 'IdempotencyKey' });
