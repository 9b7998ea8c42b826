import { z } from 'zod';

/**
 * The one place every timeout of a call comes from: the SPA's axios timeout and
 * vue-query settings, the deadline the SPA sends, the server's default and cap, and
 * (derived per query from what is left) the database statement timeout.
 */
export const DEADLINES = {
  /** How long the SPA waits for a call before it gives up; sent as `X-Request-Timeout`. */
  clientTimeoutMs: 8_000,
  /**
   * The deadline the API gives a request that sends none (REQUEST_TIMEOUT_DEFAULT_MS
   * overrides it). The same as the SPA's timeout: its GETs stay CORS-simple and send no
   * `X-Request-Timeout` (no custom header, so no CORS preflight), so this is their deadline too.
   */
  serverDefaultMs: 8_000,
  /** The longest deadline a client may ask for; longer ones are clamped (REQUEST_TIMEOUT_MAX_MS overrides it). */
  serverMaxMs: 30_000,
} as const;

/** The header that carries the caller's deadline: whole milliseconds from when the request is sent. */
export const REQUEST_TIMEOUT_HEADER = 'x-request-timeout';

/** What `X-Request-Timeout` accepts: 1 ms up to a day, as whole digits (larger values are clamped, not refused). */
export const RequestTimeoutMs = z
  .string()
  .regex(/^[1-9][0-9]{0,7}$/, 'Send whole milliseconds, e.g. 800.')
  .transform(Number)
  .meta({ id: 'RequestTimeoutMs' });

/** The deadlines the running API applies (`GET /api/v1/limits`), from REQUEST_TIMEOUT_DEFAULT_MS / _MAX_MS. */
export const DeadlineLimits = z
  .object({
    header: z.literal(REQUEST_TIMEOUT_HEADER),
    defaultMs: z.int().min(1).meta({ description: 'The deadline of a request that sends no X-Request-Timeout.' }),
    maxMs: z.int().min(1).meta({ description: 'Longer X-Request-Timeout values are clamped to this (not refused).' }),
  })
  .meta({ id: 'DeadlineLimits' });
export type DeadlineLimits = z.output<typeof DeadlineLimits>;
