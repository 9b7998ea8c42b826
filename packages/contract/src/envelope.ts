import { z } from 'zod';
import { DateTime } from './date-time.js';
import { ERROR_NAMES } from './error-catalogue.js';

/** One problem with the input: where (`path`, e.g. `items.0.qty` or `query.limit`) and what. */
export const ValidationIssue = z
  .object({
    path: z.string().meta({ description: 'Dotted path of the field, prefixed by body/query/params/headers.' }),
    message: z.string(),
  })
  .meta({ id: 'ValidationIssue' });

export const ErrorDetails = z
  .object({
    error: z.enum(ERROR_NAMES).meta({ description: 'The catalogue name of the error.' }),
    requestId: z.string().optional().meta({ description: 'The X-Request-ID to quote when reporting it.' }),
    issues: z.array(ValidationIssue).optional(),
    retryAfterMs: z.int().nonnegative().optional(),
  })
  .meta({ id: 'ErrorDetails' });

/** Every error answer: `code` is a business code from the catalogue, never 2xx. */
export const ErrorEnvelope = z
  .object({
    code: z.int().min(40000).max(59999),
    message: z.string(),
    data: ErrorDetails,
    timestamp: DateTime,
  })
  .meta({ id: 'ErrorEnvelope' });

/**
 * A success answer around `data`: `code` is the HTTP status, `data` an object or an
 * array, never null (a page of a list is `{ items, nextCursor }`).
 */
export function successEnvelope<Data extends z.ZodObject | z.ZodArray, Status extends 200 | 201 | 202>(
  id: string,
  status: Status,
  data: Data,
) {
  return z
    .object({
      code: z.literal(status),
      message: z.string(),
      data,
      timestamp: DateTime,
    })
    .meta({ id });
}

export type ValidationIssue = z.output<typeof ValidationIssue>;
export type ErrorDetails = z.output<typeof ErrorDetails>;
export type ErrorEnvelope = z.output<typeof ErrorEnvelope>;
