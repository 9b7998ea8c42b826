import { z } from 'zod';

/** The header that makes a write safe to retry: the same key returns the first result. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Set (`true`) on an answer that repeats the first result of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * How long the server remembers a key (24 h): within it a retry replays the first
 * result; after it the same key is a new request. Clients retry well inside this.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** One key per user action (the SPA sends a UUID); bounded and log-safe. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Send 8–128 letters, digits or . _ : -, e.g. a UUID.')
  .meta({ id: 'IdempotencyKey' });
