import { defineLab } from './define-lab.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * A timestamp the way PostgreSQL prints a `timestamp without time
 * zone` column and a driver hands it over as text: the server's wall-clock time, no
 * offset (`2026-11-24 09:30:00.123`). Nothing on the wire says which zone that was.
 */
export function toDatabaseText(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  );
}

/** A copy of `value` with every `Date` in it replaced by its database text. */
export function withDatabaseTextDates(value: unknown): unknown {
  if (value instanceof Date) return toDatabaseText(value);
  if (Array.isArray(value)) return value.map(withDatabaseTextDates);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withDatabaseTextDates(child)]));
  }
  return value;
}

/**
 * date-codec, the server's half. Tuned is the product: a `Date` leaves through the
 * compiled serializer as `toISOString()`, the contract's DateTime codec's wire form
 * (contract-route.ts). Naive: the hook below, after the envelope is built
 * (plugins/app/success-envelope.ts), replaces every `Date` with database text; the compiled
 * serializer passes strings through. (With the serialization lab naive too, per-response
 * validation rejects that text: a 500.) The SPA mirrors it in apps/web/src/labs/. The
 * first-page cache is suspended meanwhile: it holds the bytes of the other setting.
 */
export const dateCodecLab = defineLab('date-codec', {
  install: (app, seams) => {
    // Success answers only: they carry the rows. Error envelopes keep the codec, so a 500 still reads as one.
    // Synchronous: an async hook costs every serialized answer of the tuned side a promise.
    app.addHook('preSerialization', (_request, reply, payload, done) => {
      done(null, seams.databaseTextDates.get() && reply.statusCode < 300 ? withDatabaseTextDates(payload) : payload);
    });
  },
  naive: (seams) => {
    seams.databaseTextDates.set(true);
    seams.firstPageCache.suspend('date-codec');
  },
  tuned: (seams) => {
    seams.databaseTextDates.set(false);
    seams.firstPageCache.resume('date-codec');
  },
});
