import { z } from 'zod';

/**
 * The one date codec. On the wire: an RFC 3339 UTC string (`2026-11-24T09:30:00.000Z`).
 * In memory, on both sides: a `Date`. `decode` turns the wire form into a `Date` and
 * rejects anything else as a validation issue at the field's path; it never yields
 * `Invalid Date`, a zero time, or the string itself. `encode` is the way back.
 *
 * Only `Z` is accepted on input: an offset would make two equal instants look unequal
 * in logs and caches, and the server never needs to guess a client's zone.
 */
export const DateTime = z
  .codec(z.iso.datetime({ offset: false, local: false }), z.date(), {
    decode: (wire, ctx) => {
      const date = new Date(wire);
      if (Number.isNaN(date.getTime())) {
        ctx.issues.push({ code: 'custom', input: wire, message: 'Invalid date-time' });
      }
      return date;
    },
    encode: (date) => date.toISOString(),
  })
  .meta({ description: 'RFC 3339 date-time in UTC (`Z`), e.g. 2026-11-24T09:30:00.000Z' });

/** Encodes a `Date` for the wire; throws on `Invalid Date` rather than sending garbage. */
export function encodeDateTime(date: Date): string {
  return DateTime.encode(date);
}
